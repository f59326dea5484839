// The fake Lark Open API answers like Lark: token first, bearer checks, id-type checks, business
// errors as HTTP 400 + code, rate limits as 429 + code 99991400 + x-ogw-ratelimit-reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLark, startFakeLark } from './fake-lark-api.ts';

let fake: FakeLark;
let token: string;
const call = async (method: string, path: string, body?: unknown, auth = `Bearer ${token}`) => {
  const res = await fetch(`${fake.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};
beforeAll(async () => {
  fake = await startFakeLark();
  fake.state.addUser({ open_id: 'ou_a', name: 'A' });
  const r = await call(
    'POST',
    '/open-apis/auth/v3/tenant_access_token/internal',
    {
      app_id: fake.appId,
      app_secret: fake.appSecret,
    },
    '',
  );
  token = String(r.body.tenant_access_token);
});
afterAll(() => fake.close());

describe('fake Lark Open API', () => {
  it('hands out a tenant token at the top level of the answer, and refuses a wrong secret', async () => {
    expect(token).toMatch(/^t-/);
    const bad = await call(
      'POST',
      '/open-apis/auth/v3/tenant_access_token/internal',
      { app_id: fake.appId, app_secret: 'x' },
      '',
    );
    expect(bad).toMatchObject({ status: 400, body: { code: 10014 } });
  });

  it.each([
    ['', 99991661],
    ['Bearer t-forged', 99991663],
  ])('bearer %j -> HTTP 400 code %i', async (auth, code) => {
    expect(await call('GET', '/open-apis/bot/v3/info', undefined, auth)).toMatchObject({ status: 400, body: { code } });
  });

  it('checks id types', async () => {
    const r = await call('POST', '/open-apis/im/v1/messages?receive_id_type=nickname', {
      receive_id: 'x',
      msg_type: 'text',
      content: '{}',
    });
    expect(r).toMatchObject({ status: 400, body: { code: 99992402 } });
    const u = await call('GET', '/open-apis/contact/v3/users/ou_a?user_id_type=email');
    expect(u.status).toBe(400);
  });

  it('de-duplicates a send by uuid', async () => {
    const send = () =>
      call('POST', '/open-apis/im/v1/messages?receive_id_type=open_id', {
        receive_id: 'ou_a',
        msg_type: 'text',
        content: '{"text":"hi"}',
        uuid: 'u-1',
      });
    const [a, b] = [await send(), await send()];
    expect((a.body.data as { message_id: string }).message_id).toBe((b.body.data as { message_id: string }).message_id);
    expect(fake.state.messagesIn(fake.state.p2p('ou_a')!.chat_id)).toHaveLength(1);
  });

  it('refuses a card Lark would refuse', async () => {
    const r = await call('POST', '/open-apis/im/v1/messages?receive_id_type=open_id', {
      receive_id: 'ou_a',
      msg_type: 'interactive',
      content: JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'marquee' }] } }),
    });
    expect(r).toMatchObject({ status: 400, body: { code: 230099 } });
  });

  it('rate limits with 429, code 99991400 and the reset header', async () => {
    fake.failNext('bot.info', { rateLimit: 7 });
    const r = await call('GET', '/open-apis/bot/v3/info');
    expect(r).toMatchObject({ status: 429, body: { code: 99991400 } });
    expect(r.headers.get('x-ogw-ratelimit-reset')).toBe('7');
    expect((await call('GET', '/open-apis/bot/v3/info')).status).toBe(200);
  });

  it('records every call with its route', () => {
    expect(fake.callsOf('message.create').length).toBeGreaterThanOrEqual(3);
    expect(fake.calls.every((c) => c.response)).toBe(true);
  });
});
