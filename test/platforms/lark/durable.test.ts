// Lark deliveries through the durable inbox and platform work through the outbox, against the real
// SDK and the fake Open API: an event is stored before Lark hears "received" (else Lark delivers it
// again), a group created just before an interruption is adopted, a closed deal's group is marked
// and unmarked, and a click's answer is a toast or, when too slow, a DM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSteps } from '../../../src/app/outbox.ts';
import { archiveClosedRooms } from '../../../src/app/rooms.ts';
import { DigestScheduler } from '../../../src/jobs/digest-scheduler.ts';
import { CODES } from '../../fakes/fake-lark-state.ts';
import { cardActionEvent, messageEvent } from '../../fakes/lark-events.ts';
import { ALICE, BOB, bootLark } from './helpers.ts';

const p2p = { from: ALICE, chatId: 'oc_p2p_alice', chatType: 'p2p' as const };
const WS = { platform: 'lark' as const, externalId: 'tenant-acme' };

describe.each(['webhook', 'ws'] as const)('Lark over %s: durable delivery', (mode) => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  beforeAll(async () => {
    s = await bootLark(mode);
  });
  afterAll(() => s.stop());
  const dms = () => s.fake.state.messagesIn(s.fake.state.p2p(ALICE)?.chat_id ?? '-');

  it('an event the inbox cannot store is not acknowledged; Lark delivers it again and it runs once', async () => {
    const repos = s.app.deps.store.repos;
    const receiveInbound = repos.receiveInbound;
    repos.receiveInbound = async () => {
      throw new Error('database unreachable');
    };
    const ev = messageEvent('/deal new Acme | Retried', p2p);
    try {
      const refused = await s.deliver(ev);
      expect(refused.status).toBe(500); // webhook: HTTP 500; long connection: the frame's code 500
      expect(await s.db.prisma.deal.count()).toBe(0);
      const click = await s.deliver(
        cardActionEvent({ value: { a: 'action_done', v: '1:1' } }, { from: ALICE, chatId: 'oc_x' }),
      );
      expect(click.status).toBe(500);
      expect(click.body?.toast).toBeUndefined();
    } finally {
      repos.receiveInbound = receiveInbound;
    }
    expect((await s.deliver(ev)).status).toBe(200);
    expect((await s.deliver(ev)).status).toBe(200); // a re-delivery of one stored: dropped at the door
    expect(await s.db.prisma.deal.count({ where: { title: 'Retried' } })).toBe(1);
    expect(await s.db.prisma.inboxEntry.count()).toBe(1);
    expect(s.fake.callsOf('chat.create')).toHaveLength(1);
    expect(JSON.stringify(dms().at(-1)?.content)).toContain('Retried');
  });

  it('a command run again after a crash (its row not marked done) answers once: the DM carries the same uuid', async () => {
    const before = dms().length;
    await s.deliver(messageEvent('/deal list', p2p));
    expect(dms()).toHaveLength(before + 1);
    // The process died after answering, before marking the row done: its lease ends, it runs again.
    const row = await s.db.prisma.inboxEntry.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await s.db.prisma.inboxEntry.update({
      where: { id: row.id },
      data: { status: 'pending', claimedBy: null, leaseUntil: null, doneAt: null },
    });
    s.app.inbox.wake();
    await new Promise((r) => setTimeout(r, 50));
    await s.app.idle();
    expect((await s.db.prisma.inboxEntry.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('done');
    const answers = s.fake
      .callsOf('message.create')
      .filter((c) => c.body?.receive_id === ALICE)
      .slice(-2);
    expect(answers[0].body?.uuid).toBe(answers[1].body?.uuid);
    expect(dms()).toHaveLength(before + 1);
  });

  it('a refused click is answered by an error toast, and not by a DM as well', async () => {
    const before = dms().length;
    const room = (await s.db.prisma.deal.findFirstOrThrow({ where: { title: 'Retried' } })).roomId!;
    const r = await s.deliver(
      cardActionEvent({ value: { a: 'stage_select' }, option: '1:proposal' }, { from: ALICE, chatId: room }),
    );
    expect(r.body).toMatchObject({ toast: { type: 'error' } });
    expect(dms()).toHaveLength(before);
  });
});

describe('Lark: platform work after an interruption', () => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  beforeAll(async () => {
    s = await bootLark('webhook');
  });
  afterAll(() => s.stop());

  it('a group created whose answer was lost is found among the bot’s chats and adopted, never made twice', async () => {
    // Lark creates the group, but the answer never arrives (HTTP 500): the step is retried later.
    const restore = s.fake.override('chat.create', (c) => {
      s.fake.state.createChat(c.query, c.body ?? {});
      return [500, { code: 500, msg: 'gateway timeout' }];
    });
    await s.deliver(
      messageEvent('/deal new Acme | Adopted @Bob', { ...p2p, mentions: [{ openId: BOB, name: 'Bob' }] }),
    );
    restore();
    const groups = () => [...s.fake.state.chats.values()].filter((c) => c.chat_mode === 'group');
    expect(groups()).toHaveLength(1);
    expect((await s.db.prisma.deal.findFirstOrThrow()).roomId).toBeNull();
    s.clock.advance(120_000);
    await runSteps(s.app.deps, 'worker');
    expect(groups()).toHaveLength(1);
    expect(s.fake.callsOf('chat.list').length).toBeGreaterThanOrEqual(1);
    const deal = await s.db.prisma.deal.findFirstOrThrow();
    expect(deal.roomId).toBe(groups()[0].chat_id);
    expect([...groups()[0].members].sort()).toEqual([ALICE, BOB, s.fake.botOpenId].sort());
    expect(s.fake.state.pins.has(deal.cardRef!)).toBe(true);
  });

  it('closing marks the group closed; reopening takes the mark off and keeps the same group', async () => {
    const room = (await s.db.prisma.deal.findFirstOrThrow()).roomId!;
    await s.deliver(messageEvent('/deal lost no budget', { from: ALICE, chatId: room }));
    s.clock.advance(2 * 86_400_000);
    expect(await archiveClosedRooms(s.app.deps, s.app.platform, 86_400_000, async () => WS)).toBe(1);
    expect(s.fake.state.chats.get(room)!.name).toBe('🔒 #1 Acme — Adopted');
    await s.deliver(messageEvent('/deal reopen', { from: ALICE, chatId: room }));
    const deal = await s.db.prisma.deal.findFirstOrThrow();
    expect(deal).toMatchObject({ status: 'open', roomId: room, roomArchivedAt: null });
    expect(s.fake.state.chats.get(room)!.name).toBe('#1 Acme — Adopted');
    expect([...s.fake.state.chats.values()].filter((c) => c.chat_mode === 'group')).toHaveLength(1);
  });

  it('the webhook’s /healthz reports the database and the queues: 503 when the database does not answer', async () => {
    const ok = await fetch(`${s.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, database: 'up' });
    const repos = s.app.deps.store.repos;
    const oldest = repos.oldestPendingInbound;
    repos.oldestPendingInbound = async () => {
      throw new Error('database unreachable');
    };
    try {
      const down = await fetch(`${s.url}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ok: false, database: 'down' });
    } finally {
      repos.oldestPendingInbound = oldest;
    }
  });

  it('a group the bot was removed from is explained to the person, not retried forever', async () => {
    const room = (await s.db.prisma.deal.findFirstOrThrow()).roomId!;
    s.fake.failNext('message.create', { code: CODES.botNotInGroup, msg: 'The bot can not be outside the group.' });
    await s.deliver(messageEvent('/deal log called the CFO', { from: ALICE, chatId: room }));
    const last = s.fake.state.messagesIn(s.fake.state.p2p(ALICE)!.chat_id).at(-1)!;
    expect(JSON.stringify(last.content)).toMatch(/not a member of that room|我不在那个房间里/);
  });
});

