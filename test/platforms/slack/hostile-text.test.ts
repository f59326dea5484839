// What people paste, through the real Bolt app to the fake Slack Web API: nothing they type pings
// the channel or becomes a link, and nothing within our own input limits breaks a later card update
// (issue 11: "mention injection", "card refresh fails for good").
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bootSlack, waitFor } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootSlack>>;
let room: string;

beforeAll(async () => {
  s = await bootSlack();
  await s.slash('new Acme | ERP rollout <@UBOB|bob>', { trigger: 'h-new' });
  room = await waitFor(() => s.fake.channel('deal-acme-erp-rollout')?.id);
  await s.slack.idle();
});
afterAll(() => s.stop()); // also fails if Slack refused any blocks the app sent
beforeEach(() => s.slack.idle());

/** Everything the app sent to Slack (messages, card updates, DMs, ephemeral replies) as JSON. */
const sent = () =>
  JSON.stringify(
    s.fake.calls
      .filter((c) => /^(chat\.|response_url:)/.test(c.method))
      .map((c) => ({ text: c.args.text, blocks: c.args.blocks })),
  );

describe('Slack: hostile text', () => {
  it('a mention label or a channel label cannot smuggle <!channel> or a masked link anywhere', async () => {
    const before = s.fake.calls.length;
    await s.slash('action <@UBOB|bob> ping <@U1|<!channel>> and <#C1|<https://evil.example|click>> due:2026-12-01', {
      channel: room,
      trigger: 'h-inject',
    });
    await waitFor(() => s.fake.calls.slice(before).some((c) => c.method === 'chat.update'));
    await s.slack.idle();
    const out = sent();
    expect(out).toContain('ping &lt;@U1|&lt;!channel&gt;&gt;'); // shown, as typed
    expect(out).not.toMatch(/<!channel>|<https:\/\/evil|<#C1\|/);
    // and the person it was meant for still gets a live mention (the assignee, in the room post)
    expect(s.fake.messages(room).at(-1)!.text).toContain('to <@UBOB>');
  });

  it('a decision-maker of 200 `&` with a title of 200 `&` keeps the card updatable', async () => {
    const amp = '&'.repeat(200);
    await s.slash(`contact ${amp} role:decision-maker title:${amp}`, { channel: room, trigger: 'h-amp' });
    await s.slack.idle();
    const updates = s.fake.callsOf('chat.update').length;
    await s.slash('set amount 50k', { channel: room, trigger: 'h-after' });
    await waitFor(() => s.fake.callsOf('chat.update').length > updates);
    await s.slack.idle();
    const last = s.fake.callsOf('chat.update').at(-1)!;
    expect(last.response).toMatchObject({ status: 200, body: { ok: true } });
    const card = s.fake.messages(room).find((m) => m.ts === last.args.ts)!;
    expect(JSON.stringify(card.blocks)).toContain('$50,000');
    expect(s.fake.refusedBlocks()).toEqual([]);
  });
});
