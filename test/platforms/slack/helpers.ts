// Boots the real Bolt app (HTTP mode) against the fake Slack Web API, on a fresh database, and
// sends it correctly signed requests. https://api.slack.com/authentication/verifying-requests-from-slack
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../../src/app/logger.ts';
import { createSlackApp } from '../../../src/platforms/slack/app.ts';
import { prismaStore } from '../../../src/store/prisma-store.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack-api.ts';
import { type Backend, openTestDb, type TestDb } from '../../support/db.ts';
import { TestClock } from '../../support/harness.ts';

export const SECRET = 'test-signing-secret';
export const TOKEN = 'xoxb-test';

export function sign(body: string, ts = Math.floor(Date.now() / 1000), secret = SECRET) {
  return {
    'content-type': 'application/x-www-form-urlencoded', // Bolt compares exactly: no charset
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

let triggers = 0;
export function slashBody(
  fake: FakeSlack,
  text: string,
  o: { user?: string; channel?: string; trigger?: string; team?: string } = {},
) {
  return new URLSearchParams({
    token: 'legacy',
    team_id: o.team ?? 'T1',
    team_domain: 'acme',
    channel_id: o.channel ?? 'CGENERAL',
    channel_name: 'general',
    user_id: o.user ?? 'UALICE',
    user_name: 'alice',
    command: '/deal',
    text,
    api_app_id: 'A1',
    response_url: `${fake.base}/hooks/${o.trigger ?? `t${++triggers}`}`,
    trigger_id: o.trigger ?? `trig-${triggers}`,
  }).toString();
}

export const interactionBody = (payload: object) =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

export async function waitFor<T>(fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The real Bolt app, in HTTP mode on a free port, against the fake Slack and a test database. */
export function testSlackApp(fake: FakeSlack, db: TestDb, clock: TestClock) {
  return createSlackApp({
    botToken: TOKEN,
    signingSecret: SECRET,
    apiUrl: fake.url,
    port: 0,
    host: '127.0.0.1',
    maxRetryWaitMs: 1500,
    store: prismaStore(db.prisma, clock),
    clock,
    log: silentLogger,
    defaults: { currency: 'USD', timezone: 'Asia/Shanghai', locale: 'en' },
  });
}

export async function bootSlack(backend: Backend = 'pglite') {
  const db: TestDb = await openTestDb(backend);
  const fake = await startFakeSlack({ token: TOKEN, teamId: 'T1' });
  fake.addUser({ id: 'UALICE', name: 'alice', real_name: 'Alice Chen', tz: 'Asia/Shanghai', locale: 'en-US' });
  fake.addUser({ id: 'UBOB', name: 'bob', real_name: 'Bob Li', tz: 'Asia/Shanghai', locale: 'en-US' });
  fake.addUser({ id: 'UCAROL', name: 'carol', real_name: 'Carol Wu', tz: 'America/Los_Angeles', locale: 'zh-CN' });
  const clock = new TestClock(new Date('2026-11-23T02:00:00Z')); // a fixed instant: tests never depend on today
  const slack = testSlackApp(fake, db, clock);
  const server = (await slack.start()) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: string, headers: Record<string, string> = sign(body)) =>
    fetch(`${url}/slack/events`, { method: 'POST', body, headers });
  return {
    db,
    fake,
    slack,
    clock,
    url,
    post,
    slash: (text: string, o: Parameters<typeof slashBody>[2] = {}) => post(slashBody(fake, text, o)),
    stop: async () => {
      await slack.stop();
      await fake.close();
      await db.destroy();
      // Every payload the app sent went through the fake's Block Kit checks: none may have failed.
      const refused = fake.refusedBlocks().map((c) => `${c.method}: ${JSON.stringify(c.response)}`);
      if (refused.length) throw new Error(`Slack refused blocks the app sent:\n${refused.join('\n')}`);
    },
  };
}
