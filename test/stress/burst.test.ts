// A burst on PostgreSQL: 10 connections send signed `/deal log` commands for 10 s as fast as the
// bot acks them. Every acked command must complete (its history line written, its answer sent):
// the inbox makes the burst wait in order instead of failing on a busy database.
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

const ADMIN_URL = process.env.DEALROOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 10;
const SECONDS = 10;

describe.runIf((await backends()).includes('postgresql'))('a burst on PostgreSQL', () => {
  let fake: FakeSlack;
  let bot: Bot;
  let dataDir: string;
  const dbName = `dealroom_burst_${process.pid}`;
  const databaseUrl = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  };

  beforeAll(async () => {
    fake = await startFakeSlack({ token: 'xoxb-test', teamId: 'T1' });
    for (let i = 0; i < CONNECTIONS; i++) fake.addUser({ id: `UU${i}`, name: `user${i}`, tz: 'Asia/Shanghai' });
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${dbName}`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-burst-'));
    bot = startBot({ apiUrl: fake.url, port: await freePort(), dataDir, databaseUrl, direct: true });
    await bot.ready();
  });
  afterAll(async () => {
    if (bot.proc.exitCode === null) bot.proc.kill('SIGKILL');
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  });

  it(`${CONNECTIONS} connections for ${SECONDS} s: every acked command completes`, async () => {
    const post = (body: string) =>
      fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers: sign(body, undefined, SIGNING_SECRET) });
    // One deal per person, so their logs do not all queue on one deal's lock.
    const db = await openDatabase({ kind: 'postgresql', url: databaseUrl }, { migrate: false });
    try {
      // One at a time, so person c owns deal #c+1.
      for (let i = 0; i < CONNECTIONS; i++) {
        const body = slashBody(fake, `new Burst${i} | Deal ${i}`, { trigger: `deal${i}`, user: `UU${i}` });
        expect((await post(body)).status).toBe(200);
        for (const end = Date.now() + 60_000; (await db.prisma.deal.count()) < i + 1; ) {
          if (Date.now() > end) throw new Error('deal not created');
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const acked: string[] = [];
      const refused: number[] = [];
      const stopAt = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, c) => {
          for (let n = 0; Date.now() < stopAt; n++) {
            const trigger = `b${c}-${n}`;
            const res = await post(slashBody(fake, `#${c + 1} log touch ${trigger}`, { trigger, user: `UU${c}` }));
            if (res.status === 200) acked.push(trigger);
            else refused.push(res.status);
          }
        }),
      );
      expect(refused).toEqual([]);
      expect(acked.length).toBeGreaterThan(100);
      // Everything acked is worked off: the inbox empties, nothing ends failed.
      for (const end = Date.now() + 10 * 60_000; ; await new Promise((r) => setTimeout(r, 1000))) {
        const pending = await db.prisma.inboxEntry.count({ where: { status: 'pending' } });
        if (!pending) break;
        if (Date.now() > end) throw new Error(`${pending} commands still waiting`);
      }
      expect(await db.prisma.inboxEntry.count({ where: { status: 'failed' } })).toBe(0);
      const logged = await db.prisma.dealEvent.count({ where: { type: 'contact_logged' } });
      expect(logged).toBe(acked.length);
      const answered = new Set(
        fake.calls.filter((x) => x.method.startsWith('response_url:/hooks/b')).map((x) => x.method),
      );
      expect(answered.size).toBe(acked.length);
      console.log(`burst: ${acked.length} commands acked in ${SECONDS} s, all completed`);
    } finally {
      await db.close();
    }
  });
});
