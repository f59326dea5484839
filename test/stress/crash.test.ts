// SIGKILL the real bot (a separate process, HTTP mode) at many points of `/deal new`, of an action,
// and of a digest morning, against a slow fake Slack Web API; restart it; then check that every
// acked command completed exactly once, no channel is orphaned, every room has its owner,
// invitees, card and pin, and every digest was delivered exactly once. On PGlite and PostgreSQL.
// DEALROOM_CRASH_POINTS sets the kill points per flow (default 20).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack-api.ts';
import { sign, slashBody } from '../platforms/slack/helpers.ts';
import { backends } from '../support/db.ts';
import { type Bot, freePort, SIGNING_SECRET, startBot } from './support/bot-process.ts';

const POINTS = Number(process.env.DEALROOM_CRASH_POINTS ?? 20);
const LATENCY_MS = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADMIN_URL = process.env.DEALROOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SLOW = [
  'auth.test',
  'users.info',
  'conversations.create',
  'conversations.setTopic',
  'conversations.invite',
  'conversations.list',
  'conversations.open',
  'conversations.history',
  'chat.postMessage',
  'chat.update',
  'pins.add',
];

/** A zone where it is now between 09:00 and 22:00, so every digest of the day is due. */
function dueZone(): string {
  for (const z of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Pacific/Auckland']) {
    const h = Number(
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: z }).format(new Date()),
    );
    if (h >= 9 && h <= 21) return z;
  }
  return 'Asia/Kolkata';
}

