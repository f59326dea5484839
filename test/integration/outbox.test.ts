// The durable outbox: platform side effects written with the change, carried out with retries,
// adopted after an interruption, visible when they give up, and repaired by `/deal room`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../src/app/message.ts';
import { runSteps } from '../../src/app/outbox.ts';
import { OutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { textOf } from '../../src/platforms/console/render-text.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('outbox on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let worker: OutboxWorker;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    worker = new OutboxWorker({ deps: h.deps, claimer: 'worker' });
  });
  afterAll(async () => {
    await db.destroy();
  });
  const dealOf = (title: string) => h.prisma.deal.findFirstOrThrow({ where: { title } });
  const stepsOf = async (title: string) =>
    (await h.prisma.outboxStep.findMany({ where: { dealId: (await dealOf(title)).id }, orderBy: { id: 'asc' } })).map(
      (s) => `${s.kind}:${s.status}`,
    );

  it('writes the steps with the change and carries them out in order', async () => {
    const r = await h.run('alice', `new Acme | Steps ${h.mention('bob')}`);
    expect(r.ok).toBe(true);
    expect(await stepsOf('Steps')).toEqual(['room:done', 'invite:done', 'card:done', 'pin:done']);
    const deal = await dealOf('Steps');
    expect(h.platform.of('invite').at(-1)).toMatchObject({ roomId: deal.roomId, userIds: ['UALICE', 'UBOB'] });
    expect(h.platform.of('pin').at(-1)).toMatchObject({ roomId: deal.roomId, messageId: deal.cardRef });
  });

  it('honours Retry-After: nothing is retried sooner, and the room is completed once the limit clears', async () => {
    h.platform.failNext('createRoom', 'rate_limited', 'ratelimited', { retryAfterSeconds: 30 });
    const r = await h.run('alice', 'new Initech | Limited');
    expect(r.text).toContain('retry in 30s');
    const rooms = h.platform.of('createRoom').length;
    h.clock.advance(20_000);
    expect(await worker.tick()).toEqual([]);
    expect(h.platform.of('createRoom').length).toBe(rooms);
    h.clock.advance(11_000);
    const done = await worker.tick();
    expect(done.map((d) => `${d.step.kind}:${d.result}`)).toEqual([
      'room:done',
      'invite:done',
      'card:done',
      'pin:done',
    ]);
    expect((await dealOf('Limited')).roomId).toMatch(/^C/);
  });

  it('server errors back off and retry until the platform answers again', async () => {
    h.platform.failNext('post', 'network', 'slack_webapi_http_error', { times: 3 });
    const deal = await h.run('alice', 'new Globex | Flaky');
    expect(deal.text).toContain("couldn't post the deal card");
    for (let i = 0; i < 3; i++) {
      h.clock.advance(60_000);
      await worker.tick();
    }
    expect(await stepsOf('Flaky')).toEqual(['room:done', 'invite:done', 'card:done', 'pin:done']);
    const row = await dealOf('Flaky');
    expect(h.platform.of('pin').at(-1)).toMatchObject({ roomId: row.roomId, messageId: row.cardRef });
  });

  it('adopts a room created just before a crash instead of creating a second one', async () => {
    // The process died between creating the room and linking it: the step is still pending, its
    // lease ran out, and the room exists on the platform without a deal.
    h.platform.failNext('createRoom', 'network', 'econnreset'); // leave the step pending
    await h.run('alice', 'new Hooli | Adopt');
    const deal = await dealOf('Adopt');
    await h.deps.platforms.get('slack').createRoom(
      { platform: 'slack', externalId: 'T1' },
      {
        name: 'deal-hooli-adopt',
        topic: `#${deal.number} Hooli — Adopt`,
      },
    );
    const created = h.platform.of('createRoom').length;
    h.clock.advance(120_000);
    await worker.tick();
    expect(h.platform.of('createRoom').length).toBe(created);
    const orphan = [...h.platform.rooms.values()].find((x) => x.name === 'deal-hooli-adopt')!;
    expect((await dealOf('Adopt')).roomId).toBe(orphan.roomId);
  });

  it('a step leased by a dead worker is taken up when its lease ends, not before', async () => {
    h.platform.failNext('createRoom', 'network', 'econnreset');
    await h.run('alice', 'new Pied Piper | Lease');
    h.clock.advance(120_000);
    const [taken] = await h.deps.store.repos.claimSteps('dead', h.clock.now(), 60_000, { limit: 1 });
    expect(taken.kind).toBe('room');
    expect(await runSteps(h.deps, 'alive')).toEqual([]);
    h.clock.advance(61_000);
    expect((await runSteps(h.deps, 'alive')).map((r) => r.step.kind)).toEqual(['room', 'invite', 'card', 'pin']);
    expect(await h.deps.store.repos.finishStep(taken.id, 'dead', { status: 'done' })).toBe(false);
  });

  it('a step that cannot succeed ends failed, tells the person, and `/deal room` repairs the room', async () => {
    h.platform.failNext('createRoom', 'missing_scope', 'missing_scope');
    const r = await h.run('alice', `new Umbrella | Broken ${h.mention('carol')}`);
    expect(r.text).toContain("couldn't create its room");
    expect(await stepsOf('Broken')).toEqual(['room:failed']);
    const deal = await dealOf('Broken');
    expect(deal.roomId).toBeNull();
    const dm = h.platform.of('dm').at(-1)!;
    expect(dm.userId).toBe('UALICE');
    expect(dm.message!.text).toContainEqual(command(`#${deal.number} room`));
    const repair = await h.run('alice', `#${deal.number} room`);
    expect(repair.ok).toBe(true);
    const fixed = await dealOf('Broken');
    expect(fixed.roomId).toMatch(/^C/);
    expect(h.platform.of('invite').at(-1)).toMatchObject({ roomId: fixed.roomId, userIds: ['UALICE', 'UCAROL'] });
    expect(h.platform.of('pin').at(-1)).toMatchObject({ roomId: fixed.roomId, messageId: fixed.cardRef });
  });

  it('`/deal room` on a complete room invites again and re-pins the card, creating nothing', async () => {
    const deal = await dealOf('Steps');
    const rooms = h.platform.of('createRoom').length;
    const posts = h.platform.of('post').length;
    const r = await h.run('alice', 'room', deal.roomId!);
    expect(r.ok).toBe(true);
    expect(h.platform.of('createRoom').length).toBe(rooms);
    expect(h.platform.of('post').length).toBe(posts);
    expect(h.platform.of('update').at(-1)).toMatchObject({ roomId: deal.roomId, messageId: deal.cardRef });
    expect(h.platform.of('pin').at(-1)).toMatchObject({ roomId: deal.roomId, messageId: deal.cardRef });
  });

  it('room posts and DMs missed during an outage are delivered once it ends', async () => {
    const deal = await dealOf('Steps');
    h.platform.failNext('post', 'rate_limited', 'ratelimited', { retryAfterSeconds: 30 });
    h.platform.failNext('dm', 'rate_limited', 'ratelimited', { retryAfterSeconds: 30 });
    h.platform.failNext('update', 'rate_limited', 'ratelimited', { retryAfterSeconds: 30 });
    const r = await h.run('alice', `action ${h.mention('bob')} Send the quote`, deal.roomId!);
    expect(r.ok).toBe(true);
    const steps = await h.prisma.outboxStep.findMany({ where: { status: 'pending' } });
    expect(steps.map((s) => s.kind).sort()).toEqual(['card', 'dm', 'post']);
    h.clock.advance(31_000);
    await worker.tick(); // the post and the DM; the card waited behind the post and now meets the limit
    h.clock.advance(31_000);
    await worker.tick();
    expect(await h.prisma.outboxStep.count({ where: { status: 'pending' } })).toBe(0);
    expect(textOf(h.platform.of('post').at(-1)!.message!.text)).toContain('Send the quote');
    expect(h.platform.of('dm').at(-1)).toMatchObject({ userId: 'UBOB' });
    expect(JSON.stringify(h.platform.of('update').at(-1)!.message)).toContain('Send the quote');
  });
});
