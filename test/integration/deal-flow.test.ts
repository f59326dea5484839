// The core against a real database (PGlite always; PostgreSQL when present, required on CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, strong } from '../../src/app/message.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('deal rooms on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('creates a deal, its room, invites, and pins the card', async () => {
    const r = await h.run(
      'alice',
      `new Acme | ERP rollout amount:120k close:2026-12-31 ${h.mention('bob')}`,
      undefined,
      'req-1',
    );
    expect(r.ok).toBe(true);
    expect(r.dealNumber).toBe(1);
    room = r.roomId!;
    expect(h.platform.of('createRoom')).toEqual([expect.objectContaining({ name: 'deal-acme-erp-rollout' })]);
    expect(h.platform.of('invite')[0].userIds).toEqual(['UALICE', 'UBOB']);
    const [card] = h.platform.of('post');
    expect(card.roomId).toBe(room);
    expect(card.message!.text).toContain('#1 Acme — ERP rollout');
    expect(h.platform.of('pin')[0]).toMatchObject({ roomId: room, messageId: expect.any(String) });
    const deal = await h.prisma.deal.findFirstOrThrow();
    expect(deal).toMatchObject({ number: 1, stage: 'lead', status: 'open', currency: 'USD', roomId: room });
    expect(deal.amount!.toString()).toBe('120000');
    expect(deal.closeDate!.toISOString().slice(0, 10)).toBe('2026-12-31');
    // The first member of the workspace is its admin; the mentioned colleague was created as a rep.
    const members = await h.prisma.member.findMany({ orderBy: { createdAt: 'asc' } });
    expect(members.map((m) => [m.name, m.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'rep'],
    ]);
  });

  it('a retried delivery of the same command creates nothing twice', async () => {
    const before = await h.counts();
    const rooms = h.platform.of('createRoom').length;
    const r = await h.run(
      'alice',
      `new Acme | ERP rollout amount:120k close:2026-12-31 ${h.mention('bob')}`,
      undefined,
      'req-1',
    );
    expect(r.ok).toBe(true);
    expect(r.text).toContain('Deal #1 Acme — ERP rollout created'); // the first answer again, not 'already handled'
    expect(await h.counts()).toEqual(before);
    expect(h.platform.of('createRoom').length).toBe(rooms);
  });

  it('blocks a gated move, says what is missing and how to fix it, and writes nothing', async () => {
    const before = await h.counts();
    const r = await h.run('alice', 'stage proposal', room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain('a decision-maker contact');
    expect(r.text).toContain('→ contact "Jane Doe" role:decision-maker'); // the command that fixes it
    expect(await h.counts()).toEqual(before);
    expect((await h.prisma.deal.findFirstOrThrow()).stage).toBe('lead');
  });

  it('passes the gate once the requirement is met, and runs the stage playbook', async () => {
    expect((await h.run('alice', 'contact "Wang Li" role:decision-maker title:CFO', room)).ok).toBe(true);
    const posts = h.platform.of('post').length;
    const r = await h.run('alice', 'stage proposal', room);
    expect(r.ok).toBe(true);
    expect(r.message).toBeUndefined(); // typed in the room: the room post is the answer
    const announce = h.platform.of('post').slice(posts)[0];
    expect(announce.message!.text).toContainEqual(strong('Proposal')); // the new stage, emphasised
    const actions = await h.prisma.actionItem.findMany();
    expect(actions).toEqual([expect.objectContaining({ number: 1, status: 'open', createdById: null })]);
    expect(actions[0].dueOn!.toISOString().slice(0, 10)).toBe('2026-11-28'); // Shanghai today + 5 days
    expect(h.platform.of('update').at(-1)!.message!.text).toContain('Proposal');
  });

  it('assigns, completes and reopens actions, telling the room and the assignee', async () => {
    const r = await h.run('alice', `action ${h.mention('bob')} Prepare the demo due:2026-11-27`, room);
    expect(r.ok).toBe(true);
    expect(h.platform.of('dm').at(-1)).toMatchObject({ userId: 'UBOB' });
    expect(h.platform.of('dm').at(-1)!.message!.text).toContainEqual(command('done #1 2'));
    expect((await h.run('bob', 'done 2', room)).ok).toBe(true);
    const a = await h.prisma.actionItem.findFirstOrThrow({ where: { number: 2 } });
    expect(a.status).toBe('done');
    expect(a.closedById).toBe((await h.prisma.member.findFirstOrThrow({ where: { name: 'bob' } })).id);
    const again = await h.run('bob', 'done 2', room);
    expect(again.ok).toBe(false);
    expect(again.text).toContain('already done');
    expect((await h.run('bob', 'undo 2', room)).ok).toBe(true);
    expect((await h.prisma.actionItem.findFirstOrThrow({ where: { number: 2 } })).status).toBe('open');
  });

  it('accepts a past due date with a warning (backfill)', async () => {
    const r = await h.run('alice', `action ${h.mention('alice')} Send recap due:2026-11-20`, room);
    expect(r.ok).toBe(true);
    expect(r.text).toMatch(/past/i);
    expect(await h.prisma.actionItem.count({ where: { text: 'Send recap' } })).toBe(1);
  });

  it('logs customer contacts and records every change with actor and before/after', async () => {
    expect((await h.run('alice', 'log Called Wang, demo agreed next:2026-11-26', room)).ok).toBe(true);
    expect((await h.run('alice', 'set amount 150k', room)).ok).toBe(true);
    const deal = await h.prisma.deal.findFirstOrThrow();
    expect(deal.nextContactOn!.toISOString().slice(0, 10)).toBe('2026-11-26');
    expect(deal.lastContactAt!.toISOString()).toBe(h.clock.now().toISOString());
    const alice = await h.prisma.member.findFirstOrThrow({ where: { name: 'alice' } });
    const events = await h.prisma.dealEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'member_added',
      'room_linked',
      'contact_saved',
      'stage_changed',
      'action_added',
      'action_added',
      'action_done',
      'action_reopened',
      'action_added',
      'contact_logged',
      'field_changed',
    ]);
    const byType = (t: string) => events.filter((e) => e.type === t).at(-1)!;
    expect(byType('stage_changed')).toMatchObject({
      actorId: alice.id,
      data: { field: 'stage', before: 'lead', after: 'proposal', direction: 'advance' },
    });
    expect(byType('field_changed').data).toEqual({
      field: 'amount',
      before: { amount: '120000.00', currency: 'USD' },
      after: { amount: '150000', currency: 'USD' },
    });
    expect(byType('contact_logged').data).toMatchObject({
      note: 'Called Wang, demo agreed',
      before: { nextContactOn: null },
      after: { nextContactOn: '2026-11-26' },
    });
    for (const e of events.filter(
      (x) => x.type !== 'room_linked' && !(x.type === 'action_added' && (x.data as any).playbook),
    ))
      expect(e.actorId).not.toBeNull();
  });

  it('never lets the event log be rewritten', async () => {
    await expect(h.prisma.dealEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(h.prisma.dealEvent.updateMany({ data: { type: 'x' } })).rejects.toThrow(/append-only/);
  });

  it('refuses people outside the room, and writes nothing', async () => {
    const before = await h.counts();
    for (const cmd of ['info', 'stage negotiation', 'done 1', 'history', 'won']) {
      const r = await h.run('dave', `#1 ${cmd}`);
      expect(r.ok, cmd).toBe(false);
      expect(r.text, cmd).toContain("You're not in the room of deal #1");
    }
    // dave was never seen before: not even his member row is written by refused commands
    expect(await h.counts()).toEqual(before);
  });

  it("lets the owner's manager in, and only managers override a gate", async () => {
    expect((await h.run('alice', `team ${h.mention('mgr')} ${h.mention('alice')}`)).ok).toBe(true);
    const rep = await h.run('bob', 'stage negotiation override:customer asked', room);
    expect(rep.ok).toBe(false);
    expect(rep.text).toContain("Only the owner's manager or an admin");
    const m = await h.run('mgr', '#1 stage negotiation override:customer confirmed by phone');
    expect(m.ok).toBe(true);
    const e = await h.prisma.dealEvent.findFirstOrThrow({ where: { type: 'stage_changed' }, orderBy: { id: 'desc' } });
    expect(e.data).toMatchObject({ before: 'proposal', after: 'negotiation', override: 'customer confirmed by phone' });
  });

  it('keeps workspaces apart: numbers, deals and people', async () => {
    const other = harness(db, { team: 'T2' });
    const r = await other.run('alice', '#1 info');
    expect(r.ok).toBe(false);
    expect(r.text).toContain('no deal #1');
    const created = await other.run('alice', 'new Globex | Pilot');
    expect(created.dealNumber).toBe(1);
    expect(await h.prisma.deal.count()).toBe(2);
    const list = await other.run('alice', 'list');
    expect(list.text).toContain('Globex');
    expect(list.text).not.toContain('Acme');
  });

  it('closes and reopens a deal, recording why', async () => {
    expect((await h.run('alice', 'lost budget frozen until Q3', room)).ok).toBe(true);
    const lost = await h.prisma.deal.findFirstOrThrow({ where: { number: 1, workspace: { externalId: 'T1' } } });
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'budget frozen until Q3' });
    const blocked = await h.run('alice', 'stage proposal', room);
    expect(blocked.text).toContain('reopen');
    const reopened = await h.run('alice', 'reopen', room);
    expect(reopened.ok, reopened.text).toBe(true);
    const back = await h.prisma.deal.findFirstOrThrow({ where: { number: 1, workspace: { externalId: 'T1' } } });
    expect(back).toMatchObject({ status: 'open', stage: 'negotiation', lostReason: null });
  });
});