describe.each(await backends())('SIGKILL at %s', (backend) => {
  let fake: FakeSlack;
  let bot: Bot;
  let dataDir: string;
  let databaseUrl: string | undefined;
  let port: number;
  let dbName: string | undefined;
  const zone = dueZone();

  const start = async () => {
    bot = startBot({
      apiUrl: fake.url,
      port,
      dataDir,
      databaseUrl,
      direct: true,
      env: { DEALROOM_DIGEST_EVERY_SECONDS: '1', DEALROOM_DIGEST_STALE_MS: '60000', DEALROOM_LEASE_MS: '30000' },
    });
    await bot.ready();
  };
  const kill = async () => {
    bot.proc.kill('SIGKILL');
    await bot.exited;
  };
  const post = (body: string) =>
    fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers: sign(body, undefined, SIGNING_SECRET) })
      .then((r) => r.status)
      .catch(() => 0);
  /** Sends a command and kills the bot `afterMs` later; after the restart, an unacked delivery is
   * sent again as Slack would (it retries what was not acked). */
  const crashDuring = async (body: string, afterMs: number) => {
    const sent = post(body);
    await sleep(afterMs);
    await kill();
    const acked = (await sent) === 200;
    await start();
    if (!acked) expect(await post(body)).toBe(200);
  };
  const drained = async () => {
    for (const end = Date.now() + 60_000; Date.now() < end; await sleep(100)) {
      const h = await fetch(`${bot.url}/healthz`).then((r) => r.json() as Promise<Record<string, unknown>>);
      if (h.oldestInboxSeconds === null && h.oldestOutboxSeconds === null) return;
    }
    throw new Error('the bot did not finish its work');
  };
  const query = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    // PGlite allows one process: stop the bot to look, then start it again.
    if (backend === 'pglite') await kill();
    const db = await openDatabase(databaseUrl ? { kind: 'postgresql', url: databaseUrl } : { kind: 'pglite', dataDir });
    try {
      return await fn(db);
    } finally {
      await db.close();
      if (backend === 'pglite') await start();
    }
  };

  beforeAll(async () => {
    fake = await startFakeSlack({ token: 'xoxb-test', teamId: 'T1' });
    for (const m of SLOW)
      fake.override(m, async () => {
        await sleep(LATENCY_MS);
        return undefined;
      });
    fake.addUser({ id: 'UALICE', name: 'alice', tz: zone, locale: 'en-US' });
    fake.addUser({ id: 'UBOB', name: 'bob', tz: zone, locale: 'en-US' });
    for (let i = 0; i < 12; i++) {
      fake.addUser({ id: `UM${i}`, name: `mgr${i}`, tz: zone, locale: 'en-US' });
      fake.addUser({ id: `UR${i}`, name: `rep${i}`, tz: zone, locale: 'en-US' });
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-crash-'));
    if (backend === 'postgresql') {
      dbName = `dealroom_crash_${process.pid}`;
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      databaseUrl = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
    }
    port = await freePort();
    await start();
  });
  afterAll(async () => {
    if (bot?.proc.exitCode === null) await kill();
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it(`/deal new killed at ${POINTS} points: each deal once, each room complete, no orphan channel`, async () => {
    for (let k = 0; k < POINTS; k++)
      await crashDuring(slashBody(fake, `new Acme | Crash ${k} <@UBOB|bob>`, { trigger: `new${k}` }), k * 45);
    await drained();
    const deals = await query((db) => db.prisma.deal.findMany({ orderBy: { number: 'asc' } }));
    const titles = deals.map((d) => d.title);
    for (let k = 0; k < POINTS; k++) expect(titles.filter((t) => t === `Crash ${k}`)).toHaveLength(1);
    for (const d of deals) {
      expect(d.roomId, d.title).toMatch(/^C/);
      expect([...fake.channel(d.roomId!)!.members].sort()).toEqual(['UALICE', 'UBOB', 'UBOT']);
      expect(fake.pins(d.roomId!)).toEqual([d.cardRef]);
    }
    const linked = new Set(deals.map((d) => d.roomId));
    const rooms = fake.state.channels;
    const orphans = [...rooms.values()].filter((c) => c.name.startsWith('deal-') && !linked.has(c.id));
    expect(orphans.map((c) => c.name)).toEqual([]);
    for (let k = 0; k < POINTS; k++) {
      const answers = fake.responses(`/hooks/new${k}`).map((c) => String(c.args.text));
      expect(answers.length).toBeGreaterThanOrEqual(1);
      expect(answers.join('\n')).not.toContain('already handled');
    }
  });

  it(`an action killed at ${POINTS} points: each action once, its post, card and DM delivered`, async () => {
    const room = (await query((db) => db.prisma.deal.findFirstOrThrow({ where: { title: 'Crash 0' } }))).roomId!;
    for (let k = 0; k < POINTS; k++)
      await crashDuring(slashBody(fake, `action <@UBOB|bob> Task ${k}`, { trigger: `act${k}`, channel: room }), k * 30);
    await drained();
    const actions = await query((db) => db.prisma.actionItem.findMany({ where: { text: { startsWith: 'Task ' } } }));
    for (let k = 0; k < POINTS; k++) expect(actions.filter((a) => a.text === `Task ${k}`)).toHaveLength(1);
    const numbers = actions.map((a) => a.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(numbers.length);
    const posts = fake.messages(room).map((m) => m.text);
    const dms = fake.messages('UBOB').map((m) => m.text);
    for (let k = 0; k < POINTS; k++) {
      expect(posts.filter((t) => t.includes(`Task ${k}`)).length, `room post of Task ${k}`).toBeGreaterThanOrEqual(1);
      expect(dms.filter((t) => t.includes(`Task ${k}`)).length, `DM of Task ${k}`).toBeGreaterThanOrEqual(1);
    }
  });

  it(`a digest morning killed at ${POINTS} points: every digest delivered exactly once`, async () => {
    // Twelve managers, each with a rep who owns a deal: 24 deliveries this morning.
    const setup = [
      'digest weekends on',
      ...Array.from({ length: 12 }, (_, i) => `team <@UM${i}|mgr${i}> <@UR${i}|rep${i}>`),
    ];
    for (const [i, text] of setup.entries())
      expect(await post(slashBody(fake, text, { trigger: `setup${i}` }))).toBe(200);
    for (let i = 0; i < 12; i++)
      expect(
        await post(slashBody(fake, `new Rep${i} Co | Pipeline ${i}`, { trigger: `repdeal${i}`, user: `UR${i}` })),
      ).toBe(200);
    await drained();
    for (let k = 0; k < POINTS; k++) {
      await sleep(150 + k * 20);
      await kill();
      await start();
    }
    // Looking stops the bot on PGlite (one process per database): look seldom, let it work between.
    for (const end = Date.now() + 180_000; ; await sleep(backend === 'pglite' ? 8_000 : 500)) {
      const rows = await query((db) => db.prisma.digestDelivery.findMany());
      if (rows.length >= 24 && rows.every((r) => r.status === 'sent' || r.status === 'failed')) break;
      if (Date.now() > end) throw new Error(`digests unfinished: ${JSON.stringify(rows.map((r) => r.status))}`);
    }
    const rows = await query((db) => db.prisma.digestDelivery.findMany());
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const keys = [...fake.state.channels.values()]
      .filter((c) => c.kind === 'im')
      .flatMap((c) => fake.messages(c.id))
      .map((m) => (m.metadata as any)?.event_payload?.key)
      .filter(Boolean);
    for (const r of rows.filter((x) => x.error !== 'nothing to send'))
      expect(
        keys.filter((k) => k === r.id),
        `digest ${r.kind} ${r.id}`,
      ).toHaveLength(1);
  });
});