describe('Lark: a direct message whose answer was lost', () => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  beforeAll(async () => {
    s = await bootLark('webhook');
  });
  afterAll(() => s.stop());

  it('is retried by the outbox with the same uuid and reaches the assignee once', async () => {
    await s.deliver(messageEvent('/deal new Acme | Assign @Bob', { ...p2p, mentions: [{ openId: BOB, name: 'Bob' }] }));
    const room = (await s.db.prisma.deal.findFirstOrThrow()).roomId!;
    let lost = 0;
    const restore = s.fake.override('message.create', (c) => {
      const data = s.fake.state.createMessage(c.query, c.body ?? {});
      if (c.body?.receive_id === BOB && !lost++) return [502, { code: 502, msg: 'bad gateway' }];
      return [200, { code: 0, msg: 'success', data }];
    });
    try {
      await s.deliver(
        messageEvent('/deal action @Bob send the quote', {
          from: ALICE,
          chatId: room,
          mentions: [{ openId: BOB, name: 'Bob' }],
        }),
      );
    } finally {
      restore();
    }
    s.clock.advance(120_000);
    await runSteps(s.app.deps, 'worker');
    const toBob = s.fake.callsOf('message.create').filter((c) => c.body?.receive_id === BOB);
    expect(toBob.map((c) => c.response?.status)).toEqual([502, 200]);
    expect(toBob[0].body?.uuid).toBe(toBob[1].body?.uuid);
    const bob = s.fake.state.messagesIn(s.fake.state.p2p(BOB)!.chat_id);
    expect(bob.filter((m) => JSON.stringify(m.content).includes('send the quote'))).toHaveLength(1);
  });
});

