// What changed in the funnel between two instants, replayed from the event log: exact items, and
// the open pipeline (counts and exact per-currency money) at both ends of the window.
import { describe, expect, it } from 'vitest';
import { addDecimal, funnelChanges } from '../../src/domain/funnel.ts';
import type { Deal, DealEvent } from '../../src/domain/model.ts';
import { SOLUTION_SALE } from '../../src/domain/process.ts';

const T = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);

function deal(n: number, createdAt: string, over: Partial<Deal> = {}): Deal {
  return {
    id: `d${n}`,
    workspaceId: 'w',
    number: n,
    accountId: `a${n}`,
    title: `Deal ${n}`,
    process: 'solution',
    stage: 'lead',
    status: 'open',
    amount: null,
    currency: 'USD',
    closeDate: null,
    competitors: [],
    nextStep: null,
    lastContactAt: null,
    nextContactOn: null,
    ownerId: 'u1',
    roomId: null,
    cardRef: null,
    roomArchivedAt: null,
    lostReason: null,
    stageEnteredAt: T(createdAt),
    closedAt: null,
    createdAt: T(createdAt),
    ...over,
  };
}

let seq = 0n;
const ev = (
  n: number,
  type: DealEvent['type'],
  at: string,
  data: Record<string, unknown>,
  actorId: string | null = 'u1',
): DealEvent => ({ id: ++seq, workspaceId: 'w', dealId: `d${n}`, actorId, type, at: T(at), data });
const created = (n: number, at: string, amount: string | null, currency = 'USD', actor = 'u1') =>
  ev(
    n,
    'created',
    at,
    {
      after: {
        account: `A${n}`,
        title: `Deal ${n}`,
        stage: 'lead',
        amount,
        currency,
        closeDate: null,
        process: 'solution',
      },
    },
    actor,
  );
const move = (n: number, at: string, before: string, after: string, direction?: 'advance' | 'back', actor = 'u1') =>
  ev(n, 'stage_changed', at, { field: 'stage', before, after, ...(direction ? { direction } : {}) }, actor);
const close = (n: number, type: 'won' | 'lost', at: string, before: string, amount: string | null, reason?: string) =>
  ev(n, type, at, { before, after: type, amount, currency: 'USD', ...(reason ? { reason } : {}) });
const reopen = (n: number, at: string, was: 'won' | 'lost', stage: string) =>
  ev(n, 'reopened', at, { before: { status: was, stage: was }, after: { status: 'open', stage } });
const setAmount = (n: number, at: string, before: string | null, after: string, currency = 'USD') =>
  ev(n, 'field_changed', at, {
    field: 'amount',
    before: { amount: before, currency },
    after: { amount: after, currency },
  });

// Window (since, until] = one day.
const since = T('2026-03-02');
const until = T('2026-03-03');

