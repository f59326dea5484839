// How the real WebClient surfaces Slack's failures, and what the adapter turns them into.
// https://slack.dev/node-slack-sdk/web-api#handle-errors
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/app/logger.ts';
import { mention } from '../../../src/app/message.ts';
import { PlatformError } from '../../../src/domain/errors.ts';
import { toBlockKit, unescapeSlack } from '../../../src/platforms/slack/block-kit.ts';
import { modalToCommand } from '../../../src/platforms/slack/listeners/views.ts';
import { toMrkdwn } from '../../../src/platforms/slack/mrkdwn.ts';
import { SlackPlatform, slackChannelName, toPlatformError } from '../../../src/platforms/slack/slack-platform.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack-api.ts';
import { TestClock } from '../../support/harness.ts';

let fake: FakeSlack;
let client: WebClient;
const ws = { platform: 'slack' as const, externalId: 'T1' };
beforeAll(async () => {
  fake = await startFakeSlack({ token: 'xoxb-test' });
  client = new WebClient('xoxb-test', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(() => fake.close());

describe('WebClient against the fake, through toPlatformError', () => {
  it.each([
    ['name_taken', 'name_taken'],
    ['not_in_channel', 'not_in_channel'],
    ['channel_not_found', 'channel_not_found'],
    ['is_archived', 'is_archived'],
    ['missing_scope', 'missing_scope'],
    ['something_new', 'api_error'],
  ])('{ok:false, error:%s} -> %s', async (slack, code) => {
    fake.failNext('conversations.create', slack);
    const e = await client.conversations.create({ name: 'x' }).catch((x) => x);
    expect(e.code).toBe('slack_webapi_platform_error');
    expect(toPlatformError(e)).toMatchObject({ code, platformCode: slack });
  });

  it('429 with Retry-After -> rate_limited with the wait', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const e = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((x) => x);
    expect(e.code).toBe('slack_webapi_rate_limited_error');
    expect(toPlatformError(e)).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7 });
  });

  it('a dropped connection -> network', async () => {
    fake.failNext('auth.test', 'network');
    const e = await client.auth.test().catch((x) => x);
    expect(e.code).toBe('slack_webapi_request_error');
    expect(toPlatformError(e).code).toBe('network');
  });

  it('a wrong token -> invalid_auth, reported as a permission problem', async () => {
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    const e = await bad.auth.test().catch((x) => x);
    expect(e.data.error).toBe('invalid_auth');
    expect(toPlatformError(e).code).toBe('missing_scope');
  });

  it('the adapter waits out a short rate limit once, and gives up on a long one', async () => {
    const waits: number[] = [];
    const p = new SlackPlatform({
      client,
      log: silentLogger,
      maxRetryWaitMs: 5000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    fake.failNext('users.info', { status: 429, retryAfter: 2 });
    fake.addUser({ id: 'U9', name: 'nine', tz: 'Asia/Tokyo', locale: 'ja-JP' });
    expect(await p.resolveUser(ws, 'U9')).toMatchObject({ name: 'nine', timezone: 'Asia/Tokyo', locale: 'ja-JP' });
    expect(waits).toEqual([2000]);
    fake.failNext('users.info', { status: 429, retryAfter: 60 });
    await expect(p.resolveUser(ws, 'U10')).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60 });
    expect(waits).toEqual([2000]);
  });

  it('invites one by one when Slack refuses the batch because someone is already in', async () => {
    const p = new SlackPlatform({ client, log: silentLogger });
    for (const id of ['UA', 'UB']) fake.addUser({ id, name: id });
    const { roomId } = await p.createRoom(ws, { name: 'deal-batch', topic: 't' });
    await p.invite(ws, roomId, ['UA']);
    await p.invite(ws, roomId, ['UA', 'UB', 'UBOT']);
    expect([...fake.channel(roomId)!.members].sort()).toEqual(['UA', 'UB', 'UBOT']);
  });

  it('a profile is reused for an hour of the app clock, then asked again', async () => {
    const clock = new TestClock(new Date('2031-03-01T09:00:00Z'));
    const p = new SlackPlatform({ client, log: silentLogger, clock });
    fake.addUser({ id: 'UPROF', name: 'prof', tz: 'Europe/Paris' });
    const asked = () => fake.callsOf('users.info').filter((c) => c.args.user === 'UPROF').length;
    await p.resolveUser(ws, 'UPROF');
    clock.advance(59 * 60_000);
    await p.resolveUser(ws, 'UPROF');
    expect(asked()).toBe(1);
    clock.advance(2 * 60_000);
    await p.resolveUser(ws, 'UPROF');
    expect(asked()).toBe(2);
  });

  it('removes people from a room with conversations.kick; someone already gone is no error', async () => {
    const p = new SlackPlatform({ client, log: silentLogger });
    for (const id of ['UK1', 'UK2']) fake.addUser({ id, name: id });
    const { roomId } = await p.createRoom(ws, { name: 'deal-kick', topic: 't' });
    await p.invite(ws, roomId, ['UK1', 'UK2']);
    await p.removeFromRoom(ws, roomId, ['UK1']);
    await p.removeFromRoom(ws, roomId, ['UK1', 'UK2']); // UK1 is already out
    expect([...fake.channel(roomId)!.members].sort()).toEqual(['UBOT']);
    expect(fake.callsOf('conversations.kick').map((c) => c.args.user)).toEqual(['UK1', 'UK1', 'UK2']);
  });

  it('refuses to lose a failure silently', async () => {
    const p = new SlackPlatform({ client, log: silentLogger });
    fake.failNext('pins.add', 'channel_not_found');
    await expect(p.pin(ws, 'C404', '1.1')).rejects.toBeInstanceOf(PlatformError);
  });
});

describe('Slack text rules', () => {
  it.each([
    ['Acme | ERP', 'acme-erp'],
    ['  Ünïcödé Ltd.  ', 'unicode-ltd'],
    ['华为', 'deal'],
    ['a'.repeat(100), 'a'.repeat(80)],
  ])('channel name from %j', (input, out) => {
    expect(slackChannelName(input.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))).toBe(out);
  });

  it('escapes literal text, renders mention parts, and undoes Slack escaping on input', () => {
    expect(toMrkdwn(['a < b & <!channel> ', mention('U1')])).toBe('a &lt; b &amp; &lt;!channel&gt; <@U1>');
    expect(unescapeSlack('a &lt; b &amp;lt; <@U1|bob>')).toBe('a < b &lt; <@U1|bob>');
    // A `<@` the user typed (Slack sends it escaped) cannot become the mention notation.
    expect(unescapeSlack('&lt;@UADMIN&gt; hi <@U1|bob>')).toBe('＜@UADMIN> hi <@U1|bob>');
    // Form fields arrive raw: the command built from them carries no forged mention either.
    const cmd = modalToCommand({
      account: { account: { value: 'Acme <@UADMIN>' } },
      title: { title: { value: 'ERP' } },
      people: { people: { selected_users: ['UBOB'] } },
    });
    expect(cmd).toBe('new Acme ＜@UADMIN> | ERP <@UBOB>');
    const kit = toBlockKit({ text: 'x', blocks: Array.from({ length: 60 }, () => ({ type: 'divider' as const })) });
    expect(kit.blocks).toHaveLength(50); // Slack's limit per message
  });
});
