// Drives the fake Slack Web API with the real WebClient (@slack/web-api 8), and pins down how the
// client surfaces Slack's failures: {ok:false} bodies, 429 + Retry-After, 5xx and dropped connections.
import { ErrorCode, type Logger, LogLevel, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack-api.ts';
import { blockErrors } from './fake-slack-state.ts';

let fake: FakeSlack;
let web: WebClient;

// WebClient logs the `[ERROR] …` lines of response_metadata.messages (invalid_blocks, invalid_arguments) itself.
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** A WebClient for tests: no retries (the default is 10 over ~30 min), 429s thrown, quiet. */
const client = (token = 'xoxb-test', o: WebClientOptions = {}) =>
  new WebClient(token, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quiet,
    ...o,
  });

/** The rejection of `p` (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}
/** The Slack error code of a failed call, after checking it is WebClient's platform error. */
async function slackError(p: Promise<unknown>): Promise<string> {
  const e = await rejection(p);
  expect(e.code).toBe(ErrorCode.PlatformError);
  return e.data.error as string;
}

beforeEach(async () => {
  fake = await startFakeSlack();
  fake.addUser({
    id: 'U1',
    name: 'ana',
    real_name: 'Ana Lima',
    display_name: 'ana',
    tz: 'Asia/Kolkata',
    locale: 'pt-BR',
  });
  fake.addUser({ id: 'U2', name: 'bo' });
  fake.addUser({ id: 'U3', name: 'cy' });
  web = client();
});
afterEach(() => fake.close());

describe('auth', () => {
  it('auth.test answers the bot identity and records the token', async () => {
    const r = await web.auth.test();
    expect(r).toMatchObject({
      ok: true,
      user_id: 'UBOT',
      bot_id: 'BBOT',
      team_id: 'T1',
      team: 'Acme',
      url: 'https://acme.slack.com/',
    });
    expect(fake.callsOf('auth.test')[0]).toMatchObject({
      token: 'xoxb-test',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('no token -> not_authed; an unknown token -> invalid_auth (HTTP 200, thrown as a platform error)', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quiet });
    expect(await slackError(anonymous.auth.test())).toBe('not_authed');
    const e = await rejection(client('xoxb-wrong').chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      code: 'slack_webapi_platform_error',
      message: 'An API error occurred: invalid_auth',
      data: { ok: false, error: 'invalid_auth' },
    });
    expect(fake.calls.map((c) => c.token)).toEqual([undefined, 'xoxb-wrong']);
  });
});

describe('users', () => {
  it('users.info: Slack shape, tz label/offset, locale only with include_locale, user_not_found', async () => {
    const { user } = await web.users.info({ user: 'U1' });
    expect(user).toMatchObject({
      id: 'U1',
      team_id: 'T1',
      name: 'ana',
      real_name: 'Ana Lima',
      tz: 'Asia/Kolkata',
      tz_label: 'India Standard Time',
      tz_offset: 19800,
      profile: { display_name: 'ana', real_name: 'Ana Lima' },
    });
    expect(user).not.toHaveProperty('locale');
    expect((await web.users.info({ user: 'U1', include_locale: true })).user?.locale).toBe('pt-BR');
    expect(await slackError(web.users.info({ user: 'U404' }))).toBe('user_not_found');
  });
});

