// Boots the real Lark SDK (Client + EventDispatcher, WSClient or the webhook server) against the
// fake Lark Open API, on a fresh database.
import type { Deps } from '../../../src/app/context.ts';
import type { InboxPool } from '../../../src/app/inbox.ts';
import { silentLogger } from '../../../src/app/logger.ts';
import { PlatformRegistry } from '../../../src/app/platforms.ts';
import { ProcessCatalog } from '../../../src/app/process-config.ts';
import { createLarkApp, type LarkAppOptions } from '../../../src/platforms/lark/app.ts';
import { prismaStore } from '../../../src/store/prisma-store.ts';
import { type FakeLark, startFakeLark } from '../../fakes/fake-lark-api.ts';
import { startFakeLarkWs } from '../../fakes/fake-lark-ws.ts';
import { ENCRYPT_KEY, encryptLark, larkRequest, VERIFICATION_TOKEN } from '../../fakes/lark-events.ts';
import { type Backend, openTestDb, type TestDb } from '../../support/db.ts';
import { TestClock } from '../../support/harness.ts';

export const ALICE = 'ou_alice';
export const BOB = 'ou_bob';
export const CAROL = 'ou_carol';

export function seedPeople(fake: FakeLark) {
  fake.state.addUser({ open_id: ALICE, name: '陈爱丽', en_name: 'Alice Chen', time_zone: 'Asia/Shanghai' });
  fake.state.addUser({ open_id: BOB, name: 'Bob Li', time_zone: 'Asia/Shanghai' });
  fake.state.addUser({ open_id: CAROL, name: 'Carol Wu', time_zone: 'America/Los_Angeles' });
}

export async function bootLark(
  mode: 'ws' | 'webhook',
  o: {
    backend?: Backend;
    log?: typeof silentLogger;
    db?: TestDb;
    clock?: TestClock;
    app?: Partial<LarkAppOptions>;
    /** Another platform's process to join (its Deps and inbox pool), as src/main.ts does. */
    join?: { deps: Deps; inbox: InboxPool };
  } = {},
) {
  // Given a database (and clock), the bot joins another platform's process instead of owning one.
  const db = o.db ?? (await openTestDb(o.backend ?? 'pglite'));
  const fake = await startFakeLark();
  seedPeople(fake);
  const gateway = mode === 'ws' ? await startFakeLarkWs(fake) : undefined;
  const clock = o.clock ?? new TestClock(new Date('2026-11-23T02:00:00Z')); // a fixed instant: tests never depend on today
  const deps: Deps = o.join?.deps ?? {
    store: prismaStore(db.prisma, clock),
    platforms: new PlatformRegistry(),
    clock,
    log: o.log ?? silentLogger,
    defaults: { currency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh' },
    processes: new ProcessCatalog(),
  };
  const app = createLarkApp({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.base,
    mode,
    verificationToken: VERIFICATION_TOKEN,
    encryptKey: ENCRYPT_KEY,
    port: 0,
    host: '127.0.0.1',
    maxRetryWaitMs: 1500,
    deps,
    inbox: o.join?.inbox,
    ...o.app,
  });
  const url = await app.start();
  if (gateway) await gateway.connected();
  /** Delivers an event the way the mode does (webhook: encrypted and signed) and waits for its work. */
  const deliver = async (event: object) => {
    if (gateway) {
      const r = await gateway.push(event);
      await app.idle();
      return { status: r.resp.code, body: r.data };
    }
    const { body, headers } = larkRequest(encryptLark(ENCRYPT_KEY, event), ENCRYPT_KEY);
    const res = await fetch(`${url}/lark/events`, { method: 'POST', body, headers });
    const text = await res.text();
    await app.idle();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    db,
    fake,
    gateway,
    app,
    clock,
    url,
    deliver,
    stop: async () => {
      await app.stop();
      await gateway?.close();
      await fake.close();
      if (!o.db) await db.destroy();
    },
  };
}
