// Socket Mode (SLACK_APP_TOKEN set): the same app, over a WebSocket instead of HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/app/logger.ts';
import { createSlackApp } from '../../../src/platforms/slack/app.ts';
import { prismaStore } from '../../../src/store/prisma-store.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack-api.ts';
import { type FakeSocket, startFakeSocket } from '../../fakes/slack-socket.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';
import { TestClock } from '../../support/harness.ts';
import { waitFor } from './helpers.ts';

let db: TestDb, fake: FakeSlack, sock: FakeSocket, slack: ReturnType<typeof createSlackApp>;

beforeAll(async () => {
  db = await openTestDb('pglite');
  const clock = new TestClock(new Date('2026-11-23T02:00:00Z')); // a fixed instant: tests never depend on today
  fake = await startFakeSlack({ token: 'xoxb-test' });
  fake.addUser({ id: 'UALICE', name: 'alice', tz: 'Europe/Berlin', locale: 'de-DE' });
  sock = await startFakeSocket(fake, 'xapp-test');
  slack = createSlackApp({
    botToken: 'xoxb-test',
    appToken: 'xapp-test',
    apiUrl: fake.url,
    store: prismaStore(db.prisma, clock),
    clock,
    log: silentLogger,
    defaults: { currency: 'EUR', timezone: 'Europe/Berlin', locale: 'en' },
  });
  await slack.start(); // resolves once the fake says hello
});
afterAll(async () => {
  await slack.stop();
  await sock.close();
  await fake.close();
  await db.destroy();
});

describe('Slack Socket Mode', () => {
  it('connects with the app-level token', () => {
    expect(fake.callsOf('apps.connections.open').map((c) => c.token)).toEqual(['xapp-test']);
  });

  it('a /deal envelope is acked, then the deal room is created', async () => {
    const ack = await sock.push('slash_commands', {
      command: '/deal',
      text: 'new Siemens | MES pilot amount:80k',
      channel_id: 'CGEN',
      user_id: 'UALICE',
      team_id: 'T1',
      team_domain: 'acme',
      api_app_id: 'A1',
      trigger_id: 'sock-1',
      response_url: `${fake.base}/hooks/sock-1`,
    });
    expect(ack.envelope_id).toBe('env-1');
    await waitFor(() => fake.callsOf('response_url:/hooks/sock-1')[0]);
    expect(fake.channel('deal-siemens-mes-pilot')).toBeDefined();
    const deal = await db.prisma.deal.findFirstOrThrow();
    expect(deal.currency).toBe('EUR');
    expect(deal.amount!.toString()).toBe('80000');
  });
});