describe('conversations', () => {
  it('create: a C… id, bot is a member; form booleans arrive as strings', async () => {
    const r = await web.conversations.create({ name: 'deal-acme', is_private: true });
    expect(r.channel).toMatchObject({ name: 'deal-acme', is_private: true, creator: 'UBOT', is_archived: false });
    expect(r.channel?.id).toMatch(/^C[0-9A-Z]+$/);
    expect(typeof r.channel?.created).toBe('number');
    expect(fake.channel('deal-acme')?.members.has('UBOT')).toBe(true);
    expect(fake.callsOf('conversations.create')[0].args).toEqual({ name: 'deal-acme', is_private: 'true' });
  });

  it('create: Slack naming rules and name_taken (archived channels keep their names)', async () => {
    expect(await slackError(web.conversations.create({ name: 'Deal Acme' }))).toBe('invalid_name_specials');
    expect(await slackError(web.conversations.create({ name: 'deal.acme' }))).toBe('invalid_name_specials');
    expect(await slackError(web.conversations.create({ name: 'x'.repeat(81) }))).toBe('invalid_name_maxlength');
    expect(await slackError(web.conversations.create({ name: '' }))).toBe('invalid_name_required');
    expect(await slackError(web.conversations.create({ name: '--' }))).toBe('invalid_name_punctuation');
    await web.conversations.create({ name: 'x'.repeat(80) });
    const { channel } = await web.conversations.create({ name: 'deal-acme' });
    expect(await slackError(web.conversations.create({ name: 'deal-acme' }))).toBe('name_taken');
    await web.conversations.archive({ channel: channel!.id! });
    expect(await slackError(web.conversations.create({ name: 'deal-acme' }))).toBe('name_taken');
  });

  it('invite: adds members; already_in_channel fails the whole batch unless force=true', async () => {
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    await web.conversations.invite({ channel: id, users: 'U1,U2' });
    expect([...fake.channel(id)!.members]).toEqual(['UBOT', 'U1', 'U2']);
    expect(await slackError(web.conversations.invite({ channel: id, users: 'U1' }))).toBe('already_in_channel');
    const e = await rejection(web.conversations.invite({ channel: id, users: 'U1,U3' }));
    expect(e.data).toMatchObject({
      error: 'already_in_channel',
      errors: [{ user: 'U1', ok: false, error: 'already_in_channel' }],
    });
    expect(fake.channel(id)!.members.has('U3')).toBe(false);
    const forced = await web.conversations.invite({ channel: id, users: 'U1,U3', force: true });
    expect(forced.errors).toEqual([{ user: 'U1', ok: false, error: 'already_in_channel' }]);
    expect(fake.channel(id)!.members.has('U3')).toBe(true);
    expect(await slackError(web.conversations.invite({ channel: id, users: 'U404' }))).toBe('user_not_found');
    expect(await slackError(web.conversations.invite({ channel: id, users: 'UBOT' }))).toBe('cant_invite_self');
  });

  it('invite: channel_not_found, not_in_channel, is_archived', async () => {
    fake.addChannel({ id: 'CPUB', name: 'general-sales', members: ['U1'] });
    fake.addChannel({ id: 'CPRIV', name: 'secret', is_private: true, members: ['U1'] });
    expect(await slackError(web.conversations.invite({ channel: 'C404', users: 'U2' }))).toBe('channel_not_found');
    // A private channel the bot is not in is invisible to it.
    expect(await slackError(web.conversations.invite({ channel: 'CPRIV', users: 'U2' }))).toBe('channel_not_found');
    expect(await slackError(web.conversations.invite({ channel: 'CPUB', users: 'U2' }))).toBe('not_in_channel');
    const id = (await web.conversations.create({ name: 'deal-old' })).channel!.id!;
    await web.conversations.archive({ channel: id });
    expect(await slackError(web.conversations.invite({ channel: id, users: 'U2' }))).toBe('is_archived');
  });

  it('archive / unarchive: already_archived, channel_not_found, bot tokens may not unarchive', async () => {
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    await web.conversations.archive({ channel: id });
    expect(fake.channel(id)?.archived).toBe(true);
    expect(await slackError(web.conversations.archive({ channel: id }))).toBe('already_archived');
    expect(await slackError(web.conversations.archive({ channel: 'C404' }))).toBe('channel_not_found');
    expect(await slackError(web.conversations.unarchive({ channel: id }))).toBe('not_authorized');
    expect(fake.channel(id)?.archived).toBe(true);
    expect(await slackError(web.chat.postMessage({ channel: id, text: 'hi' }))).toBe('is_archived');
  });

  it('setTopic, setPurpose, info, members (paginated)', async () => {
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    await web.conversations.invite({ channel: id, users: 'U1,U2,U3' });
    await web.conversations.setTopic({ channel: id, topic: 'Acme · $120k · Negotiation' });
    await web.conversations.setPurpose({ channel: id, purpose: 'Close Acme' });
    expect(await slackError(web.conversations.setTopic({ channel: id, topic: 'x'.repeat(251) }))).toBe('too_long');
    const info = await web.conversations.info({ channel: id, include_num_members: true });
    expect(info.channel).toMatchObject({
      id,
      name: 'deal-acme',
      topic: { value: 'Acme · $120k · Negotiation' },
      purpose: { value: 'Close Acme' },
      num_members: 4,
      is_member: true,
    });
    const pages: string[][] = [];
    for await (const page of web.paginate('conversations.members', { channel: id, limit: 3 }))
      pages.push((page as { members?: string[] }).members ?? []);
    expect(pages).toEqual([['UBOT', 'U1', 'U2'], ['U3']]);
  });

  it('conversations.open gives the DM that chat.postMessage to a user id posts into', async () => {
    const { channel } = await web.conversations.open({ users: 'U1' });
    expect(channel?.id).toMatch(/^D/);
    const r = await web.chat.postMessage({ channel: 'U1', text: 'your digest' });
    expect(r.channel).toBe(channel?.id);
    expect(fake.messages('U1').map((m) => m.text)).toEqual(['your digest']);
    expect(fake.messages(channel!.id!)).toHaveLength(1);
    expect(await web.conversations.open({ users: 'U1' })).toMatchObject({
      already_open: true,
      channel: { id: channel?.id },
    });
    expect(await slackError(web.conversations.open({ users: 'U404' }))).toBe('user_not_found');
  });
});

