// What needs chasing, as tables: overdue actions grouped by person, customers to contact, and
// deals past their stage's stall threshold. "Today" comes from the caller, in the reader's zone.
import { describe, expect, it } from 'vitest';
import { todayIn } from '../../src/app/format.ts';
import { type ActionWithDeal, daysBetween, followUps, overdueActions, stalled } from '../../src/domain/follow-ups.ts';
import type { Deal } from '../../src/domain/model.ts';
import { SOLUTION_SALE } from '../../src/domain/process.ts';

const T = (s: string) => new Date(s);

function action(
  id: string,
  assigneeId: string,
  dueOn: string | null,
  over: Partial<ActionWithDeal> = {},
): ActionWithDeal {
  return {
    id,
    dealId: 'd1',
    number: Number(id.slice(1)),
    text: `do ${id}`,
    assigneeId,
    dueOn,
    status: 'open',
    createdById: null,
    closedById: null,
    closedAt: null,
    createdAt: T('2026-01-01T00:00:00Z'),
    dealNumber: 1,
    dealTitle: 'Renewal',
    roomId: null,
    ...over,
  };
}

function deal(number: number, over: Partial<Deal> = {}): Deal {
  return {
    id: `d${number}`,
    workspaceId: 'w',
    number,
    accountId: 'a',
    title: `Deal ${number}`,
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
    stageEnteredAt: T('2026-01-01T00:00:00Z'),
    closedAt: null,
    createdAt: T('2026-01-01T00:00:00Z'),
    ...over,
  };
}

describe('daysBetween', () => {
  it.each([
    ['2026-03-09', '2026-03-10', 1],
    ['2026-02-28', '2026-03-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-03-28', '2026-03-30', 2], // across DST in Europe
    ['2025-12-31', '2026-01-01', 1],
    ['2026-03-10', '2026-03-10', 0],
    ['2026-03-10', '2026-03-01', -9],
  ])('%s → %s = %i', (a, b, n) => expect(daysBetween(a, b)).toBe(n));
});

describe('overdueActions', () => {
  const actions = [
    action('a1', 'u1', '2026-03-09'),
    action('a2', 'u1', '2026-03-01'),
    action('a3', 'u2', '2026-03-05'),
    action('a4', 'u2', '2026-03-10'), // due today: not overdue yet
    action('a5', 'u1', null), // no due date: never overdue
    action('a6', 'u3', '2026-02-01', { status: 'done' }), // done
    action('a7', 'u3', '2026-03-09', { dealNumber: 3 }),
    action('a8', 'u3', '2026-03-09', { dealNumber: 2 }),
  ];

  it('groups by assignee, oldest backlog first, oldest action first, with days overdue', () => {
    const groups = overdueActions(actions, '2026-03-10').map((g) => [
      g.assigneeId,
      g.actions.map((o) => `${o.action.id}:${o.daysOverdue}`),
    ]);
    expect(groups).toEqual([
      ['u1', ['a2:9', 'a1:1']],
      ['u2', ['a3:5']],
      ['u3', ['a8:1', 'a7:1']], // same due date: by deal number
    ]);
  });

  it('nothing overdue gives no groups', () => {
    expect(overdueActions(actions, '2026-02-01')).toEqual([]);
  });

  // The same instant is a different "today" around the world; the caller passes the reader's.
  it.each([
    // now (UTC), reader's zone, today there, overdue count of an action due 2026-03-09
    ['2026-03-09T16:30:00Z', 'Asia/Shanghai', '2026-03-10', 1], // 00:30 on the 10th in Shanghai
    ['2026-03-09T16:30:00Z', 'America/New_York', '2026-03-09', 0], // 12:30 on the 9th in New York
    ['2026-03-09T15:59:59Z', 'Asia/Shanghai', '2026-03-09', 0], // 23:59:59 on the 9th in Shanghai
    ['2026-03-10T03:59:59Z', 'America/New_York', '2026-03-09', 0], // 23:59:59 on the 9th (EDT, UTC−4, from the 8th)
    ['2026-03-10T04:00:00Z', 'America/New_York', '2026-03-10', 1], // 00:00 on the 10th, EDT
    ['2026-03-09T23:30:00Z', 'Pacific/Kiritimati', '2026-03-10', 1], // UTC+14
  ])('at %s in %s it is %s there: %i overdue', (now, zone, today, count) => {
    expect(todayIn(T(now), zone)).toBe(today);
    expect(
      overdueActions([action('a1', 'u1', '2026-03-09')], todayIn(T(now), zone)).flatMap((g) => g.actions),
    ).toHaveLength(count);
  });
});

