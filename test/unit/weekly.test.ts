// Conversion rate AND conversion time per stage, two 90-day windows, and each rep's coaching
// focus, against numbers computed BY HAND from the fixture below (every event at 00:00 UTC, so
// every duration is a whole number of days).
import { describe, expect, it } from 'vitest';
import { type Rate, stageStats, weeklyReport } from '../../src/domain/funnel.ts';
import type { Deal, DealEvent } from '../../src/domain/model.ts';
import { isAdvance, SOLUTION_SALE } from '../../src/domain/process.ts';

const T = (s: string) => new Date(`${s}T00:00:00Z`);
const now = T('2026-07-01');
// current  = [2026-04-02, 2026-07-01)   (90 days)
// previous = [2026-01-02, 2026-04-02)   (90 days)

let seq = 0n;
/** A team's deals and event log, built from each deal's whole path: [date, stage] steps, the first
 * being its creation. A step from won/lost to an open stage is a reopen; to won/lost a close;
 * otherwise a stage move (direction as the app writes it). */
function team() {
  const deals: Deal[] = [];
  const events: DealEvent[] = [];
  function path(id: string, ownerId: string, steps: [string, string][]) {
    deals.push({
      id,
      workspaceId: 'w',
      number: deals.length + 1,
      accountId: `acc-${id}`,
      title: id,
      process: 'solution',
      stage: steps.at(-1)![1],
      status: 'open',
      amount: '1000',
      currency: 'USD',
      closeDate: null,
      competitors: [],
      nextStep: null,
      lastContactAt: null,
      nextContactOn: null,
      ownerId,
      roomId: null,
      cardRef: null,
      roomArchivedAt: null,
      lostReason: null,
      stageEnteredAt: T(steps.at(-1)![0]),
      closedAt: null,
      createdAt: T(steps[0][0]),
    });
    const ev = (type: DealEvent['type'], at: string, data: Record<string, unknown>) =>
      events.push({ id: ++seq, workspaceId: 'w', dealId: id, actorId: ownerId, type, at: T(at), data });
    ev('created', steps[0][0], {
      after: {
        account: id,
        title: id,
        stage: steps[0][1],
        amount: '1000',
        currency: 'USD',
        closeDate: null,
        process: 'solution',
      },
    });
    for (let i = 1; i < steps.length; i++) {
      const [at, to] = steps[i];
      const from = steps[i - 1][1];
      if (to === 'won' || to === 'lost') ev(to, at, { before: from, after: to, amount: '1000', currency: 'USD' });
      else if (from === 'won' || from === 'lost')
        ev('reopened', at, { before: { status: from, stage: from }, after: { status: 'open', stage: to } });
      else
        ev('stage_changed', at, {
          field: 'stage',
          before: from,
          after: to,
          direction: isAdvance(SOLUTION_SALE, from, to) ? 'advance' : 'back',
        });
    }
  }
  const log = () => events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { deals, events, path, log };
}

const { deals, events, path, log } = team();