describe('chat and pins', () => {
  it('postMessage stores the message; chat.update changes it (omitted fields kept)', async () => {
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Acme* — $120k' } }];
    const a = await web.chat.postMessage({ channel: id, text: 'Acme — $120k', blocks });
    const b = await web.chat.postMessage({ channel: `#deal-acme`, text: 'second' });
    expect(a).toMatchObject({ channel: id, message: { text: 'Acme — $120k', user: 'UBOT', bot_id: 'BBOT', blocks } });
    expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(b.ts! > a.ts!).toBe(true);
    expect(fake.callsOf('chat.postMessage')[0].args.blocks).toEqual(blocks); // JSON-encoded by WebClient, decoded by the fake
    await web.chat.update({ channel: id, ts: a.ts!, text: 'Acme — $150k' });
    expect(fake.messages(id)[0]).toMatchObject({ ts: a.ts, text: 'Acme — $150k', blocks, edited: { user: 'UBOT' } });
    expect(fake.messages(id).map((m) => m.text)).toEqual(['Acme — $150k', 'second']);
    expect(await slackError(web.chat.update({ channel: id, ts: '1.000000', text: 'x' }))).toBe('message_not_found');
    const theirs = fake.addMessage(id, { user: 'U1', text: 'mine' });
    expect(await slackError(web.chat.update({ channel: id, ts: theirs.ts, text: 'x' }))).toBe('cant_update_message');
  });

  it('postMessage refusals: channel_not_found, not_in_channel, no_text, invalid_blocks', async () => {
    fake.addChannel({ id: 'CPUB', name: 'general-sales', members: ['U1'] });
    expect(await slackError(web.chat.postMessage({ channel: 'C404', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(web.chat.postMessage({ channel: 'CPUB', text: 'x' }))).toBe('not_in_channel');
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    expect(await slackError(web.chat.postMessage({ channel: id } as never))).toBe('no_text');
    const e = await rejection(
      web.chat.postMessage({
        channel: id,
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'Acme' } }] as never,
      }),
    );
    expect(e.data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['[ERROR] must be plain_text [json-pointer:/blocks/0/text/type]'],
    });
    expect(fake.messages(id)).toEqual([]);
  });

  it('a response_url refuses invalid blocks with HTTP 400 invalid_blocks; refusedBlocks lists every refusal', async () => {
    const bad = { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] };
    const res = await fetch(`${fake.base}/hooks/T1/bad`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(fake.refusedBlocks().map((c) => c.method)).toContain('response_url:/hooks/T1/bad');
  });

  const t = (text: string, type = 'mrkdwn') => ({ type, text });
  const button = (o: Record<string, unknown> = {}) => ({
    type: 'button',
    action_id: 'a',
    text: t('Go', 'plain_text'),
    value: 'v',
    ...o,
  });
  const select = (options: unknown[], o: Record<string, unknown> = {}) => ({
    type: 'static_select',
    action_id: 's',
    options,
    ...o,
  });
  const opt = (text: string, value = 'v') => ({ text: t(text, 'plain_text'), value });
  it.each<[string, unknown, string]>([
    ['header over 150', { type: 'header', text: t('h'.repeat(151), 'plain_text') }, '/0/text/text'],
    ['section text over 3,000', { type: 'section', text: t('x'.repeat(3001)) }, '/0/text/text'],
    ['a field over 2,000', { type: 'section', fields: [t('x'.repeat(2001))] }, '/0/fields/0/text'],
    ['more than 10 fields', { type: 'section', fields: Array(11).fill(t('x')) }, '/0/fields'],
    ['more than 10 context elements', { type: 'context', elements: Array(11).fill(t('x')) }, '/0/elements'],
    ['a context text over 3,000', { type: 'context', elements: [t('x'.repeat(3001))] }, '/0/elements/0/text'],
    [
      'button text over 75',
      { type: 'actions', elements: [button({ text: t('b'.repeat(76), 'plain_text') })] },
      '/0/elements/0/text/text',
    ],
    [
      'button value over 2,000',
      { type: 'actions', elements: [button({ value: 'v'.repeat(2001) })] },
      '/0/elements/0/value',
    ],
    [
      'action_id over 255',
      { type: 'section', text: t('x'), accessory: button({ action_id: 'a'.repeat(256) }) },
      '/0/accessory/action_id',
    ],
    [
      'more than 100 options',
      { type: 'actions', elements: [select(Array(101).fill(opt('o')))] },
      '/0/elements/0/options',
    ],
    [
      'option text over 75',
      { type: 'actions', elements: [select([opt('o'.repeat(76))])] },
      '/0/elements/0/options/0/text/text',
    ],
    [
      'option value over 150',
      { type: 'actions', elements: [select([opt('o', 'v'.repeat(151))])] },
      '/0/elements/0/options/0/value',
    ],
    ['a lone surrogate', { type: 'section', text: t('cut \ud83d') }, '/0/text/text'],
    ['a cut entity', { type: 'section', text: t('fish &am…') }, '/0/text/text'],
  ])('Block Kit checker: %s is refused', (_name, block, pointer) => {
    expect(blockErrors([block], 50)).toEqual([expect.stringContaining(`[json-pointer:/blocks${pointer}]`)]);
  });

  it('Block Kit checker: 50 blocks per message, 100 per view', () => {
    expect(blockErrors(Array(51).fill({ type: 'divider' }), 50)).toHaveLength(1);
    expect(blockErrors(Array(100).fill({ type: 'divider' }), 100)).toEqual([]);
    expect(blockErrors(Array(101).fill({ type: 'divider' }), 100)).toHaveLength(1);
  });

  it('postEphemeral answers message_ts; user_not_in_channel', async () => {
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    await web.conversations.invite({ channel: id, users: 'U1' });
    const r = await web.chat.postEphemeral({ channel: id, user: 'U1', text: 'only you' });
    expect(r.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals(id)).toMatchObject([{ user: 'U1', text: 'only you' }]);
    expect(fake.messages(id)).toEqual([]);
    expect(await slackError(web.chat.postEphemeral({ channel: id, user: 'U2', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  it('pins.add records the pin; already_pinned, message_not_found', async () => {
    const id = (await web.conversations.create({ name: 'deal-acme' })).channel!.id!;
    const { ts } = await web.chat.postMessage({ channel: id, text: 'summary' });
    await web.pins.add({ channel: id, timestamp: ts! });
    expect(fake.pins(id)).toEqual([ts]);
    expect(fake.pins('deal-acme')).toEqual([ts]);
    expect(await slackError(web.pins.add({ channel: id, timestamp: ts! }))).toBe('already_pinned');
    expect(await slackError(web.pins.add({ channel: id, timestamp: '1.000000' }))).toBe('message_not_found');
  });
});

describe('files (uploadV2: getUploadURLExternal, POST to the upload URL, completeUploadExternal)', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

  it('files.uploadV2 through the SDK: the bytes arrive, the file is shared into the channel with its size', async () => {
    const id = (await web.conversations.create({ name: 'deal-files' })).channel!.id!;
    const r = await web.files.uploadV2({ channel_id: id, file: png, filename: 'f.png', title: 'T', alt_text: 'A' });
    expect(r.ok).toBe(true);
    expect(fake.callsOf('files.getUploadURLExternal')[0].args).toMatchObject({ filename: 'f.png', length: '12' });
    const [f] = [...fake.state.files.values()];
    expect(f).toMatchObject({ name: 'f.png', title: 'T', alt_text: 'A', completed: true, channels: [id] });
    expect(f.bytes!.equals(png)).toBe(true);
    expect(fake.callsOf(`upload_url:${f.id}`)[0].args).toEqual({ size: 12 });
    expect(fake.messages(id).at(-1)).toMatchObject({ subtype: 'file_share', files: [{ id: f.id }] });
  });

  it('refusals: no token, unknown or foreign channel, completing before the bytes arrived, unknown upload URL', async () => {
    expect(await slackError(client('').files.getUploadURLExternal({ filename: 'f.png', length: 3 }))).toBe(
      'not_authed',
    );
    expect(await slackError(web.files.getUploadURLExternal({ filename: '', length: 3 }))).toBe('invalid_arguments');
    fake.addChannel({ id: 'CPUB', name: 'general-sales', members: ['U1'] });
    expect(await slackError(web.files.uploadV2({ channel_id: 'C404', file: png, filename: 'f.png' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(web.files.uploadV2({ channel_id: 'CPUB', file: png, filename: 'f.png' }))).toBe(
      'not_in_channel',
    );
    const { file_id } = await web.files.getUploadURLExternal({ filename: 'g.png', length: 3 });
    expect(await slackError(web.files.completeUploadExternal({ files: [{ id: file_id! }] }))).toBe('file_not_found');
    const res = await fetch(`${fake.base}/upload/F404`, { method: 'POST', body: new Uint8Array(png) });
    expect(res.status).toBe(404);
    expect(fake.messages('CPUB')).toEqual([]);
  });
});

describe('views', () => {
  const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'New deal' }, blocks: [] };

  it('views.open needs a trigger_id and answers a view id; views.update checks the hash', async () => {
    expect(await slackError(web.views.open({ view: modal } as never))).toBe('invalid_arguments');
    const { view } = await web.views.open({ trigger_id: '123.456.abc', view: modal });
    expect(view).toMatchObject({
      id: expect.stringMatching(/^V/),
      type: 'modal',
      title: { text: 'New deal' },
      team_id: 'T1',
    });
    expect(await slackError(web.views.update({ view_id: view!.id!, hash: 'stale', view: modal }))).toBe(
      'hash_conflict',
    );
    const updated = await web.views.update({
      view_id: view!.id!,
      hash: view!.hash!,
      view: { ...modal, title: { type: 'plain_text', text: 'Saved' } },
    });
    expect(fake.view(view!.id!)).toMatchObject({ title: { text: 'Saved' }, hash: updated.view?.hash });
    expect(await slackError(web.views.update({ view_id: 'V404', view: modal }))).toBe('not_found');
    const tooLong = await rejection(
      web.views.open({ trigger_id: 't', view: { ...modal, title: { type: 'plain_text', text: 'x'.repeat(25) } } }),
    );
    expect(tooLong.data.response_metadata.messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
  });

  it('views.publish keeps the App Home per user', async () => {
    await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    expect(fake.views.get('U1')).toMatchObject({ type: 'home', blocks: [{ type: 'divider' }], user_id: 'U1' });
    expect(await slackError(web.views.publish({ user_id: 'U1', view: modal as never }))).toBe('invalid_arguments');
  });
});

describe('failure injection, and what WebClient makes of it', () => {
  it('failNext(code): {ok:false} once (or N times), then the real behaviour', async () => {
    fake.failNext('conversations.create', 'missing_scope', 2);
    expect(await slackError(web.conversations.create({ name: 'a' }))).toBe('missing_scope');
    expect(await slackError(web.conversations.create({ name: 'a' }))).toBe('missing_scope');
    expect((await web.conversations.create({ name: 'a' })).ok).toBe(true);
    fake.failNext('*', 'internal_error');
    expect(await slackError(web.auth.test())).toBe('internal_error');
  });

  it('429 + rejectRateLimitedCalls: WebAPIRateLimitedError with retryAfter, no retry', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const e = await rejection(web.chat.postMessage({ channel: 'U1', text: 'x' }));
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7, name: 'WebAPIRateLimitedError' });
    expect(e.message).toBe('A rate-limit has been reached, you may retry this request in 7 seconds');
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.calls[0].response).toMatchObject({ status: 429 });
  });

  it('429 with retries allowed (rejectRateLimitedCalls false): WebClient waits Retry-After, retries, succeeds', async () => {
    const patient = client('xoxb-test', {
      rejectRateLimitedCalls: false,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    });
    const waits: number[] = [];
    patient.on(WebClientEvent.RATE_LIMITED, (sec: number) => waits.push(sec));
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const r = await patient.chat.postMessage({ channel: 'U1', text: 'x' });
    expect(r.ok).toBe(true);
    expect(waits).toEqual([1]);
    expect(fake.callsOf('chat.postMessage').map((c) => c.response?.status)).toEqual([429, 200]);
  });

  it('429 with retries: 0 and rejectRateLimitedCalls false: waits Retry-After, then a *request* error (not rate-limited)', async () => {
    const c = client('xoxb-test', { rejectRateLimitedCalls: false });
    fake.failNext('auth.test', { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    const e = await rejection(c.auth.test());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(e.code).toBe('slack_webapi_request_error');
    expect(e.retryAfter).toBeUndefined();
    expect(e.message).toMatch(
      /^A request error occurred: A rate limit was exceeded \(url: .*auth\.test, retry-after: 1\)$/,
    );
    expect(fake.callsOf('auth.test')).toHaveLength(1);
  });

  it('a dropped connection: WebAPIRequestError with the fetch error as `original`', async () => {
    fake.failNext('auth.test', 'network');
    const e = await rejection(web.auth.test());
    expect(e).toMatchObject({
      code: 'slack_webapi_request_error',
      name: 'WebAPIRequestError',
      message: 'A request error occurred: fetch failed',
    });
    expect(e.original).toBeInstanceOf(TypeError);
    expect(e.cause).toBe(e.original);
    expect(e.original.cause).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(fake.calls[0].response).toEqual({ status: 'network' });
    expect((await web.auth.test()).ok).toBe(true); // the next call gets a fresh connection
  });

  it('HTTP 500: WebAPIHTTPError with statusCode and the parsed body', async () => {
    fake.failNext('auth.test', { status: 500 });
    const e = await rejection(web.auth.test());
    expect(e).toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
      body: { ok: false, error: 'internal_error' },
    });
  });

  it('override replaces an answer until removed; unknown methods -> unknown_method', async () => {
    const restore = fake.override('auth.test', () => ({ user_id: 'UOTHER' }));
    expect((await web.auth.test()).user_id).toBe('UOTHER');
    restore();
    expect((await web.auth.test()).user_id).toBe('UBOT');
    fake.override('users.info', (call) =>
      call.args.user === 'U9' ? { ok: false, error: 'user_not_visible' } : undefined,
    );
    expect(await slackError(web.users.info({ user: 'U9' }))).toBe('user_not_visible');
    expect((await web.users.info({ user: 'U2' })).user?.name).toBe('bo');
    expect(await slackError(web.apiCall('deals.make'))).toBe('unknown_method');
  });

  it('reset() forgets calls but keeps the workspace', async () => {
    await web.conversations.create({ name: 'deal-acme' });
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(await slackError(web.conversations.create({ name: 'deal-acme' }))).toBe('name_taken');
  });
});

describe('wire formats', () => {
  it('JSON bodies with a bearer token are understood', async () => {
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'U2', text: 'hi', unfurl_links: false }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: expect.stringMatching(/^D/) });
    expect(fake.calls[0].args).toEqual({ channel: 'U2', text: 'hi', unfurl_links: false });
  });

  it('response_url sink records JSON posts per path', async () => {
    const res = await fetch(`${fake.base}/hooks/T1/abc?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'done' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(fake.responses('/hooks/T1/abc')).toMatchObject([
      { method: 'response_url:/hooks/T1/abc', args: { x: '1', replace_original: true, text: 'done' } },
    ]);
    expect(fake.responses()).toHaveLength(1);
    expect(fake.responses('/hooks/other')).toEqual([]);
  });
});
