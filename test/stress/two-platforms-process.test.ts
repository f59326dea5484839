// `npm start` as the README runs it (src/main.ts): with Slack AND Lark configured one process serves
// both, each platform's command stored, processed and answered on its own platform, both health
// checks answer; with Lark alone it runs its own inbox and outbox. SIGTERM stops it, exit 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { type FakeLark, startFakeLark } from '../fakes/fake-lark-api.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack-api.ts';
import { ENCRYPT_KEY, encryptLark, larkRequest, messageEvent, VERIFICATION_TOKEN } from '../fakes/lark-events.ts';
import { seedPeople } from '../platforms/lark/helpers.ts';
import { sign, slashBody, waitFor } from '../platforms/slack/helpers.ts';
import { type Bot, freePort, SIGNING_SECRET, startBot } from './support/bot-process.ts';

let slack: FakeSlack;
let lark: FakeLark;
let bot: Bot;
let larkUrl: string;
let dataDir: string;
beforeAll(async () => {
  slack = await startFakeSlack({ token: 'xoxb-test', teamId: 'T1' });
  slack.addUser({ id: 'UALICE', name: 'alice', tz: 'Asia/Shanghai', locale: 'en-US' });
  lark = await startFakeLark();
  seedPeople(lark);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-two-'));
  const larkPort = await freePort();
  larkUrl = `http://127.0.0.1:${larkPort}`;
  bot = startBot({
    apiUrl: slack.url,
    port: await freePort(),
    dataDir,
    direct: true,
    env: {
      LARK_APP_ID: lark.appId,
      LARK_APP_SECRET: lark.appSecret,
      LARK_MODE: 'webhook',
      LARK_DOMAIN: lark.base,
      LARK_ENCRYPT_KEY: ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      LARK_PORT: String(larkPort),
    },
  });
  await bot.ready();
}, 90_000);
afterAll(async () => {
  if (bot.proc.exitCode === null) bot.proc.kill('SIGKILL');
  await slack.close();
  await lark.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('serves Slack and Lark side by side, then stops both on SIGTERM', async () => {
  // Slack's /healthz answered (bot.ready); Lark's webhook starts listening just after.
  let larkHealth = 0;
  for (const end = Date.now() + 30_000; larkHealth !== 200 && Date.now() < end; ) {
    larkHealth = await fetch(`${larkUrl}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (larkHealth !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  expect(larkHealth, bot.output()).toBe(200);
  const body = slashBody(slack, 'new Acme | On Slack', { trigger: 'two-1' });
  const r1 = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    body,
    headers: sign(body, undefined, SIGNING_SECRET),
  });
  expect(r1.status).toBe(200);
  const ev = messageEvent('/deal new 华为 | 在飞书', { from: 'ou_alice', chatId: 'oc_p2p', chatType: 'p2p' });
  const req = larkRequest(encryptLark(ENCRYPT_KEY, ev), ENCRYPT_KEY);
  const r2 = await fetch(`${larkUrl}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
  expect(r2.status).toBe(200);

  await waitFor(() => slack.callsOf('conversations.create').length === 1, 30_000);
  await waitFor(() => lark.callsOf('chat.create').length === 1, 30_000);
  await waitFor(
    () => lark.state.p2p('ou_alice') && lark.state.messagesIn(lark.state.p2p('ou_alice')!.chat_id).length,
    30_000,
  );
  expect(JSON.stringify(lark.state.messagesIn(lark.state.p2p('ou_alice')!.chat_id).at(-1)!.content)).toContain(
    '在飞书',
  );
  expect(slack.callsOf('conversations.create')[0].args.name).toBe('deal-acme-on-slack');

  bot.proc.kill('SIGTERM');
  expect(await bot.exited).toBe(0);
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const deals = await db.prisma.deal.findMany({ include: { workspace: true }, orderBy: { title: 'asc' } });
    expect(deals.map((d) => [d.workspace.platform, d.title, Boolean(d.roomId)])).toEqual([
      ['slack', 'On Slack', true],
      ['lark', '在飞书', true],
    ]);
    expect(await db.prisma.inboxEntry.count({ where: { status: { not: 'done' } } })).toBe(0);
  } finally {
    await db.close();
  }
}, 120_000);

it('serves Lark alone (no Slack variables): its own inbox, outbox and digests, and stops on SIGTERM', async () => {
  const fake = await startFakeLark();
  seedPeople(fake);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-lark-'));
  const port = await freePort();
  const alone = startBot({
    apiUrl: 'http://127.0.0.1:9', // no Slack: SLACK_BOT_TOKEN is cleared below
    port,
    dataDir: dir,
    direct: true,
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      SLACK_API_URL: '',
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_MODE: 'webhook',
      LARK_DOMAIN: fake.base,
      LARK_ENCRYPT_KEY: ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    },
  });
  try {
    await alone.ready(); // the Lark webhook serves /healthz on PORT
    const ev = messageEvent('/deal new Acme | Alone', { from: 'ou_alice', chatId: 'oc_p2p', chatType: 'p2p' });
    const req = larkRequest(encryptLark(ENCRYPT_KEY, ev), ENCRYPT_KEY);
    expect(
      (await fetch(`${alone.url}/lark/events`, { method: 'POST', body: req.body, headers: req.headers })).status,
    ).toBe(200);
    await waitFor(() => fake.state.pins.size === 1, 30_000); // group, card and pin: the outbox ran
    expect(fake.callsOf('chat.create')).toHaveLength(1);
    alone.proc.kill('SIGTERM');
    expect(await alone.exited).toBe(0);
  } finally {
    if (alone.proc.exitCode === null) alone.proc.kill('SIGKILL');
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