// The story of each deal, and where it stands at `since` (then) and `until` (now):
//  #1 lead→qualified 02-10, →proposal IN the window                 then qualified $1000.10 | now proposal
//  #2 lead→qualified→proposal before, moved BACK to qualified in it   then proposal $500.05  | now qualified
//  #3 →negotiation, won 02-20, amount edited before, REOPENED in it   then (won)             | now negotiation ¥2500.50
//  #4 CREATED in the window                                           then (none)            | now lead $0.20
//  #5 lost in the window from lead                                    then lead $0.10        | now (lost)
//  #6 no amount until it was won in the window from negotiation       then negotiation (no $)| now (won)
//  #7 amount edited 100 → 300 in the window                           then lead $100         | now lead $300
//  #8 moved to qualified exactly AT `until` (included), no direction  then lead               | now qualified
//  #9 created exactly AT `since` (excluded from new, in "then")       then lead $1           | now lead $1
const deals = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) =>
  deal(n, n === 4 ? '2026-03-02T08:00:00Z' : n === 9 ? '2026-03-02' : '2026-02-01', n === 3 ? { currency: 'CNY' } : {}),
);
const events: DealEvent[] = [
  created(1, '2026-02-01', '1000.10'),
  move(1, '2026-02-10', 'lead', 'qualified', 'advance'),
  move(1, '2026-03-02T10:00:00Z', 'qualified', 'proposal', 'advance', 'u1'),
  created(2, '2026-02-01', '500.05', 'USD', 'u2'),
  move(2, '2026-02-05', 'lead', 'qualified', 'advance'),
  move(2, '2026-02-15', 'qualified', 'proposal', 'advance'),
  move(2, '2026-03-02T12:00:00Z', 'proposal', 'qualified', 'back', 'u2'),
  created(3, '2026-02-01', '2000', 'CNY'),
  move(3, '2026-02-02', 'lead', 'negotiation', 'advance'),
  setAmount(3, '2026-02-10', '2000', '2500.5', 'CNY'),
  {
    ...close(3, 'won', '2026-02-20', 'negotiation', '2500.5'),
    data: { before: 'negotiation', after: 'won', amount: '2500.5', currency: 'CNY' },
  },
  reopen(3, '2026-03-02T09:00:00Z', 'won', 'negotiation'),
  created(4, '2026-03-02T08:00:00Z', '0.20', 'USD', 'u2'),
  created(5, '2026-02-01', '0.10'),
  close(5, 'lost', '2026-03-02T15:00:00Z', 'lead', '0.10', 'no budget'),
  created(6, '2026-02-01', null),
  move(6, '2026-02-03', 'lead', 'qualified', 'advance'),
  move(6, '2026-02-20', 'qualified', 'negotiation', 'advance'),
  close(6, 'won', '2026-03-02T16:00:00Z', 'negotiation', '700.00'),
  created(7, '2026-02-01', '100'),
  setAmount(7, '2026-03-02T11:00:00Z', '100', '300'),
  created(8, '2026-02-01', null),
  move(8, '2026-03-03', 'lead', 'qualified'),
  created(9, '2026-03-02', '1'),
  // An event of a deal that is not the team's is ignored.
  { ...created(99, '2026-03-02T10:00:00Z', '5') },
].sort((a, b) => a.at.getTime() - b.at.getTime());

const f = funnelChanges({ deals, events, since, until, process: SOLUTION_SALE });
const byNumber = (xs: { deal: Deal }[]) => xs.map((x) => x.deal.number);

describe('funnelChanges: what happened in (since, until]', () => {
  it('lists new deals with who created them and their first stage and amount', () => {
    expect(f.newDeals.map(({ deal, ...rest }) => ({ n: deal.number, ...rest }))).toEqual([
      { n: 4, at: T('2026-03-02T08:00:00Z'), actorId: 'u2', stage: 'lead', amount: '0.20', currency: 'USD' },
    ]);
  });

  it('splits stage moves into advances and regressions, in time order, with actor', () => {
    const strip = (xs: typeof f.advances) => xs.map(({ deal, ...m }) => ({ n: deal.number, ...m }));
    expect(strip(f.advances)).toEqual([
      { n: 1, at: T('2026-03-02T10:00:00Z'), actorId: 'u1', from: 'qualified', to: 'proposal' },
      { n: 8, at: T('2026-03-03'), actorId: 'u1', from: 'lead', to: 'qualified' }, // direction missing: inferred
    ]);
    expect(strip(f.regressions)).toEqual([
      { n: 2, at: T('2026-03-02T12:00:00Z'), actorId: 'u2', from: 'proposal', to: 'qualified' },
    ]);
  });

  it('lists won and lost with amount, currency, the stage they closed from, and the reason', () => {
    const strip = (xs: typeof f.won) => xs.map(({ deal, at: _, actorId: __, ...c }) => ({ n: deal.number, ...c }));
    expect(strip(f.won)).toEqual([{ n: 6, from: 'negotiation', amount: '700.00', currency: 'USD', reason: null }]);
    expect(strip(f.lost)).toEqual([{ n: 5, from: 'lead', amount: '0.10', currency: 'USD', reason: 'no budget' }]);
  });

  it('does not list what happened before the window or exactly at `since`', () => {
    expect(byNumber(f.newDeals)).not.toContain(9);
    expect(byNumber(f.won)).not.toContain(3);
  });
});

