// The real Lark SDK against the fake Open API, in both delivery modes: messages and card clicks
// in, asserted Open API calls and database rows out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestScheduler } from '../../../src/jobs/digest-scheduler.ts';
import { BOT_OPEN_ID } from '../../fakes/fake-lark-api.ts';
import { cardActionEvent, menuEvent, messageEvent } from '../../fakes/lark-events.ts';
import { ALICE, BOB, bootLark } from './helpers.ts';

const BOT = { openId: BOT_OPEN_ID, name: 'Dealroom' };
const BOB_M = { openId: BOB, name: 'Bob Li' };

describe.each(['webhook', 'ws'] as const)('Lark over %s', (mode) => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  let room: string;
  beforeAll(async () => {
    s = await bootLark(mode);
  });
  afterAll(() => s.stop());
  const cardIn = (chat: string) => s.fake.state.messagesIn(chat).find((m) => s.fake.state.pins.has(m.message_id))!;
  const cardJson = (chat: string) => JSON.stringify(cardIn(chat).content);

  it('a p2p message creates the deal, its group (owner and colleagues, description), card and pin', async () => {
    const r = await s.deliver(
      messageEvent('/deal new Acme | ERP rollout amount:120k @Bob Li', {
        from: ALICE,
        chatId: 'oc_p2p_alice',
        chatType: 'p2p',
        mentions: [BOB_M],
      }),
    );
    expect(r.status).toBe(200);
    const created = s.fake.callsOf('chat.create');
    expect(created).toHaveLength(1);
    expect(created[0].query).toMatchObject({ user_id_type: 'open_id', set_bot_manager: 'true' });
    expect(created[0].auth).toMatch(/^Bearer t-/);
    const chat = [...s.fake.state.chats.values()].find((c) => c.chat_mode === 'group')!;
    room = chat.chat_id;
    expect(chat).toMatchObject({ name: '#1 Acme — ERP rollout', description: '#1 Acme — ERP rollout' });
    expect([...chat.members].sort()).toEqual([BOT_OPEN_ID, ALICE, BOB].sort());
    const card = cardIn(room);
    expect(card.msg_type).toBe('interactive');
    expect(card.content).toMatchObject({ schema: '2.0', header: { title: { content: '#1 Acme — ERP rollout' } } });
    expect(cardJson(room)).toContain(`<at id=${ALICE}></at>`);
    const deal = await s.db.prisma.deal.findFirstOrThrow();
    expect(deal).toMatchObject({ roomId: room, cardRef: card.message_id, amount: expect.anything() });
    // The reply reaches Alice in her chat with the bot.
    const dm = s.fake.state.messagesIn(s.fake.state.p2p(ALICE)!.chat_id);
    expect(JSON.stringify(dm.at(-1)!.content)).toContain('#1');
    // People come from the contact API: name and time zone.
    const alice = await s.db.prisma.member.findFirstOrThrow({ where: { externalId: ALICE } });
    expect(alice).toMatchObject({ displayName: '陈爱丽', timezone: 'Asia/Shanghai', role: 'admin' });
  });

  it('`@bot /deal action @Bob …` in the group: posted for everyone, card patched, Bob told in his p2p chat', async () => {
    const patches = s.fake.callsOf('message.patch').length;
    await s.deliver(
      messageEvent('@Dealroom /deal action @Bob Li prepare the demo due:2026-12-01', {
        from: ALICE,
        chatId: room,
        mentions: [BOT, BOB_M],
      }),
    );
    const action = await s.db.prisma.actionItem.findFirstOrThrow();
    expect(action).toMatchObject({ number: 1, text: 'prepare the demo', status: 'open' });
    expect(s.fake.callsOf('message.patch').length).toBe(patches + 1);
    expect(cardJson(room)).toContain('prepare the demo');
    expect(cardJson(room)).toContain('"a":"action_done","v":"1:1"');
    const bobDm = s.fake.state.messagesIn(s.fake.state.p2p(BOB)!.chat_id);
    expect(JSON.stringify(bobDm.at(-1)!.content)).toContain('prepare the demo');
  });

  it('ordinary chat in the group is not a command; `/deal` without a mention is', async () => {
    const before = s.fake.calls.length;
    await s.deliver(messageEvent('lunch at noon? deal with it later', { from: ALICE, chatId: room }));
    expect(s.fake.calls.length).toBe(before);
    await s.deliver(messageEvent('/deal log called the CFO', { from: ALICE, chatId: room }));
    expect(await s.db.prisma.dealEvent.count({ where: { type: 'contact_logged' } })).toBe(1);
  });

  it("the card's Done button is the same command: action closed, answer as a toast", async () => {
    const r = await s.deliver(cardActionEvent({ value: { a: 'action_done', v: '1:1' } }, { from: BOB, chatId: room }));
    expect(r.body).toMatchObject({ toast: { type: 'success' } });
    expect((await s.db.prisma.actionItem.findFirstOrThrow()).status).toBe('done');
    expect(cardJson(room)).not.toContain('prepare the demo');
  });

  it('the stage picker runs the same gates: a blocked move is an error toast and changes nothing', async () => {
    const r = await s.deliver(
      cardActionEvent({ value: { a: 'stage_select' }, option: '1:proposal' }, { from: ALICE, chatId: room }),
    );
    expect(r.body).toMatchObject({ toast: { type: 'error', content: expect.stringMatching(/Proposal|方案/) } });
    expect((await s.db.prisma.deal.findFirstOrThrow()).stage).toBe('lead');
  });

  it('Chinese commands work in the group; a refusal is explained in Chinese in the chat with the bot', async () => {
    const chat = s.fake.state.p2p(ALICE)!.chat_id;
    const before = s.fake.state.messagesIn(chat).length;
    await s.deliver(messageEvent('@Dealroom 阶段 方案', { from: ALICE, chatId: room, mentions: [BOT] }));
    expect((await s.db.prisma.deal.findFirstOrThrow()).stage).toBe('lead');
    const answer = s.fake.state.messagesIn(chat).slice(before);
    expect(answer).toHaveLength(1);
    expect(JSON.stringify(answer[0].content)).toMatch(/[\u4e00-\u9fff]/);
    expect(JSON.stringify(answer[0].content)).not.toMatch(/Not moved/);
  });

  it('a re-delivered event_id is processed once', async () => {
    const ev = messageEvent('/deal action @Bob Li send the quote', { from: ALICE, chatId: room, mentions: [BOB_M] });
    await s.deliver(ev);
    await s.deliver(ev);
    expect(await s.db.prisma.actionItem.count({ where: { text: 'send the quote' } })).toBe(1);
    const click = cardActionEvent({ value: { a: 'action_done', v: '1:2' } }, { from: BOB, chatId: room });
    await s.deliver(click);
    await s.deliver(click);
    expect(await s.db.prisma.dealEvent.count({ where: { type: 'action_done' } })).toBe(2); // #1 earlier, #2 once
  });

  it('won closes the deal; housekeeping marks the group closed by name (Lark has no archive)', async () => {
    await s.deliver(messageEvent('/deal won signed', { from: ALICE, chatId: room }));
    expect((await s.db.prisma.deal.findFirstOrThrow()).status).toBe('won');
    await s.app.platform.archiveRoom({ platform: 'lark', externalId: 'tenant-acme' }, room);
    expect(s.fake.state.chats.get(room)!.name).toBe('🔒 #1 Acme — ERP rollout');
  });

  it("a bot menu item is the same command, answered in the person's chat with the bot", async () => {
    const dms = () => s.fake.state.messagesIn(s.fake.state.p2p(ALICE)!.chat_id).length;
    const before = dms();
    await s.deliver(menuEvent('deal_mine', { from: ALICE }));
    expect(dms()).toBe(before + 1);
    const last = s.fake.state.messagesIn(s.fake.state.p2p(ALICE)!.chat_id).at(-1)!;
    expect(JSON.stringify(last.content)).toContain('/deal new'); // what `mine` answers once the deal is won
  });

  it("morning digests arrive as cards in the manager's chat with the bot (Monday's with the funnel picture)", async () => {
    await s.deliver(
      messageEvent('/deal team @Alice @Bob Li', {
        from: ALICE,
        chatId: 'oc_p2p_alice',
        chatType: 'p2p',
        mentions: [{ openId: ALICE, name: 'Alice' }, BOB_M],
      }),
    );
    const alice = await s.db.prisma.member.findFirstOrThrow({ where: { externalId: ALICE } });
    expect(await s.db.prisma.member.count({ where: { managerId: alice.id } })).toBe(1);
    const chat = s.fake.state.p2p(ALICE)!.chat_id;
    const before = s.fake.state.messagesIn(chat).length;
    const r = await new DigestScheduler({ deps: s.app.deps, platform: 'lark' }).tick(); // Monday 10:00 in Shanghai: due
    expect(r.sent).toBeGreaterThanOrEqual(1);
    const digest = s.fake.state.messagesIn(chat).slice(before);
    // Monday: the weekly digest's card, then the team's funnel picture as an image message.
    expect(digest.map((m) => m.msg_type)).toEqual(['interactive', 'image']);
    expect(JSON.stringify(digest[0].content)).toMatch(/Acme/);
    expect(await new DigestScheduler({ deps: s.app.deps, platform: 'lark' }).tick()).toMatchObject({ sent: 0 }); // exactly once
  });
});
