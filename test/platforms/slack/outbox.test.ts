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
});