// ---- current window: alice (A*) and bob (B*) ----
path('A1', 'alice', [
  ['2026-04-10', 'lead'],
  ['2026-04-20', 'qualified'],
  ['2026-05-10', 'proposal'],
  ['2026-05-20', 'negotiation'],
  ['2026-06-10', 'lost'],
]);
path('A2', 'alice', [
  ['2026-04-15', 'lead'],
  ['2026-04-18', 'qualified'],
  ['2026-05-01', 'proposal'],
  ['2026-05-15', 'lost'],
]);
path('A3', 'alice', [
  ['2026-05-01', 'lead'],
  ['2026-05-10', 'lost'],
]);
path('A4', 'alice', [
  ['2026-04-02', 'lead'],
  ['2026-04-12', 'proposal'],
  ['2026-04-30', 'won'],
]); // created AT the window start; skips qualified
path('A5', 'alice', [
  ['2026-04-03', 'lead'],
  ['2026-04-13', 'qualified'],
  ['2026-04-20', 'lost'],
  ['2026-05-01', 'qualified'],
  ['2026-05-11', 'proposal'],
]); // lost, reopened
path('B0', 'bob', [
  ['2026-03-20', 'lead'],
  ['2026-04-05', 'qualified'],
  ['2026-04-09', 'proposal'],
  ['2026-04-16', 'negotiation'],
]); // created in the PREVIOUS window
path('B1', 'bob', [
  ['2026-04-05', 'lead'],
  ['2026-04-12', 'qualified'],
  ['2026-04-22', 'proposal'],
  ['2026-05-02', 'negotiation'],
  ['2026-05-09', 'won'],
]);
path('B2', 'bob', [
  ['2026-04-10', 'lead'],
  ['2026-04-15', 'qualified'],
  ['2026-04-25', 'proposal'],
  ['2026-04-28', 'qualified'],
  ['2026-05-03', 'proposal'],
  ['2026-05-13', 'negotiation'],
  ['2026-06-01', 'lost'],
]); // back and forth
path('B3', 'bob', [
  ['2026-04-20', 'lead'],
  ['2026-05-01', 'qualified'],
  ['2026-05-08', 'proposal'],
]);
path('B4', 'bob', [['2026-06-25', 'lead']]);
// ---- previous window ----
path('P1', 'alice', [
  ['2026-01-10', 'lead'],
  ['2026-01-15', 'qualified'],
  ['2026-02-01', 'proposal'],
  ['2026-02-11', 'negotiation'],
  ['2026-03-01', 'won'],
]);
path('P2', 'bob', [
  ['2026-02-01', 'lead'],
  ['2026-02-09', 'qualified'],
  ['2026-02-20', 'lost'],
]);
path('P3', 'bob', [
  ['2026-03-01', 'lead'],
  ['2026-03-31', 'qualified'],
]);
path('P4', 'alice', [
  ['2025-12-20', 'lead'],
  ['2026-01-05', 'qualified'],
  ['2026-01-25', 'proposal'],
  ['2026-02-10', 'lost'],
]); // created before both windows
log();

/*
 * BY HAND. Per deal and stage: first entry in the window → first forward exit (days), or "—".
 *
 * CURRENT [04-02, 07-01)  lead                qualified                 proposal                 negotiation
 *   A1 alice              04-10→04-20 10      04-20→05-10 20            05-10→05-20 10           05-20→lost —
 *   A2 alice              04-15→04-18 3       04-18→05-01 13            05-01→lost —
 *   A3 alice              05-01→lost —
 *   A4 alice              04-02→04-12 10      (skipped: not entered)    04-12→won 04-30 18
 *   A5 alice              04-03→04-13 10      04-13→…→05-11 28 ¹        05-11→(still) —
 *   B0 bob                (created 03-20)     04-05→04-09 4             04-09→04-16 7            04-16→(still) —
 *   B1 bob                04-05→04-12 7       04-12→04-22 10            04-22→05-02 10           05-02→won 05-09 7
 *   B2 bob                04-10→04-15 5       04-15→04-25 10 ²          04-25→…→05-13 18 ³       05-13→lost —
 *   B3 bob                04-20→05-01 11      05-01→05-08 7             05-08→(still) —
 *   B4 bob                06-25→(still) —
 *   ¹ lost 04-20, reopened into qualified 05-01 (a re-entry: not counted again), proposal 05-11.
 *   ² re-entered 04-28 after going back: not counted again.   ³ back to qualified 04-28, forward again 05-03, negotiation 05-13.
 *
 *   stage        entered advanced conversion  median days          alice                    bob
 *   lead           9       7       7/9       [3,5,7,10,10,10,11]=10  5/4 0.8  [3,10,10,10]=10   4/3 0.75 [5,7,11]=7
 *   qualified      7       7       1         [4,7,10,10,13,20,28]=10 3/3 1    [13,20,28]=20     4/4 1    [4,7,10,10]=8.5
 *   proposal       8       5       5/8       [7,10,10,18,18]=10      4/2 0.5  [10,18]=14        4/3 0.75 [7,10,18]=10
 *   negotiation    4       1       1/4       [7]=7                   1/0 0    null              3/1 1/3  [7]=7
 *
 * PREVIOUS [01-02, 04-02)
 *   P1 alice  lead 01-10→01-15 5 | qualified 01-15→02-01 17 | proposal 02-01→02-11 10 | negotiation 02-11→won 03-01 18
 *   P2 bob    lead 02-01→02-09 8 | qualified 02-09→lost —
 *   P3 bob    lead 03-01→03-31 30 | qualified 03-31→(still) —
 *   P4 alice  (created 2025-12-20) | qualified 01-05→01-25 20 | proposal 01-25→lost —
 *   B0 bob    lead 03-20→ qualified only on 04-05, after the window ended: not advanced —
 *   A4 created 04-02 00:00 = previous window's end (exclusive): not in it.
 *
 *   stage        entered advanced conversion  median days
 *   lead           4       3       3/4       [5,8,30]=8
 *   qualified      4       2       1/2       [17,20]=18.5
 *   proposal       2       1       1/2       [10]=10
 *   negotiation    1       1       1         [18]=18
 *
 * COACHING FOCUS (current window; gap = team − rep; stages with < 3 rep entries ignored)
 *   alice: lead 7/9−4/5 < 0 · qualified 0 · proposal 5/8−2/4 = 1/8 · negotiation ignored (1 entry)  → proposal, gap 0.125
 *   bob:   lead 7/9−3/4 = 1/36 · qualified 0 · proposal < 0 · negotiation 1/4−1/3 < 0             → lead, gap 1/36
 *   carol: no deals                                                                              → null
 *   with minSample 1, alice's negotiation counts: 1/4 − 0/1 = 0.25 > 0.125                        → negotiation
 */
