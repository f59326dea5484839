// The digest's reads: open actions of a team come from the assignees' index and reach their deals
// by key (src/store/prisma-store.ts). What they return must not change with that shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('digest reads on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let other: ReturnType<typeof harness>;
  let log: string[] = [];
  beforeAll(async () => {
    db = await openTestDb(backend, { onStatement: (sql) => log.push(sql) });
    h = harness(db);
    other = harness(db, { team: 'T2' });
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('open actions of open deals in this workspace only, by due date (none last), in one statement', async () => {
    const room1 = (await h.run('alice', 'new Acme | One')).roomId!;
    const room2 = (await h.run('alice', 'new Beta | Two')).roomId!;
    const room3 = (await h.run('alice', 'new Gamma | Three')).roomId!;
    expect((await h.run('alice', `action ${h.mention('bob')} later due:2026-12-20`, room1)).ok).toBe(true);
    expect((await h.run('alice', `action ${h.mention('bob')} whenever`, room1)).ok).toBe(true);
    expect((await h.run('alice', `action ${h.mention('bob')} sooner due:2026-12-01`, room2)).ok).toBe(true);
    expect((await h.run('alice', `action ${h.mention('bob')} ticked due:2026-11-30`, room2)).ok).toBe(true);
    expect((await h.run('alice', 'done 2', room2)).ok).toBe(true);
    expect((await h.run('alice', `action ${h.mention('bob')} on a lost deal due:2026-11-29`, room3)).ok).toBe(true);
    expect((await h.run('alice', 'lost no budget', room3)).ok).toBe(true);
    // Same platform user id in another workspace: another member, another deal.
    const roomT2 = (await other.run('alice', 'new Delta | Four')).roomId!;
    expect((await other.run('alice', `action ${other.mention('bob')} elsewhere due:2026-11-28`, roomT2)).ok).toBe(true);

    const ws = (await h.deps.store.repos.findWorkspace('slack', 'T1'))!;
    const bob = (await h.deps.store.repos.findMemberByExternalId(ws.id, 'UBOB'))!;
    const alice = (await h.deps.store.repos.findMemberByExternalId(ws.id, 'UALICE'))!;
    log = [];
    const got = await h.deps.store.digests.listOpenActionsForAssignees(ws.id, [bob.id, alice.id, bob.id]);
    expect(log).toHaveLength(1);
    expect(got.map((a) => [a.text, a.dueOn, a.dealNumber, a.dealTitle, a.account, a.roomId])).toEqual([
      ['sooner', '2026-12-01', 2, 'Two', 'Beta', room2],
      ['later', '2026-12-20', 1, 'One', 'Acme', room1],
      ['whenever', null, 1, 'One', 'Acme', room1],
    ]);
    expect(got.every((a) => a.status === 'open' && a.assigneeId === bob.id)).toBe(true);
    expect(await h.deps.store.digests.listOpenActionsForAssignees(ws.id, [])).toEqual([]);
  });
});
