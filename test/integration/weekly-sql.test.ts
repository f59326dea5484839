// The weekly section's statistics come from the database's aggregates (src/store/weekly-sql.ts);
// the replay in src/domain (weeklyReportAcross) is the reference. On generated histories —
// creation missing or out of order, moves back and forth, skipped and unknown stages, closes and
// reopens, overrides, same-instant events, ids out of time order, events older than the window,
// two processes, several owners — both must give exactly the same report, on both databases.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/funnel.ts';
import { weeklyReportAcross, weeklyReportFromStats } from '../../src/domain/pipeline.ts';
import { DEFAULT_PROCESSES } from '../../src/domain/process.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';

const BACKENDS = await backends();
const NOW = new Date('2026-11-23T00:30:00Z');
const SINCE = new Date(NOW.getTime() - 180 * DAY_MS);
const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'quote', 'won', 'lost', '', 'bogus'];
const TYPES = [
  'created',
  'stage_changed',
  'stage_changed',
  'stage_changed',
  'won',
  'lost',
  'reopened',
  'process_changed',
  'contact_logged',
  'field_changed',
] as const;

// Instants as (days ago, hour): a few days and hours often, so that events often share an instant
// (then the log’s order decides), on both sides of the windows’ edges (90 and 180 days ago, now).
const instant = fc
  .record({
    days: fc.oneof(fc.constantFrom(-1, 1, 10, 90, 91, 180), fc.integer({ min: -2, max: 200 })),
    hour: fc.constantFrom(0, 12, 12, 13),
  })
  .map(({ days, hour }) => new Date(NOW.getTime() - days * DAY_MS + hour * 3_600_000 - 12 * 3_600_000));
const stage = fc.constantFrom(...STAGES);
const event = fc.record({
  type: fc.constantFrom(...TYPES),
  at: instant,
  before: stage,
  after: stage,
  override: fc.option(fc.constantFrom('customer asked', 7), { nil: undefined }),
  shape: fc.constantFrom('normal', 'normal', 'normal', 'odd'),
});
const deal = fc.record({
  process: fc.constantFrom('solution', 'transactional'),
  owner: fc.integer({ min: 0, max: 2 }),
  createdAt: instant,
  stage,
  closed: fc.option(instant, { nil: null }),
  events: fc.array(event, { maxLength: 9 }),
});

type Ev = typeof event extends fc.Arbitrary<infer T> ? T : never;
type GenDeal = Omit<typeof deal extends fc.Arbitrary<infer T> ? T : never, 'events'> & { events: Ev[] };

function dataOf(e: Ev): Record<string, unknown> | unknown[] {
  if (e.shape === 'odd') return e.type === 'stage_changed' ? { before: 3, after: ['x'] } : ['not', 'an', 'object'];
  switch (e.type) {
    case 'created':
    case 'process_changed':
      return { after: { stage: e.after, amount: '10.00', currency: 'USD' } };
    case 'reopened':
      return { before: { stage: e.before }, after: { stage: e.after } };
    case 'stage_changed':
      return { before: e.before, after: e.after, ...(e.override === undefined ? {} : { override: e.override }) };
    case 'won':
    case 'lost':
      return { before: e.before, amount: '10.00', currency: 'USD' };
    default:
      return { note: 'n' };
  }
}

