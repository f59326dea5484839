// The outbox against the fake Slack Web API: platform faults are completed once they clear, and a
// channel Slack created although its answer was lost is adopted, never orphaned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../../src/jobs/outbox-worker.ts';
import { bootSlack, waitFor } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootSlack>>;
let worker: OutboxWorker;
beforeAll(async () => {
  s = await bootSlack();
  worker = new OutboxWorker({ deps: s.slack.deps, claimer: 'test-worker' });
});
afterAll(async () => {
  await s.stop();
});
const reply = (trigger: string) =>
  waitFor(() => s.fake.calls.find((c) => c.method === `response_url:/hooks/${trigger}`));
const deal = (title: string) => s.db.prisma.deal.findFirstOrThrow({ where: { title } });

describe('Slack: outbox', () => {
  it('a channel created although Slack answered 503 is found by its name and adopted', async () => {
    s.fake.failNext('conversations.create', { status: 503 });
    await s.slash('new Acme | Lost answer <@UBOB|bob>', { trigger: 'lost1' });
    expect(String((await reply('lost1')).args.text)).toContain("couldn't create its room");
    expect((await deal('Lost answer')).roomId).toBeNull();
    // Slack did create it; only the answer was lost (as after a crash between create and link).
    const d = await deal('Lost answer');
    const orphan = s.fake.addChannel({ name: 'deal-acme-lost-answer', is_private: true, topic: '' });
    s.clock.advance(60_000);
    await worker.tick();
    expect(s.fake.callsOf('conversations.create')).toHaveLength(1);
    expect(s.fake.callsOf('conversations.list').length).toBeGreaterThan(0);
    const linked = await deal('Lost answer');
    expect(linked.roomId).toBe(orphan.id);
    expect([...s.fake.channel(orphan.id)!.members].sort()).toEqual(['UALICE', 'UBOB', 'UBOT']);
    expect(s.fake.pins(orphan.id)).toEqual([linked.cardRef]);
    expect(d.number).toBe(linked.number);
  });

  it('a 429 with Retry-After 30 on the card post: the card is posted and pinned after the wait', async () => {
    s.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    await s.slash('new Globex | Slow down', { trigger: 'slow1' });
    expect(String((await reply('slow1')).args.text)).toContain('retry in 30s');
    const room = (await deal('Slow down')).roomId!;
    expect(s.fake.messages(room)).toEqual([]);
    s.clock.advance(31_000);
    await worker.tick();
    const [card] = s.fake.messages(room);
    expect(card.blocks![0]).toMatchObject({ type: 'header' });
    expect(s.fake.pins(room)).toEqual([card.ts]);
  });

  // Slack did the work but its answer was lost (as after a crash of ours between the call and
  // recording it): the retry asks Slack first, by the key the message carries, and never repeats it.
  it('a card post whose answer was lost is found by its key and adopted: one card, pinned', async () => {
    s.fake.failNext('chat.postMessage', { status: 503, afterApplying: true });
    await s.slash('new Initech | Lost card', { trigger: 'lostcard1' });
    await reply('lostcard1');
    const room = (await deal('Lost card')).roomId!;
    expect(s.fake.messages(room)).toHaveLength(1); // posted, but we never heard back
    expect((await deal('Lost card')).cardRef).toBeNull();
    s.clock.advance(60_000);
    await worker.tick();
    const [card] = s.fake.messages(room);
    expect(s.fake.messages(room)).toHaveLength(1);
    expect((await deal('Lost card')).cardRef).toBe(card.ts);
    expect(s.fake.pins(room)).toEqual([card.ts]);
  });

  it('a room post and a DM whose answers were lost are delivered exactly once', async () => {
    await s.slash('new Umbrella | Lost post', { trigger: 'lostpost0' });
    await reply('lostpost0');
    const room = (await deal('Lost post')).roomId!;
    s.fake.failNext('chat.postMessage', { status: 503, afterApplying: true }, 2); // the room post, then the DM
    await s.slash('action <@UBOB|bob> Send the signed quote due:2026-12-01', { channel: room, trigger: 'lostpost1' });
    await reply('lostpost1');
    const posts = () => s.fake.messages(room).filter((m) => String(m.text).includes('Send the signed quote'));
    const dms = () => s.fake.messages('UBOB').filter((m) => String(m.text).includes('Send the signed quote'));
    expect(posts()).toHaveLength(1);
    expect(dms()).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      s.clock.advance(10 * 60_000);
      await worker.tick();
    }
    expect(await s.db.prisma.outboxStep.count({ where: { status: { in: ['pending', 'failed'] } } })).toBe(0);
    expect(posts()).toHaveLength(1);
    expect(dms()).toHaveLength(1);
    expect(s.fake.callsOf('conversations.history').length).toBeGreaterThanOrEqual(2);
  });

  it('an invitation and a pin refused with a 500 are completed once Slack recovers', async () => {
    s.fake.failNext('conversations.invite', { status: 500 });
    s.fake.failNext('pins.add', { status: 502 });
    await s.slash('new Hooli | Flaky Slack <@UBOB|bob>', { trigger: 'flaky1' });
    await reply('flaky1');
    const room = (await deal('Flaky Slack')).roomId!;
    expect([...s.fake.channel(room)!.members].sort()).toEqual(['UBOT']);
    expect(s.fake.pins(room)).toEqual([]);
    for (let i = 0; i < 3; i++) {
      s.clock.advance(60_000);
      await worker.tick();
    }
    expect(s.fake.callsOf('pins.add').map((c) => c.response?.status ?? 200)).toContain(502); // it was refused once
    expect([...s.fake.channel(room)!.members].sort()).toEqual(['UALICE', 'UBOB', 'UBOT']);
    expect(s.fake.pins(room)).toEqual([(await deal('Flaky Slack')).cardRef]);
    expect(s.fake.messages(room)).toHaveLength(1);
  });
});
