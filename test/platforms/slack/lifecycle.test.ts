// Health and shutdown of the real Bolt app: /healthz reports the database and the queues (503 when
// either is unhealthy); a stopping bot refuses new deliveries with a retryable 503 (never an ack)
// and finishes the commands it already acked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receive } from '../../../src/app/inbox.ts';
import { bootSlack, waitFor } from './helpers.ts';

describe('Slack: /healthz', () => {
  let s: Awaited<ReturnType<typeof bootSlack>>;
  beforeAll(async () => {
    s = await bootSlack();
  });
  afterAll(async () => {
    await s.slack.stop();
    await s.fake.close();
  });

  it('is 200 with the database up and nothing waiting', async () => {
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, database: 'up', oldestInboxSeconds: null, oldestOutboxSeconds: null });
  });

  it('is 503 when a received command has waited too long', async () => {
    await s.slack.inbox.stop(); // nobody works the inbox any more
    await receive(s.slack.deps, {
      inv: {
        ws: { platform: 'slack', externalId: 'T1' },
        userId: 'UALICE',
        text: 'list',
        requestKey: 'slash:stuck',
      },
      answer: { via: 'respond' },
    });
    s.clock.advance(3 * 60_000);
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ok: false, database: 'up', oldestInboxSeconds: 180 });
  });

  it('is 503 with the database gone', async () => {
    await s.db.destroy();
    const r = await fetch(`${s.url}/healthz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ok: false, database: 'down' });
  });
});

describe('Slack: stopping', () => {
  let s: Awaited<ReturnType<typeof bootSlack>>;
  beforeAll(async () => {
    s = await bootSlack();
  });
  afterAll(async () => {
    await s.fake.close();
    await s.db.destroy();
  });

  it('finishes the commands it acked and refuses new ones with a retryable 503', async () => {
    // Slow Slack: every Web API call takes 150 ms, so commands are still in flight when stop begins.
    for (const m of ['conversations.create', 'conversations.invite', 'chat.postMessage', 'pins.add'])
      s.fake.override(m, async () => {
        await new Promise((r) => setTimeout(r, 150));
        return undefined;
      });
    const acked = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => s.slash(`new Acme | Deploy ${i}`, { trigger: `dep${i}` })),
    );
    expect(acked.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const stopping = s.slack.stop();
    const late = await s.slash('new Acme | Too late', { trigger: 'late' }).catch(() => null);
    // Either refused with 503 or not connected at all: never acked.
    if (late) expect(late.status).toBe(503);
    await stopping;
    expect(await s.db.prisma.deal.count({ where: { title: { startsWith: 'Deploy' } } })).toBe(5);
    expect(await s.db.prisma.deal.count({ where: { title: 'Too late' } })).toBe(0);
    for (const i of [1, 2, 3, 4, 5]) {
      const d = await s.db.prisma.deal.findFirstOrThrow({ where: { title: `Deploy ${i}` } });
      expect(d.roomId).toMatch(/^C/);
      expect(s.fake.pins(d.roomId!)).toEqual([d.cardRef]);
      await waitFor(() => s.fake.calls.find((c) => c.method === `response_url:/hooks/dep${i}`));
    }
    expect(await s.db.prisma.inboxEntry.count({ where: { status: 'pending' } })).toBe(0);
  });
});