describe.each(BACKENDS)('weekly statistics in SQL on %s', (backend) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db.destroy();
  });

  async function seed(deals: GenDeal[]) {
    const p = db.prisma;
    const ws = await p.workspace.create({
      data: { platform: 'console', externalId: randomUUID(), createdAt: NOW },
    });
    const owners = [0, 1, 2].map(() => randomUUID());
    await p.member.createMany({
      data: owners.map((id, i) => ({
        id,
        workspaceId: ws.id,
        externalId: `u${i}`,
        name: `u${i}`,
        role: i ? 'rep' : 'manager',
        managerId: i ? owners[0] : null,
        createdAt: NOW,
      })),
    });
    const acc = await p.account.create({ data: { workspaceId: ws.id, name: 'A', nameKey: 'a', createdAt: NOW } });
    const ids = deals.map(() => randomUUID());
    await p.deal.createMany({
      data: deals.map((d, i) => ({
        id: ids[i],
        workspaceId: ws.id,
        number: i + 1,
        accountId: acc.id,
        title: `D${i}`,
        process: d.process,
        stage: d.stage,
        status: d.closed ? (d.stage === 'lost' ? 'lost' : 'won') : 'open',
        currency: 'USD',
        ownerId: owners[d.owner],
        stageEnteredAt: d.createdAt,
        closedAt: d.closed,
        createdAt: d.createdAt,
        updatedAt: NOW,
      })),
    });
    // In generated order: ids follow insertion, not time.
    const events = deals.flatMap((d, i) =>
      d.events.map((e) => ({
        workspaceId: ws.id,
        dealId: ids[i],
        actorId: owners[d.owner],
        type: e.type,
        at: e.at,
        data: dataOf(e) as object,
      })),
    );
    if (events.length) await p.dealEvent.createMany({ data: events });
    return { ws: ws.id, owners };
  }

  async function both(deals: GenDeal[]) {
    const { ws, owners } = await seed(deals);
    const store = prismaStore(db.prisma, { now: () => NOW });
    const reps = owners.slice(1).map((id, i) => ({ id, name: `u${i + 1}` }));
    // The reference, fed as the digest fed it before: the team's deals and 180 days of their events.
    const ds = await store.repos.listDeals(ws, { ownerIds: owners, openOrClosedSince: SINCE });
    const events = await store.digests.listEventsForDeals(
      ws,
      ds.map((d) => d.id),
      SINCE,
    );
    const reference = weeklyReportAcross({ events, deals: ds, now: NOW, processes: DEFAULT_PROCESSES, reps });
    const stats = await store.digests.weeklyStats({
      workspaceId: ws,
      ownerIds: owners,
      since: SINCE,
      now: NOW,
      processes: DEFAULT_PROCESSES,
    });
    const sql = weeklyReportFromStats({
      now: NOW,
      processes: DEFAULT_PROCESSES,
      reps,
      stats: (p) => stats.get(p.key)!,
    });
    return { reference, sql };
  }

  it('gives the replay’s report on generated histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(deal, { minLength: 1, maxLength: 10 }), async (deals) => {
        const { reference, sql } = await both(deals);
        expect(sql).toStrictEqual(reference);
      }),
      { numRuns: 60 },
    );
  });

  it('counts entries, advances, days and gate overrides as the reference does (a fixed history)', async () => {
    const at = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
    const e = (type: Ev['type'], days: number, before: string, after: string, override?: string): Ev => ({
      type,
      at: at(days),
      before,
      after,
      override,
      shape: 'normal',
    });
    const history: GenDeal[] = [
      // lead → qualified (override) 50 days ago → proposal 40 days ago → won 10 days ago
      {
        process: 'solution',
        owner: 1,
        createdAt: at(60),
        stage: 'won',
        closed: at(10),
        events: [
          e('created', 60, '', 'lead'),
          e('stage_changed', 50, 'lead', 'qualified', 'ok'),
          e('stage_changed', 40, 'qualified', 'proposal'),
          e('won', 10, 'proposal', ''),
        ],
      },
      // no `created` in the log: starts at createdAt in the stage its first move left
      {
        process: 'solution',
        owner: 2,
        createdAt: at(30),
        stage: 'qualified',
        closed: null,
        events: [e('stage_changed', 20, 'lead', 'qualified')],
      },
      // two moves in the same instant: the log's order says which came first
      {
        process: 'solution',
        owner: 2,
        createdAt: at(30),
        stage: 'proposal',
        closed: null,
        events: [e('stage_changed', 5, 'lead', 'qualified'), e('stage_changed', 5, 'qualified', 'proposal')],
      },
      // a move after `now` (a digest computed for an earlier instant) is not an exit yet
      {
        process: 'solution',
        owner: 1,
        createdAt: at(30),
        stage: 'negotiation',
        closed: null,
        events: [e('stage_changed', 3, 'lead', 'proposal'), e('stage_changed', -1, 'proposal', 'negotiation')],
      },
    ];
    const { reference, sql } = await both(history);
    expect(sql).toStrictEqual(reference);
    const lead = sql.stages.find((s) => s.stage === 'lead' && s.process === 'solution')!;
    expect([lead.current.entered, lead.current.advanced, lead.current.medianDays]).toEqual([4, 4, 17.5]);
    const qualified = sql.gates.find((g) => g.stage === 'qualified' && g.process === 'solution')!;
    expect([qualified.overridden.entered, qualified.overridden.advanced, qualified.overridden.medianDays]).toEqual([
      1, 1, 10,
    ]);
    expect([qualified.met.entered, qualified.met.advanced, qualified.met.medianDays]).toEqual([2, 1, 0]);
    const proposal = sql.gates.find((g) => g.stage === 'proposal' && g.process === 'solution')!;
    expect([proposal.met.entered, proposal.met.advanced, proposal.met.medianDays]).toEqual([3, 1, 30]);
  });
});