describe('followUps', () => {
  it.each([
    // nextContactOn, status, today, expected
    ['2026-03-09', 'open', '2026-03-10', { kind: 'overdue', daysOverdue: 1 }],
    ['2026-02-28', 'open', '2026-03-10', { kind: 'overdue', daysOverdue: 10 }],
    ['2026-03-10', 'open', '2026-03-10', null], // today: on time
    ['2026-03-11', 'open', '2026-03-10', null],
    [null, 'open', '2026-03-10', { kind: 'unplanned' }], // no date: a dream, not a plan
    ['2026-03-01', 'won', '2026-03-10', null], // closed deals need no follow-up
    [null, 'lost', '2026-03-10', null],
  ] as const)('next contact %s, %s, today %s', (nextContactOn, status, today, expected) => {
    const [found] = followUps([deal(1, { nextContactOn, status })], today);
    expect(found ? (({ deal: _, ...rest }) => rest)(found) : null).toEqual(expected);
  });

  it('lists the most overdue first, then the unplanned by deal number', () => {
    const list = followUps(
      [
        deal(1, { nextContactOn: null }),
        deal(2, { nextContactOn: '2026-03-08' }),
        deal(3, { nextContactOn: '2026-03-01' }),
        deal(4, { nextContactOn: '2026-03-20' }),
        deal(5, { nextContactOn: null }),
        deal(6, { nextContactOn: '2026-03-08' }),
      ],
      '2026-03-10',
    );
    expect(list.map((f) => `#${f.deal.number} ${f.kind === 'overdue' ? f.daysOverdue : '-'}`)).toEqual([
      '#3 9',
      '#2 2',
      '#6 2',
      '#1 -',
      '#5 -',
    ]);
  });
});

describe('stalled', () => {
  const now = T('2026-03-10T12:00:00Z');
  const DAY = 86_400_000;
  const ago = (days: number, ms = 0) => new Date(now.getTime() - days * DAY - ms);
  it.each([
    // stage, days in stage (+ ms short of it), status, expected [daysInStage, stallDays] or null
    ['lead', 14, 0, 'open', null], // exactly 14 days in a 14-day stage: on the edge
    ['lead', 15, 1, 'open', null], // 1 ms short of 15 full days
    ['lead', 15, 0, 'open', [15, 14]],
    ['qualified', 21, 0, 'open', null],
    ['qualified', 22, 0, 'open', [22, 21]],
    ['proposal', 40, 0, 'open', [40, 21]],
    ['negotiation', 15, 0, 'open', [15, 14]],
    ['won', 400, 0, 'won', null], // closed: no threshold, not open
    ['negotiation', 90, 0, 'lost', null],
  ] as const)('%s for %i days (−%i ms), %s', (stage, days, short, status, expected) => {
    const [found] = stalled([deal(1, { stage, stageEnteredAt: ago(days, -short), status })], now, SOLUTION_SALE);
    expect(found ? [found.daysInStage, found.stallDays] : null).toEqual(expected);
  });

  it('orders by how far past the threshold, and ignores other processes', () => {
    const list = stalled(
      [
        deal(1, { stage: 'proposal', stageEnteredAt: ago(25) }), // 4 over
        deal(2, { stage: 'lead', stageEnteredAt: ago(30) }), // 16 over
        deal(3, { stage: 'negotiation', stageEnteredAt: ago(18) }), // 4 over
        deal(4, { stage: 'lead', stageEnteredAt: ago(99), process: 'transactional' }),
      ],
      now,
      SOLUTION_SALE,
    );
    expect(list.map((s) => s.deal.number)).toEqual([2, 1, 3]);
  });
});
