// The real Bolt app against the fake Slack Web API: signed requests in, asserted Web API calls out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../../src/jobs/outbox-worker.ts';
import { METHOD_SCOPES } from '../../../src/platforms/slack/scopes.ts';
import { bootSlack, interactionBody, sign, slashBody, waitFor } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootSlack>>;
let room: string;
const methods = new Set<string>();
const calls = (m: string) => s.fake.callsOf(m);

beforeAll(async () => {
  s = await bootSlack();
});
afterAll(async () => {
  for (const c of s.fake.calls) if (!/^(response_url|upload_url):/.test(c.method)) methods.add(c.method);
  await s.stop();
});

// Each test starts after every earlier flow has finished its follow-ups (not after a quiet spell,
// which under load ends while a flow is still between two calls).
beforeEach(() => s.slack.idle());

const responseTo = (trigger: string) =>
  waitFor(() => s.fake.calls.find((c) => c.method === `response_url:/hooks/${trigger}`));

describe('Slack: /deal over HTTP', () => {
  it('acks at once, then creates one private channel, invites, sets the topic, posts and pins the card', async () => {
    const res = await s.slash('new Acme | ERP rollout amount:120k close:2026-12-31 <@UBOB|bob>', { trigger: 'new1' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const reply = await responseTo('new1');
    expect(reply.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.args.text)).toContain('Deal #1 Acme — ERP rollout created');
    const created = calls('conversations.create');
    expect(created).toHaveLength(1);
    expect(created[0].args).toMatchObject({ name: 'deal-acme-erp-rollout', is_private: 'true' }); // form-encoded
    expect(created[0].token).toBe('xoxb-test');
    room = s.fake.channel('deal-acme-erp-rollout')!.id;
    expect([...s.fake.channel(room)!.members].sort()).toEqual(['UALICE', 'UBOB', 'UBOT']);
    expect(s.fake.channel(room)!.topic).toBe('#1 Acme — ERP rollout');
    const [card] = s.fake.messages(room);
    expect(card.blocks![0]).toMatchObject({ type: 'header', text: { text: '#1 Acme — ERP rollout' } });
    expect(s.fake.pins(room)).toEqual([card.ts]);
    const deal = await s.db.prisma.deal.findFirstOrThrow();
    expect(deal).toMatchObject({ roomId: room, cardRef: card.ts });
  });

  it('a retried delivery (X-Slack-Retry-Num) creates no second deal or channel', async () => {
    const body = slashBody(s.fake, 'new Acme | ERP rollout amount:120k', { trigger: 'new1' });
    const res = await s.post(body, { ...sign(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(res.status).toBe(200);
    await s.slack.idle();
    // Acked and dropped at the inbox: the first delivery already answered; nothing runs twice.
    expect(s.fake.calls.filter((c) => c.method === 'response_url:/hooks/new1')).toHaveLength(1);
    expect(calls('conversations.create')).toHaveLength(1);
    expect(await s.db.prisma.deal.count()).toBe(1);
  });

  it.each([
    ['unsigned', (_b: string) => ({ 'content-type': 'application/x-www-form-urlencoded' })],
    ['wrongly signed', (b: string) => sign(b, undefined, 'not-the-secret')],
    ['stale (6 minutes old)', (b: string) => sign(b, Math.floor(Date.now() / 1000) - 360)],
  ])('%s requests get 401 and change nothing', async (_n, headers) => {
    const before = s.fake.calls.length;
    const body = slashBody(s.fake, 'new Evil | Corp', { trigger: `evil-${_n}` });
    const res = await s.post(body, headers(body) as Record<string, string>);
    expect(res.status).toBe(401);
    await s.slack.idle();
    expect(s.fake.calls.length).toBe(before);
    expect(await s.db.prisma.deal.count()).toBe(1);
  });

  it('an action in the room is posted for everyone, the card updated, the assignee told by DM', async () => {
    const posts = s.fake.messages(room).length;
    await s.slash('action <@UBOB|bob> Prepare the demo due:2026-12-01', { channel: room, trigger: 'act1' });
    await waitFor(() => calls('chat.update').length >= 1 && s.fake.messages('UBOB').length >= 1);
    expect(
      s.fake
        .messages(room)
        .slice(posts)
        .map((m) => m.text),
    ).toEqual([expect.stringContaining('assigned #1 to <@UBOB>: Prepare the demo')]);
    expect(JSON.stringify(s.fake.messages(room)[0].blocks)).toContain('"action_id":"action_done"');
    expect(s.fake.messages('UBOB')[0].text).toContain('/deal done #1 1');
  });

  it("the card's Done button checks the action off and posts the closure for everyone", async () => {
    const card = s.fake.messages(room)[0];
    const payload = {
      type: 'block_actions',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'UBOB', username: 'bob', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 'btn-1',
      channel: { id: room, name: 'deal-acme-erp-rollout' },
      container: { type: 'message', message_ts: card.ts, channel_id: room },
      message: { ts: card.ts, text: card.text },
      response_url: `${s.fake.base}/hooks/btn-1`,
      actions: [{ type: 'button', action_id: 'action_done', block_id: 'b1', value: '1:1', action_ts: '1.1' }],
    };
    const body = interactionBody(payload);
    const res = await s.post(body);
    expect(res.status).toBe(200);
    await waitFor(() => s.fake.messages(room).some((m) => m.text.includes('completed #1')));
    const a = await s.db.prisma.actionItem.findFirstOrThrow({ where: { number: 1 } });
    expect(a.status).toBe('done');
    await waitFor(() => !JSON.stringify(s.fake.messages(room)[0].blocks).includes('Prepare the demo'));
    // the same click delivered again changes nothing
    await s.post(body);
    await s.slack.idle();
    expect(await s.db.prisma.dealEvent.count({ where: { type: 'action_done' } })).toBe(1);
  });

  it('the stage menu runs the same gates: a blocked move is explained privately', async () => {
    const payload = {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'UALICE', team_id: 'T1' },
      api_app_id: 'A1',
      trigger_id: 'sel-1',
      channel: { id: room },
      container: { type: 'message', channel_id: room },
      response_url: `${s.fake.base}/hooks/sel-1`,
      actions: [
        {
          type: 'static_select',
          action_id: 'stage_select',
          block_id: 'b2',
          selected_option: { value: '1:proposal', text: { type: 'plain_text', text: 'Proposal' } },
          action_ts: '1.2',
        },
      ],
    };
    await s.post(interactionBody(payload));
    const r = await responseTo('sel-1');
    expect(String(r.args.text)).toContain('Not moved: Proposal needs');
    expect((await s.db.prisma.deal.findFirstOrThrow()).stage).toBe('lead');
  });

  it('/deal with no text opens the new-deal form; its submission creates the deal', async () => {
    await s.slash('', { trigger: 'modal1' });
    const open = await waitFor(() => calls('views.open')[0]);
    expect(open.args).toMatchObject({ trigger_id: 'modal1', view: { callback_id: 'deal_new', type: 'modal' } });
    const submit = (amount: string) =>
      interactionBody({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'UALICE', team_id: 'T1' },
        api_app_id: 'A1',
        trigger_id: 'v1',
        view: {
          id: `V${amount}`,
          callback_id: 'deal_new',
          private_metadata: JSON.stringify({ channelId: 'CGENERAL' }),
          state: {
            values: {
              account: { account: { type: 'plain_text_input', value: 'Globex' } },
              title: { title: { type: 'plain_text_input', value: 'Pilot' } },
              amount: { amount: { type: 'plain_text_input', value: amount } },
              close: { close: { type: 'datepicker', selected_date: '2027-01-31' } },
              people: { people: { type: 'multi_users_select', selected_users: ['UCAROL'] } },
            },
          },
        },
      });
    const bad = await s.post(submit('lots'));
    expect(await bad.json()).toMatchObject({
      response_action: 'errors',
      errors: { amount: expect.stringContaining('lots') },
    });
    expect(await s.db.prisma.deal.count()).toBe(1);
    const ok = await s.post(submit('50k'));
    expect(ok.status).toBe(200);
    await waitFor(() => s.fake.channel('deal-globex-pilot')?.members.has('UCAROL'));
    const deal = await s.db.prisma.deal.findFirstOrThrow({ where: { title: 'Pilot' } });
    expect(deal.amount!.toString()).toBe('50000');
    expect(deal.closeDate!.toISOString().slice(0, 10)).toBe('2027-01-31');
  });

  it('App Home shows my open deals and actions with Done buttons', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'Ev1',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'home' },
    });
    const res = await s.post(body, { ...sign(body), 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const pub = await waitFor(() => calls('views.publish').at(-1));
    expect(pub.args.user_id).toBe('UALICE');
    const view = JSON.stringify(pub.args.view);
    expect(view).toContain('ERP rollout');
    expect(view).toContain('Pilot');
  });

  it('/deal mine works in a DM with the bot', async () => {
    await s.slash('mine', { channel: 'DALICE', trigger: 'mine1' });
    const r = await responseTo('mine1');
    expect(String(r.args.text)).toContain('#1 Acme — ERP rollout');
    expect(r.args.response_type).toBe('ephemeral');
  });

  it('answers health checks', async () => {
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(200);
  });
});