const r = (entered: number, advanced: number, medianDays: number | null): Rate => ({
  entered,
  advanced,
  conversion: entered ? advanced / entered : null,
  medianDays,
});

const CURRENT = {
  lead: { team: r(9, 7, 10), alice: r(5, 4, 10), bob: r(4, 3, 7) },
  qualified: { team: r(7, 7, 10), alice: r(3, 3, 20), bob: r(4, 4, 8.5) },
  proposal: { team: r(8, 5, 10), alice: r(4, 2, 14), bob: r(4, 3, 10) },
  negotiation: { team: r(4, 1, 7), alice: r(1, 0, null), bob: r(3, 1, 7) },
};
const PREVIOUS = { lead: r(4, 3, 8), qualified: r(4, 2, 18.5), proposal: r(2, 1, 10), negotiation: r(1, 1, 18) };
const STAGES = ['lead', 'qualified', 'proposal', 'negotiation'] as const;

const reps = [
  { id: 'alice', name: 'Alice' },
  { id: 'bob', name: 'Bob' },
  { id: 'carol', name: 'Carol' },
];
const report = weeklyReport({ events, deals, now, process: SOLUTION_SALE, reps });

describe('stageStats, by hand', () => {
  const owners = new Map(deals.map((d) => [d.id, d.ownerId]));
  const current = stageStats({
    events,
    deals,
    from: T('2026-04-02'),
    to: now,
    process: SOLUTION_SALE,
    ownerOf: (id) => owners.get(id)!,
  });
  const previous = stageStats({ events, deals, from: T('2026-01-02'), to: T('2026-04-02'), process: SOLUTION_SALE });

  it.each(STAGES)('current window, %s: team and per owner', (stage) => {
    const { team, alice, bob } = CURRENT[stage];
    expect(current.find((s) => s.stage === stage)).toEqual({ stage, ...team, byOwner: { alice, bob } });
  });

  it.each(STAGES)('previous window, %s (no ownerOf: no per-owner split)', (stage) => {
    expect(previous.find((s) => s.stage === stage)).toEqual({ stage, ...PREVIOUS[stage] });
  });

  it('an empty window has no rate rather than 0%', () => {
    const empty = stageStats({ events, deals, from: T('2025-01-01'), to: T('2025-02-01'), process: SOLUTION_SALE });
    expect(empty.map((s) => [s.entered, s.conversion, s.medianDays])).toEqual(STAGES.map(() => [0, null, null]));
  });
});

