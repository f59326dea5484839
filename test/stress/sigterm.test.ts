// A deploy: SIGTERM to `npm start` (exactly as the README starts the bot) with commands in flight
// against a slow Slack. Every acked command completes (deal, room, invitations, card, pin, answer);
// what arrives after SIGTERM is refused with a retryable 503, never acked; the process exits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack-api.ts';
import { sign, slashBody } from '../platforms/slack/helpers.ts';
import { type Bot, freePort, SIGNING_SECRET, startBot } from './support/bot-process.ts';

describe('SIGTERM with commands in flight (npm start, embedded database)', () => {
  let fake: FakeSlack;
  let bot: Bot;
  let dataDir: string;
  beforeAll(async () => {
    fake = await startFakeSlack({ token: 'xoxb-test', teamId: 'T1' });
    fake.addUser({ id: 'UALICE', name: 'alice', tz: 'Asia/Shanghai', locale: 'en-US' });
    fake.addUser({ id: 'UBOB', name: 'bob', tz: 'Asia/Shanghai', locale: 'en-US' });
    // A slow Slack: every Web API call takes 200 ms.
    for (const m of [
      'conversations.create',
      'conversations.setTopic',
      'conversations.invite',
      'chat.postMessage',
      'pins.add',
      'users.info',
    ])
      fake.override(m, async () => {
        await new Promise((r) => setTimeout(r, 200));
        return undefined;
      });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-sigterm-'));
    bot = startBot({ apiUrl: fake.url, port: await freePort(), dataDir });
    await bot.ready();
  });
  afterAll(async () => {
    if (bot.proc.exitCode === null) bot.proc.kill('SIGKILL');
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing it acked and acks nothing after the signal', async () => {
    const post = (body: string) =>
      fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers: sign(body, undefined, SIGNING_SECRET) });
    const users = ['UALICE', 'UBOB'];
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(slashBody(fake, `new Acme | Deploy ${i} <@UBOB|bob>`, { trigger: `d${i}`, user: users[i % 2] })),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(10).fill(200));
    bot.proc.kill('SIGTERM'); // to npm, as a process manager would
    // The signal reached node once the bot reports itself stopping (503) — or has closed already.
    const until = Date.now() + 10_000;
    for (let seen = false; !seen; ) {
      if (Date.now() > until) throw new Error(`SIGTERM never reached the bot:\n${bot.output()}`);
      const status = await fetch(`${bot.url}/healthz`)
        .then((r) => r.status)
        .catch(() => 0);
      seen = status !== 200;
      if (!seen) await new Promise((r) => setTimeout(r, 20));
    }
    const late = await post(slashBody(fake, 'new Acme | After the signal', { trigger: 'late' })).catch(() => null);
    if (late) expect(late.status).toBe(503);
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');

    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const deals = await db.prisma.deal.findMany({ orderBy: { number: 'asc' } });
      expect(deals.map((d) => d.title).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Deploy ${i}`).sort());
      for (const d of deals) {
        expect(d.roomId).toMatch(/^C/);
        const owner = users[Number(d.title.split(' ')[1]) % 2];
        const members = [...fake.channel(d.roomId!)!.members].sort();
        expect(members).toEqual([...new Set([owner, 'UBOB', 'UBOT'])].sort());
        expect(fake.pins(d.roomId!)).toEqual([d.cardRef]);
      }
      expect(await db.prisma.inboxEntry.count({ where: { status: { not: 'done' } } })).toBe(0);
      expect(await db.prisma.outboxStep.count({ where: { status: 'pending' } })).toBe(0);
    } finally {
      await db.close();
    }
    for (let i = 0; i < 10; i++) expect(fake.responses(`/hooks/d${i}`)).toHaveLength(1);
    expect(fake.responses('/hooks/late')).toHaveLength(0);
  });
});
