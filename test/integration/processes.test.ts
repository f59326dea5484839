// Deals follow their own process: picked at `new`, gates and playbooks read from it (assignees:
// owner, the owner's manager, a room role), won/lost found by flag; a team's process file is put in
// force only when it orphans no deal. On PGlite, and on PostgreSQL when present.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const examples = path.resolve(import.meta.dirname, '../../examples');
const customFile = fs.readFileSync(path.join(examples, 'processes.custom.yaml'), 'utf8');
const defaultFile = fs.readFileSync(path.join(examples, 'processes.yaml'), 'utf8');

describe.each(BACKENDS)('processes on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
  });
  afterAll(async () => {
    await db.destroy();
  });
  const deal = (number: number) => h.prisma.deal.findFirstOrThrow({ where: { number } });

  it('a deal picks the transactional process and follows its stages and gates', async () => {
    const r = await h.run('alice', 'new Shop | Widgets process:transactional');
    expect(r.ok, r.text).toBe(true);
    expect(await deal(1)).toMatchObject({ process: 'transactional', stage: 'lead' });
    const blocked = await h.run('alice', '#1 stage quote');
    expect(blocked.ok).toBe(false);
    expect(blocked.text).toContain('an amount (the budget) → set amount 120k');
    expect((await h.run('alice', '#1 stage qualified')).text).toMatch(
      /lead \(Lead\), quote \(Quote\), won \(Won\), lost \(Lost\)/,
    );
    await h.run('alice', '#1 set amount 5k');
    const moved = await h.run('alice', '#1 stage quote');
    expect(moved.ok, moved.text).toBe(true);
    const actions = await h.prisma.actionItem.findMany({ where: { dealId: (await deal(1)).id } });
    expect(actions.map((a) => [a.text, a.dueOn?.toISOString().slice(0, 10)])).toEqual([
      ['Follow up on the quote with the buyer', '2026-11-26'],
    ]);
  });

  it('an unknown process is refused with the list, and nothing is written', async () => {
    const before = await h.counts();
    const r = await h.run('alice', 'new Shop | Gadgets process:retail');
    expect(r.ok).toBe(false);
    expect(r.text).toBe(
      'There is no sales process "retail". Pick one of solution (Solution sale), transactional (Transactional sale), e.g. new Acme | ERP process:solution.',
    );
    expect(await h.counts()).toEqual(before);
  });

  it("the pipeline shows one funnel per process; list stage:<s> reads each deal's own process", async () => {
    await h.run('alice', 'new Acme | ERP amount:100k');
    const p = await h.run('alice', 'pipeline');
    expect(p.text).toContain('Solution sale:\n• Lead (10%): 1 · $100,000');
    expect(p.text).toContain('Transactional sale:\n• Lead (20%): 0 · $0\n• Quote (60%): 1 · $5,000');
    expect(p.text).toContain('Weighted by stage probability: $13,000');
    const quote = await h.run('alice', 'list stage:quote');
    expect(quote.text).toContain('#1 Shop — Widgets · Quote');
    expect(quote.text).not.toContain('#2');
    const lead = await h.run('alice', 'list stage:lead');
    expect(lead.text).toContain('#2 Acme — ERP');
    expect(lead.text).not.toContain('#1 Shop');
  });

  it("a team's file: custom gates, playbooks for a room role and the manager, won by flag", async () => {
    const loaded = await h.run('alice', `process load\n${defaultFile}\n${customFile.replace(/^processes:\n/m, '')}`);
    expect(loaded.ok, loaded.text).toBe(true);
    expect(loaded.text).toMatch(
      /^Loaded version 1: solution \(Solution sale, 6\), transactional \(Transactional sale, 4\), enterprise \(Enterprise sale, 5\)\./,
    );
    await h.run('alice', `team ${h.mention('mgr')} ${h.mention('alice')}`);
    const r = await h.run('alice', `new MegaCorp | Platform process:enterprise`);
    expect(r.ok, r.text).toBe(true);
    expect(await deal(3)).toMatchObject({ process: 'enterprise', stage: 'discovery' });
    await h.run('alice', `#3 invite ${h.mention('carol')} as:presales`);
    const blocked = await h.run('alice', '#3 stage solution-fit');
    expect(blocked.text).toContain('a champion contact → contact "Jane Doe" role:champion');
    await h.run('alice', '#3 set amount 1m');
    await h.run('alice', '#3 set close 2027-06-30');
    await h.run('alice', '#3 contact "Wang Li" role:champion');
    const moved = await h.run('alice', '#3 stage fit');
    expect(moved.ok, moved.text).toBe(true);
    const members = await h.prisma.member.findMany();
    const name = (id: string) => members.find((m) => m.id === id)?.name;
    const actions = await h.prisma.actionItem.findMany({
      where: { dealId: (await deal(3)).id },
      orderBy: { number: 'asc' },
    });
    expect(actions.map((a) => [a.number, a.text, name(a.assigneeId), a.dueOn?.toISOString().slice(0, 10)])).toEqual([
      [1, 'Run the technical demo', 'carol', '2026-11-30'],
      [2, 'Review the deal with the rep', 'mgr', '2026-11-26'],
    ]);
    const gate = await h.run('alice', '#3 stage commit');
    expect(gate.ok).toBe(false);
    expect(gate.text).toContain(
      'the customer-confirmed outcome "Customer accepted the proposal" → outcome proposal-accepted 2026-12-02 by:"Jane Doe"',
    );
    expect(gate.text).toContain('a decision-maker contact');
    const wrong = await h.run('alice', '#3 outcome contract-signed');
    expect(wrong.text).toBe(
      '“contract-signed” is not an outcome of the Enterprise sale process. Its outcomes: proposal-accepted (Customer accepted the proposal).',
    );
    const rec = await h.run('alice', '#3 outcome proposal-accepted 2026-12-02 by:"Jane Doe"');
    expect(rec.ok, rec.text).toBe(true);
    await h.run('alice', '#3 contact "Jane Doe" role:decision-maker');
    const committed = await h.run('alice', '#3 stage commit');
    expect(committed.ok, committed.text).toBe(true);
    const history = await h.run('alice', '#3 history');
    expect(history.text).toContain(
      'recorded the outcome “Customer accepted the proposal” on Wed 2026-12-02, confirmed by Jane Doe',
    );
    const won = await h.run('alice', '#3 won');
    expect(won.ok, won.text).toBe(true);
    expect(await deal(3)).toMatchObject({ status: 'won', stage: 'signed' });
  });

  it('a file that would orphan deals is refused with their list and changes nothing', async () => {
    const before = await h.counts();
    const files = () => h.prisma.processFile.count();
    for (const verb of ['load', 'check', 'reset']) {
      const r = await h.run('alice', verb === 'reset' ? 'process reset' : `process ${verb} ${defaultFile}`);
      expect(r.ok).toBe(false);
      expect(r.text).toContain(
        'That file would orphan 1 deal(s) whose process or stage it does not have: #3 (enterprise / signed). Nothing was changed.',
      );
    }
    // Renaming a stage's key orphans the deals in it too (history keeps keys).
    const renamed = defaultFile.replace('- key: quote', '- key: quotation') + customFile.replace(/^processes:\n/m, '');
    expect((await h.run('alice', `process load ${renamed}`)).text).toMatch(/#1 \(transactional \/ quote\)/);
    expect(await h.counts()).toEqual(before);
    expect(await files()).toBe(1);
    expect((await h.prisma.workspace.findFirstOrThrow()).processVersion).toBe(1);
    expect((await h.run('alice', 'process')).text).toContain('Enterprise sale (enterprise)');
  });

  it('set process: a stage the new process lacks needs a mapping; with one, history stays as it was', async () => {
    await h.run('alice', 'new Acme | Switch amount:10k close:2027-01-31');
    await h.run('alice', '#4 contact "Dee" role:decision-maker');
    expect((await h.run('alice', '#4 stage proposal')).ok).toBe(true);
    const d = await deal(4);
    const eventsBefore = await h.prisma.dealEvent.findMany({ where: { dealId: d.id }, orderBy: { id: 'asc' } });
    const before = await h.counts();

    const refused = await h.run('alice', '#4 set process transactional');
    expect(refused.ok).toBe(false);
    expect(refused.text).toBe(
      'Deal #4 is in Proposal, which transactional does not have. Say where it goes, e.g. set process transactional proposal=lead (stages: lead (Lead), quote (Quote)). Nothing changed.',
    );
    const bad = await h.run('alice', '#4 set process transactional proposal=closing');
    expect(bad.text).toBe(
      '“closing” is not an open stage of the Transactional sale process (lead (Lead), quote (Quote)); nothing changed.',
    );
    expect(await h.counts()).toEqual(before);

    const ok = await h.run('alice', '#4 set process transactional map:proposal=quote');
    expect(ok.ok, ok.text).toBe(true);
    expect(await deal(4)).toMatchObject({ process: 'transactional', stage: 'quote' });
    const eventsAfter = await h.prisma.dealEvent.findMany({ where: { dealId: d.id }, orderBy: { id: 'asc' } });
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(eventsAfter.at(-1)).toMatchObject({
      type: 'process_changed',
      data: {
        before: { process: 'solution', stage: 'proposal' },
        after: { process: 'transactional', stage: 'quote' },
        mapping: [['proposal', 'quote']],
      },
    });
    expect((await h.run('alice', '#4 history')).text).toContain(
      'changed the process: solution / proposal → transactional / quote',
    );
    expect((await h.run('alice', '#4 set process transactional')).text).toBe(
      'Deal #4 already follows the Transactional sale process.',
    );
    // A stage both processes have needs no mapping.
    expect((await h.run('alice', '#2 set process transactional')).ok).toBe(true);
    expect(await deal(2)).toMatchObject({ process: 'transactional', stage: 'lead' });
  });
});
