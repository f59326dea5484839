// Inbox workers take turns between workspaces: a burst in one workspace (many people at once) must
// not hold every worker while another workspace's command waits behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { TestClock } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('inbox fairness on %s', (backend) => {
  let db: TestDb;
  const clock = new TestClock(new Date('2026-11-23T02:00:00Z'));
  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('each workspace’s oldest waiting command first, then the next of each; a lane stays in order', async () => {
    const { repos } = prismaStore(db.prisma, clock);
    const receive = (team: string, user: string, n: number) =>
      repos.receiveInbound(
        { platform: 'slack', key: `${team}-${user}-${n}`, lane: `${team}:${user}`, payload: { n } },
        clock.now(),
      );
    // A busy workspace: six people, two commands each, all before the quiet workspace's one.
    for (let n = 1; n <= 2; n++) for (let u = 1; u <= 6; u++) await receive('TBUSY', `U${u}`, n);
    await receive('TQUIET', 'U1', 1);
    await receive('TQUIET', 'U2', 1);

    const first = await repos.claimInbound('w1', clock.now(), 60_000, 4);
    // Turn 1: the oldest head of each workspace; turn 2: the next of each. (Returned in id order.)
    expect(first.map((e) => e.key)).toEqual(['TBUSY-U1-1', 'TBUSY-U2-1', 'TQUIET-U1-1', 'TQUIET-U2-1']);

    // Nothing claimed twice; a lane's second command waits for its first.
    const second = await repos.claimInbound('w2', clock.now(), 60_000, 10);
    expect(second.map((e) => e.key)).toEqual(['TBUSY-U3-1', 'TBUSY-U4-1', 'TBUSY-U5-1', 'TBUSY-U6-1']);
    for (const e of first) await repos.finishInbound(e.id, 'w1', { status: 'done', doneAt: clock.now() });
    const third = await repos.claimInbound('w1', clock.now(), 60_000, 10);
    expect(third.map((e) => e.key)).toEqual(['TBUSY-U1-2', 'TBUSY-U2-2']);
  });
});
