// Digests compute per process: each deal is replayed, measured and judged stalled in its own
// process, and a digest covering two processes names each stage with its process. The weekly
// digest also shows gates passed by override and how those deals converted.
import { describe, expect, it } from 'vitest';
import { buildManagerDigest } from '../../src/app/digest-message.ts';
import { stalledAcross } from '../../src/domain/follow-ups.ts';
import { gateStats } from '../../src/domain/funnel.ts';
import type { Deal, DealEvent } from '../../src/domain/model.ts';
import { funnelChangesAcross, weeklyReportAcross } from '../../src/domain/pipeline.ts';
import { SOLUTION_SALE, TRANSACTIONAL_SALE } from '../../src/domain/process.ts';
import { renderText } from '../../src/platforms/console/render-text.ts';

const T = (s: string) => new Date(s);
const NOW = T('2026-03-03T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

function deal(n: number, process: string, stage: string, inStageDays: number): Deal {
  return {
    id: `d${n}`,
    workspaceId: 'w',
    number: n,
    accountId: `a${n}`,
    title: `Deal ${n}`,
    process,
    stage,
    status: 'open',
    amount: '1000.00',
    currency: 'USD',
    closeDate: null,
    competitors: [],
    nextStep: null,
    lastContactAt: null,
    nextContactOn: '2026-03-10',
    ownerId: 'u2',
    roomId: null,
    cardRef: null,
    roomArchivedAt: null,
    lostReason: null,
    stageEnteredAt: daysAgo(inStageDays),
    closedAt: null,
    createdAt: daysAgo(40),
  };
}
let seq = 0n;
const ev = (n: number, type: DealEvent['type'], at: Date, data: Record<string, unknown>): DealEvent => ({
  id: ++seq,
  workspaceId: 'w',
  dealId: `d${n}`,
  actorId: 'u2',
  type,
  at,
  data,
});
const created = (n: number, process: string) =>
  ev(n, 'created', daysAgo(40), { after: { stage: 'lead', amount: '1000.00', currency: 'USD', process } });

// d1 solution, 30 days in proposal (stalls after 21); d2 transactional, 12 days in quote (after 10);
// d3 transactional, 10 days in lead: stalled after 7 in its process (it would not be after 14 in solution).
const deals = [
  deal(1, 'solution', 'proposal', 30),
  deal(2, 'transactional', 'quote', 12),
  deal(3, 'transactional', 'lead', 10),
];
const events = [
  created(1, 'solution'),
  created(2, 'transactional'),
  created(3, 'transactional'),
  ev(1, 'stage_changed', daysAgo(30), { before: 'lead', after: 'proposal' }),
  ev(2, 'stage_changed', daysAgo(12), { before: 'lead', after: 'quote' }),
  ev(2, 'won', daysAgo(1), { before: 'quote', after: 'won', amount: '1000.00', currency: 'USD' }),
];
const processes = [SOLUTION_SALE, TRANSACTIONAL_SALE];

describe('digests per process', () => {
  it('stall thresholds are each deal’s own process’s', () => {
    expect(stalledAcross(deals, NOW, processes).map((s) => [s.deal.number, s.daysInStage, s.stallDays])).toEqual([
      [1, 30, 21],
      [3, 10, 7],
      [2, 12, 10],
    ]);
    expect(stalledAcross(deals, NOW, [SOLUTION_SALE]).map((s) => s.deal.number)).toEqual([1]);
  });

  it('the funnel is replayed per process: each process’s open stages, in its own order', () => {
    const f = funnelChangesAcross({ deals, events, since: daysAgo(2), until: NOW, processes });
    expect(f.stages.map((s) => `${s.process}/${s.stage}:${s.countThen}->${s.countNow}`)).toEqual([
      'solution/lead:0->0',
      'solution/qualified:0->0',
      'solution/proposal:1->1',
      'solution/negotiation:0->0',
      'transactional/lead:1->1',
      'transactional/quote:1->0',
    ]);
    expect(f.won.map((w) => [w.deal.number, w.from])).toEqual([[2, 'quote']]);
  });

  it('weekly conversion and time are computed per process', () => {
    const w = weeklyReportAcross({ deals, events, now: NOW, processes, reps: [{ id: 'u2', name: 'bob' }] });
    const row = (p: string, s: string) => w.stages.find((x) => x.process === p && x.stage === s)?.current;
    expect(row('solution', 'lead')).toMatchObject({ entered: 1, advanced: 1, medianDays: 10 });
    expect(row('transactional', 'lead')).toMatchObject({ entered: 2, advanced: 1, medianDays: 28 });
    expect(row('transactional', 'quote')).toMatchObject({ entered: 1, advanced: 1, medianDays: 11 });
    expect(w.stages).toHaveLength(6);
  });

  it('a digest over two processes names each stage with its process in funnel lines', () => {
    const text = renderText(
      buildManagerDigest(
        {
          processes,
          accountName: () => undefined,
          externalIdOf: (id) => ({ u2: 'U2' })[id],
          manager: { id: 'u1', externalId: 'U1', name: 'alice' },
          today: '2026-03-03',
          funnel: funnelChangesAcross({ deals, events, since: daysAgo(2), until: NOW, processes }),
          overdue: [],
          followUps: [],
          stalled: stalledAcross(deals, NOW, processes),
        },
        'en',
      ),
      (id) => ({ U2: 'bob' })[id] ?? id,
    );
    expect(text).toContain('Transactional sale · Quote 0 (−1)');
    expect(text).toContain('Solution sale · Proposal 1');
    expect(text).toContain('#3 Deal 3 (@bob): 10 days in Lead (stalls after 7)');
    expect(text).toContain('#2 Deal 2 (@bob): 12 days in Quote (stalls after 10)');
  });
});

describe('gates passed by override (the data to judge a stage standard)', () => {
  const gd = [
    deal(11, 'solution', 'proposal', 10),
    deal(12, 'solution', 'qualified', 15),
    deal(13, 'solution', 'lead', 2),
  ];
  const mv = (n: number, ago: number, before: string, after: string, override?: string) =>
    ev(n, 'stage_changed', daysAgo(ago), { before, after, ...(override ? { override, missing: ['amount'] } : {}) });
  const gev = [
    created(11, 'solution'),
    created(12, 'solution'),
    created(13, 'solution'),
    mv(11, 20, 'lead', 'qualified', 'budget agreed orally'),
    mv(11, 10, 'qualified', 'proposal'),
    mv(12, 15, 'lead', 'qualified'),
    mv(13, 5, 'lead', 'qualified', 'board meets Friday'),
    mv(13, 2, 'qualified', 'lead'),
  ];
  it('counts overrides per gated stage and compares their conversion with deals that met the standard', () => {
    const g = gateStats({ events: gev, deals: gd, from: daysAgo(90), to: NOW, process: SOLUTION_SALE });
    expect(g.map((x) => x.stage)).toEqual(['qualified', 'proposal', 'negotiation']);
    expect(g[0]).toMatchObject({
      overridden: { entered: 2, advanced: 1, conversion: 0.5, medianDays: 10 },
      met: { entered: 1, advanced: 0, conversion: 0 },
    });
    expect(g[1]).toMatchObject({ overridden: { entered: 0 }, met: { entered: 1, advanced: 0 } });
  });

  it('the weekly digest shows them', () => {
    const weekly = weeklyReportAcross({ deals: gd, events: gev, now: NOW, processes: [SOLUTION_SALE], reps: [] });
    const text = renderText(
      buildManagerDigest(
        {
          processes: [SOLUTION_SALE],
          accountName: () => undefined,
          externalIdOf: () => undefined,
          manager: { id: 'u1', externalId: 'U1', name: 'alice' },
          today: '2026-03-03',
          funnel: funnelChangesAcross({
            deals: gd,
            events: gev,
            since: daysAgo(1),
            until: NOW,
            processes: [SOLUTION_SALE],
          }),
          overdue: [],
          followUps: [],
          stalled: [],
          weekly,
        },
        'en',
      ),
    );
    expect(text).toContain(
      'Gates passed by override\n• Qualified: 2 of 3 entries by override; converted 50%, vs 0% when the standard was met',
    );
  });
});