describe('funnelChanges: the open pipeline then (at since) and now (at until)', () => {
  it.each([
    // stage, countThen, countNow, amountThen, amountNow
    ['lead', 4, 3, { USD: '101.10' }, { USD: '301.20' }], // then #5 #7 #8 #9; now #4 #7 #9
    ['qualified', 1, 2, { USD: '1000.10' }, { USD: '500.05' }], // then #1; now #2 #8 (#8 has no amount)
    ['proposal', 1, 1, { USD: '500.05' }, { USD: '1000.10' }], // then #2; now #1
    ['negotiation', 1, 1, {}, { CNY: '2500.50' }], // then #6 (unpriced); now #3 reopened
  ])('%s', (stage, countThen, countNow, amountThen, amountNow) => {
    expect(f.stages.find((s) => s.stage === stage)).toEqual({ stage, countThen, countNow, amountThen, amountNow });
  });

  it('covers exactly the open stages, in funnel order', () => {
    expect(f.stages.map((s) => s.stage)).toEqual(['lead', 'qualified', 'proposal', 'negotiation']);
  });

  it('replays history written before the log had `created` from the first move', () => {
    const legacy = deal(50, '2026-01-01', { stage: 'proposal', amount: '10' });
    const g = funnelChanges({
      deals: [legacy],
      events: [move(50, '2026-03-02T10:00:00Z', 'qualified', 'proposal', 'advance')],
      since,
      until,
      process: SOLUTION_SALE,
    });
    expect(g.stages.map((s) => [s.stage, s.countThen, s.countNow])).toEqual([
      ['lead', 0, 0],
      ['qualified', 1, 0],
      ['proposal', 0, 1],
      ['negotiation', 0, 0],
    ]);
    expect(g.newDeals).toEqual([]);
  });
});

describe('addDecimal: exact money, never floats', () => {
  it.each([
    ['0.1', '0.2', '0.30'],
    ['0', '1000.10', '1000.10'],
    ['99999999999999.99', '0.01', '100000000000000.00'],
    ['2500.5', '0', '2500.50'],
    ['-5.25', '1', '-4.25'],
    ['0.005', '0.005', '0.010'],
    ['.5', '1.', '1.50'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(addDecimal(a, b)).toBe(sum);
  });

  it('refuses text that is not a number', () => {
    expect(() => addDecimal('12k', '1')).toThrow(/Not a decimal/);
  });
});

describe('funnelChanges on a window of the log (what the digest loads)', () => {
  it('knows the amount before an edit made inside the window', async () => {
    const { funnelChanges } = await import('../../src/domain/funnel.ts');
    const { SOLUTION_SALE } = await import('../../src/domain/process.ts');
    const deal = {
      id: 'd1',
      workspaceId: 'w',
      number: 1,
      accountId: 'a',
      title: 'T',
      process: 'solution',
      stage: 'lead',
      status: 'open' as const,
      amount: '200.00',
      currency: 'USD',
      closeDate: null,
      competitors: [],
      nextStep: null,
      lastContactAt: null,
      nextContactOn: null,
      ownerId: 'o',
      roomId: null,
      cardRef: null,
      roomArchivedAt: null,
      lostReason: null,
      stageEnteredAt: new Date('2026-01-01T00:00:00Z'),
      closedAt: null,
      createdAt: new Date('2026-01-01T00:00:00Z'),
    };
    const edit = {
      id: 5n,
      workspaceId: 'w',
      dealId: 'd1',
      actorId: 'o',
      type: 'field_changed' as const,
      at: new Date('2026-03-02T10:00:00Z'),
      data: {
        field: 'amount',
        before: { amount: '100.00', currency: 'USD' },
        after: { amount: '200.00', currency: 'USD' },
      },
    };
    const f = funnelChanges({
      deals: [deal],
      events: [edit],
      since: new Date('2026-03-02T00:00:00Z'),
      until: new Date('2026-03-03T00:00:00Z'),
      process: SOLUTION_SALE,
    });
    const lead = f.stages.find((s) => s.stage === 'lead')!;
    expect(lead.amountThen).toEqual({ USD: '100.00' });
    expect(lead.amountNow).toEqual({ USD: '200.00' });
  });
});