describe('Lark: a room post whose answer was lost', () => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  beforeAll(async () => {
    s = await bootLark('webhook');
  });
  afterAll(() => s.stop());

  it('is retried by the outbox with the same uuid and shows once in the group', async () => {
    await s.deliver(messageEvent('/deal new Acme | Posted', p2p));
    const room = (await s.db.prisma.deal.findFirstOrThrow()).roomId!;
    let lost = 0;
    const restore = s.fake.override('message.create', (c) => {
      const data = s.fake.state.createMessage(c.query, c.body ?? {});
      if (c.body?.receive_id === room && !lost++) return [502, { code: 502, msg: 'bad gateway' }];
      return [200, { code: 0, msg: 'success', data }];
    });
    try {
      await s.deliver(messageEvent('/deal log called the CFO', { from: ALICE, chatId: room }));
    } finally {
      restore();
    }
    s.clock.advance(120_000);
    await runSteps(s.app.deps, 'worker');
    const toRoom = s.fake.callsOf('message.create').filter((c) => c.body?.receive_id === room);
    const posts = toRoom.filter((c) => JSON.stringify(c.body).includes('called the CFO'));
    expect(posts.map((c) => c.response?.status)).toEqual([502, 200]);
    expect(posts[0].body?.uuid).toBe(posts[1].body?.uuid);
    const shown = s.fake.state.messagesIn(room).filter((m) => JSON.stringify(m.content).includes('called the CFO'));
    expect(shown).toHaveLength(1);
  });
});

describe('Lark: a click slower than its budget', () => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  beforeAll(async () => {
    s = await bootLark('webhook', { app: { cardAnswerBudgetMs: 0 } });
  });
  afterAll(() => s.stop());

  it('answers "…" at once; a refusal then arrives in the person’s chat with the bot', async () => {
    await s.deliver(messageEvent('/deal new Acme | Slow', p2p));
    const room = (await s.db.prisma.deal.findFirstOrThrow()).roomId!;
    const chat = s.fake.state.p2p(ALICE)!.chat_id;
    const before = s.fake.state.messagesIn(chat).length;
    const r = await s.deliver(
      cardActionEvent({ value: { a: 'stage_select' }, option: '1:proposal' }, { from: ALICE, chatId: room }),
    );
    expect(r.body).toEqual({ toast: { type: 'info', content: '…' } });
    const answer = s.fake.state.messagesIn(chat).slice(before);
    expect(answer).toHaveLength(1);
    expect(JSON.stringify(answer[0].content)).toMatch(/Proposal|方案/);
    expect((await s.db.prisma.deal.findFirstOrThrow()).stage).toBe('lead');
  });
});

describe('Lark: a digest whose answer was lost', () => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  beforeAll(async () => {
    s = await bootLark('webhook');
  });
  afterAll(() => s.stop());

  it('is sent again with the same uuid and arrives once', async () => {
    await s.deliver(messageEvent('/deal new Acme | Digest', p2p));
    await s.deliver(
      messageEvent('/deal team @Alice @Bob', {
        ...p2p,
        mentions: [
          { openId: ALICE, name: 'Alice' },
          { openId: BOB, name: 'Bob' },
        ],
      }),
    );
    const chat = s.fake.state.p2p(ALICE)!.chat_id;
    const before = s.fake.state.messagesIn(chat).length;
    const sends = s.fake.callsOf('message.create').length;
    // Lark stores Alice's digest but the answer is lost (a gateway error): the scheduler retries.
    let lost = 0;
    const restore = s.fake.override('message.create', (c) => {
      const data = s.fake.state.createMessage(c.query, c.body ?? {});
      if (c.body?.receive_id === ALICE && !lost++) return [502, { code: 502, msg: 'bad gateway' }];
      return [200, { code: 0, msg: 'success', data }];
    });
    try {
      // Monday 10:00 in Shanghai: due.
      expect(await new DigestScheduler({ deps: s.app.deps, platform: 'lark' }).tick()).toMatchObject({ retried: 1 });
    } finally {
      restore();
    }
    const toAlice = s.fake
      .callsOf('message.create')
      .slice(sends)
      .filter((c) => c.body?.receive_id === ALICE && c.body?.msg_type === 'interactive');
    expect(toAlice).toHaveLength(2);
    expect(toAlice[0].response?.status).toBe(502);
    expect(toAlice[0].body?.uuid).toBe(toAlice[1].body?.uuid);
    // The digest once, then (Monday) its funnel picture once.
    expect(
      s.fake.state
        .messagesIn(chat)
        .slice(before)
        .map((m) => m.msg_type),
    ).toEqual(['interactive', 'image']);
  });
});
