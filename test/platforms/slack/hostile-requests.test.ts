// Malformed and hostile HTTP requests against the real Bolt app (issue 11): the process stays
// up, every answer is a 2xx/4xx, the signature window holds both ways, a charset is accepted,
// deliveries without trigger_id never share a key, outsiders are refused.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSlack, SECRET, sign, slashBody, waitFor } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootSlack>>;
beforeAll(async () => {
  s = await bootSlack();
});
afterAll(async () => {
  await s.stop();
});

const now = () => Math.floor(Date.now() / 1000);
const ephemeral = (hook: string) =>
  s.fake.calls.filter((c) => c.method === `response_url:/hooks/${hook}`).map((c) => JSON.stringify(c.args));

describe('Slack receiver guard', () => {
  it.each([
    ['form payload=null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['JSON null', 'null', 'application/json'],
    ['JSON number', '42', 'application/json'],
    ['JSON array', '[]', 'application/json'],
    ['form payload not JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
  ])('a validly signed %s gets 400 and the process keeps serving', async (_name, body, type) => {
    const r = await s.post(body, { ...sign(body), 'content-type': type });
    expect(r.status).toBe(400);
    const ok = await s.slash('help', { trigger: `after-${_name}` });
    expect(ok.status).toBe(200);
  });

  it.each([
    ['6 minutes in the future', 360, 401],
    ['a day in the future', 86_400, 401],
    ['6 minutes old', -360, 401],
    ['4 minutes in the future', 240, 200],
    ['4 minutes old', -240, 200],
  ])('a timestamp %s → %i', async (_name, skew, status) => {
    const body = slashBody(s.fake, 'help');
    const r = await s.post(body, sign(body, now() + skew));
    expect(r.status).toBe(status);
  });

  it('a content type with a charset is accepted and the command runs', async () => {
    const body = slashBody(s.fake, 'new Charset | Works', { trigger: 'charset-1' });
    const r = await s.post(body, { ...sign(body), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(r.status).toBe(200);
    await waitFor(() => s.fake.channel('deal-charset-works'));
  });

  it('a wrong signature is 401; an unknown content type 415', async () => {
    const body = slashBody(s.fake, 'help');
    const bad = `v0=${createHmac('sha256', `${SECRET}x`).update(`v0:${now()}:${body}`).digest('hex')}`;
    expect((await s.post(body, { ...sign(body), 'x-slack-signature': bad })).status).toBe(401);
    expect((await s.post(body, { ...sign(body), 'content-type': 'text/plain' })).status).toBe(415);
  });
});

describe('deliveries without a trigger_id', () => {
  it('each gets a key of its own: two different commands both apply', async () => {
    const send = (text: string, hook: string) => {
      const params = new URLSearchParams(slashBody(s.fake, text, { trigger: hook }));
      params.delete('trigger_id');
      const body = params.toString();
      return s.post(body, sign(body));
    };
    expect((await send('new NoTrigger | One', 'nt-1')).status).toBe(200);
    await waitFor(() => s.fake.channel('deal-notrigger-one'));
    expect((await send('new NoTrigger | Two', 'nt-2')).status).toBe(200);
    await waitFor(() => s.fake.channel('deal-notrigger-two'));
    // A retry of the first (same response_url) is still recognised: dropped at the door, the first answered.
    await s.slack.idle();
    const answers = ephemeral('nt-1').length;
    expect((await send('new NoTrigger | One', 'nt-1')).status).toBe(200);
    await s.slack.idle();
    expect(ephemeral('nt-1').length).toBe(answers);
    expect(await s.db.prisma.deal.count({ where: { title: { in: ['One', 'Two'] } } })).toBe(2);
  });
});

describe('people of another workspace', () => {
  it('a mention of a user whose profile names another team is refused in words', async () => {
    s.fake.addUser({ id: 'UOUTSIDER', name: 'mallory', team_id: 'T0EVIL' });
    await s.slash('invite <@UOUTSIDER>', { trigger: 'outsider-1', channel: 'CGENERAL' });
    await waitFor(() => ephemeral('outsider-1').some((m) => m.includes('another workspace')));
    expect(await s.db.prisma.member.count({ where: { externalId: 'UOUTSIDER' } })).toBe(0);
  });
});