describe('weeklyReport, by hand', () => {
  it('uses the 90 days up to now and the 90 before', () => {
    expect(report.current).toEqual({ from: T('2026-04-02'), to: now });
    expect(report.previous).toEqual({ from: T('2026-01-02'), to: T('2026-04-02') });
  });

  it.each(STAGES)('%s: current vs previous', (stage) => {
    const row = report.stages.find((s) => s.stage === stage)!;
    const { byOwner: _, ...current } = row.current;
    expect({ current, previous: row.previous }).toEqual({
      current: { stage, ...CURRENT[stage].team },
      previous: { stage, ...PREVIOUS[stage] },
    });
  });

  it.each([
    // rep, minSample, focus stage, rep rate, team rate, gap
    ['alice', 3, 'proposal', CURRENT.proposal.alice, CURRENT.proposal.team, 1 / 8],
    ['bob', 3, 'lead', CURRENT.lead.bob, CURRENT.lead.team, 1 / 36],
    ['carol', 3, null, null, null, null],
    ['alice', 1, 'negotiation', CURRENT.negotiation.alice, CURRENT.negotiation.team, 1 / 4],
    ['bob', 1, 'lead', CURRENT.lead.bob, CURRENT.lead.team, 1 / 36],
    ['alice', 6, null, null, null, null], // no stage has 6 entries of hers
  ] as const)('coaching focus of %s (minSample %i): %s', (rep, minSample, stage, mine, team, gap) => {
    const rr = minSample === 3 ? report : weeklyReport({ events, deals, now, process: SOLUTION_SALE, reps, minSample });
    const focus = rr.coaching.find((c) => c.rep.id === rep)!.focus;
    expect(focus).toEqual(stage === null ? null : { stage, rep: mine, team, gap });
  });

  it('ties go to the earlier stage, compared exactly (0.3 − 0.1 and 0.5 − 0.3 are both 0.2)', () => {
    // In floats 0.3 − 0.1 = 0.19999999999999998 < 0.5 − 0.3 = 0.2, which would pick qualified.
    //          lead: entered advanced     qualified: entered advanced
    //   dave             10      1                       10 (1 from lead + 9 created there)  3
    //   erin             10      5                       10 (5 from lead + 5 created there)  7
    //   team             20      6  = 0.3                20                                 10 = 0.5
    //   gap          0.3 − 0.1 = 0.2                 0.5 − 0.3 = 0.2            → tie → lead
    const w = team();
    const make = (owner: string, leads: number, leadUp: number, direct: number, qualUp: number) => {
      for (let i = 0; i < leads; i++)
        w.path(
          `${owner}-l${i}`,
          owner,
          i < leadUp
            ? [
                ['2026-05-01', 'lead'],
                ['2026-05-02', 'qualified'],
                ...(i < qualUp ? [['2026-05-03', 'proposal'] as [string, string]] : []),
              ]
            : [['2026-05-01', 'lead']],
        );
      for (let i = 0; i < direct; i++)
        w.path(
          `${owner}-q${i}`,
          owner,
          i < qualUp - Math.min(leadUp, qualUp)
            ? [
                ['2026-05-01', 'qualified'],
                ['2026-05-03', 'proposal'],
              ]
            : [['2026-05-01', 'qualified']],
        );
    };
    make('dave', 10, 1, 9, 3);
    make('erin', 10, 5, 5, 7);
    const tie = weeklyReport({
      events: w.log(),
      deals: w.deals,
      now,
      process: SOLUTION_SALE,
      reps: [{ id: 'dave', name: 'Dave' }],
    });
    const stats = (stage: string) => tie.stages.find((s) => s.stage === stage)!.current;
    expect([
      stats('lead').entered,
      stats('lead').advanced,
      stats('qualified').entered,
      stats('qualified').advanced,
    ]).toEqual([20, 6, 20, 10]);
    expect(tie.coaching[0].focus).toMatchObject({ stage: 'lead', gap: 0.2 });
  });
});