describe('Slack: failures have a clear outcome and consistent data', () => {
  it('name_taken: the room gets the next free name', async () => {
    await s.slash('new Initech | Upgrade', { trigger: 'nt0' });
    await waitFor(() => s.fake.channel('deal-initech-upgrade'));
    await s.slash('new Initech | Upgrade', { trigger: 'nt1' });
    await waitFor(() => s.fake.channel('deal-initech-upgrade-2'));
    expect(await s.db.prisma.deal.count({ where: { title: 'Upgrade' } })).toBe(2);
  });

  it.each([
    ['not_in_channel', "I'm not a member of that room"],
    ['channel_not_found', 'no longer exists'],
    ['is_archived', 'archived'],
  ])('%s on the room post: the change is saved and the user is told', async (code, says) => {
    s.fake.failNext('chat.postMessage', code);
    await s.slash('set next-step Send pricing', { channel: room, trigger: `e-${code}` });
    const r = await responseTo(`e-${code}`);
    expect(String(r.args.text)).toContain(says);
    expect((await s.db.prisma.deal.findFirstOrThrow({ where: { number: 1 } })).nextStep).toBe('Send pricing');
  });

  it('a short 429 is waited out (Retry-After) and retried once', async () => {
    s.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const before = calls('chat.postMessage').length;
    await s.slash('log Quick call', { channel: room, trigger: 'rl1' });
    await waitFor(() => s.fake.messages(room).some((m) => m.text.includes('Quick call')));
    expect(calls('chat.postMessage').length - before).toBeGreaterThanOrEqual(2);
  });

  it('a long 429 is reported with its wait, nothing is lost', async () => {
    s.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    await s.slash('log Long wait call', { channel: room, trigger: 'rl2' });
    const r = await responseTo('rl2');
    expect(String(r.args.text)).toContain('retry in 30s');
    expect(
      await s.db.prisma.dealEvent.count({
        where: { type: 'contact_logged', data: { path: ['note'], equals: 'Long wait call' } },
      }),
    ).toBe(1);
  });

  it('a network error creating the room keeps the deal; the outbox creates the room once, later', async () => {
    s.fake.failNext('conversations.create', 'network');
    await s.slash('new Hooli | Mail', { trigger: 'net1' });
    const r = await responseTo('net1');
    expect(String(r.args.text)).toContain("couldn't create its room");
    expect((await s.db.prisma.deal.findFirstOrThrow({ where: { title: 'Mail' } })).roomId).toBeNull();
    const body = slashBody(s.fake, 'new Hooli | Mail', { trigger: 'net1' });
    await s.post(body, { ...sign(body), 'x-slack-retry-num': '1' });
    await s.slack.idle();
    expect(s.fake.calls.filter((c) => c.method === 'response_url:/hooks/net1')).toHaveLength(1);
    expect(await s.db.prisma.deal.count({ where: { title: 'Mail' } })).toBe(1);
    s.clock.advance(60_000);
    await new OutboxWorker({ deps: s.slack.deps }).tick();
    const channel = s.fake.channel('deal-hooli-mail')!;
    expect((await s.db.prisma.deal.findFirstOrThrow({ where: { title: 'Mail' } })).roomId).toBe(channel.id);
    expect(calls('conversations.create').filter((c) => c.args.name === 'deal-hooli-mail')).toHaveLength(2);
  });

  it("/deal pipeline in a room: the text reply, then the funnel as a PNG in the speaker's DM, never in the room", async () => {
    const before = s.fake.messages(room).length;
    const dmBefore = s.fake.messages('UALICE').length;
    await s.slash('pipeline', { channel: room, trigger: 'pipe1' });
    const reply = await responseTo('pipe1');
    expect(String(reply.args.text)).toMatch(/^Pipeline — \d+ open deals/); // the text is always there
    await s.slack.idle();
    const files = [...s.fake.state.files.values()];
    expect(files).toHaveLength(1);
    const [f] = files;
    expect(f).toMatchObject({ name: 'funnel-solution.png', completed: true });
    expect(f.channels).not.toContain(room); // team-wide numbers: only the speaker sees them, like the text
    expect(f.title).toContain('Pipeline');
    expect(f.alt_text).toContain('Funnel picture');
    const png = f.bytes!;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // PNG signature
    expect(png.length).toBeGreaterThan(1000);
    expect(png.length).toBe(f.length); // the announced length is what arrived
    // Shared into the speaker's DM as a file message; three calls, as the SDK's files.uploadV2 makes them.
    expect(s.fake.messages(room)).toHaveLength(before);
    expect(s.fake.messages('UALICE').slice(dmBefore)).toEqual([
      expect.objectContaining({ subtype: 'file_share', files: [{ id: f.id }] }),
    ]);
    expect(calls('files.getUploadURLExternal')[0].token).toBe('xoxb-test');
    expect(calls(`upload_url:${f.id}`)).toHaveLength(1);
    expect(calls('files.completeUploadExternal')[0].args).toMatchObject({ channel_id: f.channels[0] });
  });

  it('/deal pipeline where the upload fails (an install without files:write) answers in text only', async () => {
    s.fake.failNext('files.getUploadURLExternal', 'missing_scope');
    const before = s.fake.messages(room).length;
    await s.slash('pipeline', { channel: room, trigger: 'pipe2' });
    const reply = await responseTo('pipe2');
    expect(String(reply.args.text)).toMatch(/^Pipeline — \d+ open deals/);
    await s.slack.idle();
    expect(s.fake.state.files.size).toBe(1); // only the earlier one
    expect(s.fake.messages(room)).toHaveLength(before);
  });

  it('won posts a closing summary; after the grace period the room is archived; reopen makes a fresh room', async () => {
    await s.slash('won signed today', { channel: room, trigger: 'won1' });
    await s.slack.idle();
    expect(s.fake.messages(room).some((m) => m.text.includes('won'))).toBe(true);
    const { archiveClosedRooms } = await import('../../../src/app/rooms.ts');
    s.clock.advance(25 * 3600_000);
    const n = await archiveClosedRooms(s.slack.deps, s.slack.platform, 24 * 3600_000, async () => ({
      platform: 'slack',
      externalId: 'T1',
    }));
    expect(n).toBe(1);
    expect(s.fake.channel(room)!.archived).toBe(true);
    // A slow Slack between creating the channel and the app linking it to the deal (as under load):
    // the test must wait for the flow's end, not for its first visible step.
    const restore = s.fake.override('conversations.setTopic', async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { ok: true };
    });
    await s.slash('#1 reopen', { channel: 'CGENERAL', trigger: 'reopen1' });
    await s.slack.idle();
    restore();
    expect(s.fake.channel('deal-acme-erp-rollout-2')).toBeDefined();
    const deal = await s.db.prisma.deal.findFirstOrThrow({ where: { number: 1 } });
    expect(deal.status).toBe('open');
    expect(deal.roomId).toBe(s.fake.channel('deal-acme-erp-rollout-2')!.id);
    expect(calls('conversations.unarchive')).toHaveLength(0); // bot tokens cannot unarchive
  });

  it('every Web API method the app called is in the scope map (and so in the manifest)', () => {
    const seen = [...new Set(s.fake.calls.map((c) => c.method).filter((m) => !/^(response_url|upload_url):/.test(m)))];
    expect(seen.filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
  });
});
