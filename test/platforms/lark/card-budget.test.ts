// Lark waits 3 s for a card click's answer. A click whose work takes longer (here: the room post
// is rate-limited for a second) is answered at once and finished after; nothing is lost.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cardActionEvent, messageEvent } from '../../fakes/lark-events.ts';
import { ALICE, BOB, bootLark } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootLark>>;
beforeAll(async () => {
  s = await bootLark('webhook', { app: { cardAnswerBudgetMs: 0 } });
});
afterAll(() => s.stop());

it('answers a slow click with an interim toast and still completes it', async () => {
  const p2p = { from: ALICE, chatId: 'oc_p2p', chatType: 'p2p' as const };
  await s.deliver(messageEvent('new Acme | ERP @Bob', { ...p2p, mentions: [{ openId: BOB, name: 'Bob' }] }));
  const room = (await s.db.prisma.deal.findFirstOrThrow()).roomId!;
  await s.deliver(
    messageEvent('/deal action @Bob demo', { from: ALICE, chatId: room, mentions: [{ openId: BOB, name: 'Bob' }] }),
  );
  const posts = s.fake.callsOf('message.create').length;
  s.fake.failNext('message.create', { rateLimit: 1 }); // the "completed" post waits a second
  const r = await s.deliver(cardActionEvent({ value: { a: 'action_done', v: '1:1' } }, { from: BOB, chatId: room }));
  expect(r.body).toEqual({ toast: { type: 'info', content: '…' } });
  expect((await s.db.prisma.actionItem.findFirstOrThrow()).status).toBe('done');
  const sends = s.fake.callsOf('message.create').slice(posts);
  expect(sends.map((c) => c.response?.status)).toEqual([429, 200]);
  expect(sends[0].body?.uuid).toBe(sends[1].body?.uuid);
});
