// The manager digest and the rep nudge, rendered as plain text line by line: only non-empty
// sections, top 5 then "…and N more", one line when there is nothing, and in Chinese too.
import { describe, expect, it } from 'vitest';
import {
  buildManagerDigest,
  buildRepNudge,
  type DigestLookups,
  type ManagerDigestData,
  type RepNudgeData,
} from '../../src/app/digest-message.ts';
import { type Message, mention, roomLink } from '../../src/app/message.ts';
import type { ActionWithDeal, FollowUp, OverdueGroup } from '../../src/domain/follow-ups.ts';
import type { FunnelChanges, Rate, WeeklyReport } from '../../src/domain/funnel.ts';
import type { Deal } from '../../src/domain/model.ts';
import { SOLUTION_SALE } from '../../src/domain/process.ts';
import { renderText, textOf } from '../../src/platforms/console/render-text.ts';
import { toBlockKit } from '../../src/platforms/slack/block-kit.ts';
import { blockErrors } from '../fakes/fake-slack-state.ts';

const T = (s: string) => new Date(s);
const USERS: Record<string, string> = { U1: 'alice', U2: 'bob' };
const lines = (m: Message) => renderText(m, (id) => USERS[id] ?? id).split('\n');

const ACCOUNTS: Record<string, string> = { a1: 'Acme', a2: 'Beta', a3: 'Gamma', a4: 'Delta' };
const lookups: DigestLookups = {
  processes: [SOLUTION_SALE],
  accountName: (id) => ACCOUNTS[id],
  externalIdOf: (id) => ({ u1: 'U1', u2: 'U2' })[id],
};

function deal(number: number, title: string, ownerId: string, over: Partial<Deal> = {}): Deal {
  return {
    id: `d${number}`,
    workspaceId: 'w',
    number,
    accountId: `a${number}`,
    title,
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
    ownerId,
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
const D1 = deal(1, 'Renewal', 'u1', { roomId: 'C1' });
const D2 = deal(2, 'Pilot', 'u2');
const D3 = deal(3, 'Expansion', 'u1', { stage: 'proposal' });
const D4 = deal(4, 'POC', 'u2');

const since = T('2026-03-02T00:00:00Z'),
  until = T('2026-03-03T00:00:00Z');
const stage = (s: string, countThen: number, countNow: number, amountNow: Record<string, string> = {}) => ({
  stage: s,
  countThen,
  countNow,
  amountThen: {},
  amountNow,
});
const funnel: FunnelChanges = {
  since,
  until,
  newDeals: [{ deal: D4, at: T('2026-03-02T08:00:00Z'), actorId: 'u2', stage: 'lead', amount: null, currency: 'USD' }],
  advances: [{ deal: D3, at: T('2026-03-02T11:00:00Z'), actorId: 'u1', from: 'qualified', to: 'proposal' }],
  regressions: [],
  won: [
    {
      deal: D1,
      at: T('2026-03-02T10:00:00Z'),
      actorId: 'u1',
      from: 'negotiation',
      amount: '120000.00',
      currency: 'USD',
      reason: null,
    },
  ],
  lost: [
    {
      deal: D2,
      at: T('2026-03-02T09:00:00Z'),
      actorId: 'u2',
      from: 'lead',
      amount: '5000',
      currency: 'USD',
      reason: 'price',
    },
  ],
  stages: [
    stage('lead', 2, 3),
    stage('qualified', 1, 0),
    stage('proposal', 0, 1, { USD: '50000.00' }),
    stage('negotiation', 1, 1),
  ],
};
const quietFunnel: FunnelChanges = {
  since,
  until,
  newDeals: [],
  advances: [],
  regressions: [],
  won: [],
  lost: [],
  stages: [stage('lead', 2, 2), stage('qualified', 1, 1)],
};

const act = (n: number, dealNumber: number, text: string, over: Partial<ActionWithDeal> = {}): ActionWithDeal => ({
  id: `x${n}`,
  dealId: `d${dealNumber}`,
  number: n,
  text,
  assigneeId: 'u2',
  dueOn: '2026-02-28',
  status: 'open',
  createdById: null,
  closedById: null,
  closedAt: null,
  createdAt: T('2026-01-01T00:00:00Z'),
  dealNumber,
  dealTitle: 'Pilot',
  roomId: 'C2',
  account: 'Beta',
  ...over,
});
const overdue: OverdueGroup[] = [
  {
    assigneeId: 'u2',
    actions: [
      { action: act(1, 2, 'Send quote'), daysOverdue: 3 },
      { action: act(2, 2, 'Book demo'), daysOverdue: 1 },
    ],
  },
];

// Seven follow-ups: five shown, "…and 2 more". Deals #10+ have no known account: the title alone.
const followUps: FollowUp[] = [
  { deal: deal(10, 'T10', 'u1'), kind: 'overdue', daysOverdue: 1 },
  { deal: deal(11, 'T11', 'u2'), kind: 'overdue', daysOverdue: 4 },
  ...[12, 13, 14, 15, 16].map((n): FollowUp => ({ deal: deal(n, `T${n}`, 'u1'), kind: 'unplanned' })),
];

const r = (entered: number, advanced: number, medianDays: number | null): Rate => ({
  entered,
  advanced,
  conversion: entered ? advanced / entered : null,
  medianDays,
});
const weekly: WeeklyReport = {
  current: { from: T('2025-12-03T00:00:00Z'), to: until },
  previous: { from: T('2025-09-04T00:00:00Z'), to: T('2025-12-03T00:00:00Z') },
  stages: [
    { stage: 'lead', current: { stage: 'lead', ...r(10, 5, 3.4) }, previous: { stage: 'lead', ...r(8, 4, 6) } },
    {
      stage: 'qualified',
      current: { stage: 'qualified', ...r(5, 2, 12) },
      previous: { stage: 'qualified', ...r(20, 11, 8) },
    },
    {
      stage: 'proposal',
      current: { stage: 'proposal', ...r(0, 0, null) },
      previous: { stage: 'proposal', ...r(0, 0, null) },
    },
    {
      stage: 'negotiation',
      current: { stage: 'negotiation', ...r(2, 1, 7.5) },
      previous: { stage: 'negotiation', ...r(0, 0, null) },
    },
  ],
  coaching: [
    { rep: { id: 'u1', name: 'Alice' }, focus: { stage: 'qualified', rep: r(4, 1, 20), team: r(5, 2, 12), gap: 0.15 } },
    { rep: { id: 'u2', name: 'Bob' }, focus: null },
    { rep: { id: 'u9', name: 'Carol' }, focus: { stage: 'lead', rep: r(3, 0, null), team: r(10, 5, 3.4), gap: 0.5 } },
  ],
  gates: [],
};

const manager = { id: 'm1', externalId: 'UM', name: 'Maria' };
const full: ManagerDigestData = {
  ...lookups,
  manager,
  today: '2026-03-03',
  funnel,
  overdue,
  followUps,
  stalled: [{ deal: D3, daysInStage: 30, stallDays: 21 }],
  weekly,
};
const quiet: ManagerDigestData = {
  ...lookups,
  manager,
  today: '2026-03-03',
  funnel: quietFunnel,
  overdue: [],
  followUps: [],
  stalled: [],
};

describe('buildManagerDigest', () => {
  it('renders exactly these lines', () => {
    expect(lines(buildManagerDigest(full, 'en'))).toEqual([
      '== Team digest — Tue 2026-03-03 ==',
      'Won and lost',
      '• ✖ #2 Beta — Pilot (@bob): lost $5,000: price', // earlier in the day than the win
      '• 🎉 #1 Acme — Renewal #C1 (@alice): won $120,000',
      'Moved forward',
      '• #3 Gamma — Expansion (@alice): Qualified → Proposal',
      'New deals',
      '• #4 Delta — POC (@bob): new in Lead',
      'Open pipeline now: Lead 3 (+1) | Qualified 0 (−1) | Proposal 1 (+1) · $50,000 | Negotiation 1',
      'Overdue actions',
      '• @bob: 2 overdue — oldest: #2 Beta — Pilot #C2: Send quote (3 days late)',
      'Customer follow-ups',
      '• #10 T10 (@alice): next customer contact 1 day overdue',
      '• #11 T11 (@bob): next customer contact 4 days overdue',
      '• #12 T12 (@alice): no next contact planned',
      '• #13 T13 (@alice): no next contact planned',
      '• #14 T14 (@alice): no next contact planned',
      '…and 2 more',
      'Stalled deals',
      '• #3 Gamma — Expansion (@alice): 30 days in Proposal (stalls after 21)',
      'Funnel: last 90 days vs the 90 before',
      '• Lead: 50% (unchanged) · 3 days (↓ from 6) · 10 entered',
      '• Qualified: 40% (↓ from 55%) · 12 days (↑ from 8) · 5 entered',
      '• Negotiation: 50% · 8 days · 2 entered', // no earlier data: no arrow; proposal had none in either window
      'Coaching focus',
      '• @alice: Qualified — 25% vs team 40% (4 deals) · 20 days vs team 12 days',
      '• Carol: Lead — 0% vs team 50% (3 deals) · — vs team 3 days', // no platform id: named, not mentioned
    ]);
  });

  it('mentions people and links rooms as parts, and titles each section, in the neutral model', () => {
    const msg = buildManagerDigest(full, 'en');
    const lists = msg.blocks.flatMap((b) => (b.type === 'list' ? [b] : []));
    expect(lists.map((b) => b.title)).toContain('Overdue actions');
    const moved = lists.find((b) => b.title === 'Moved forward')!;
    expect(moved.items[0]).toEqual(['#3 Gamma — Expansion (', mention('U1'), '): Qualified → Proposal']);
    const won = lists.find((b) => b.title === 'Won and lost')!;
    expect(won.items.flat()).toContainEqual(roomLink('C1')); // deal 1 has a room
    expect(textOf(msg.text).split('\n')[0]).toBe('Team digest — Tue 2026-03-03');
  });

  it('an empty day is one line', () => {
    expect(lines(buildManagerDigest(quiet, 'en'))).toEqual([
      '== Team digest — Tue 2026-03-03 ==',
      'Quiet day: nothing moved, nothing overdue.',
    ]);
  });

  it('an empty day still carries the weekly numbers when it is report day', () => {
    expect(lines(buildManagerDigest({ ...quiet, weekly }, 'en')).slice(0, 4)).toEqual([
      '== Team digest — Tue 2026-03-03 ==',
      'Quiet day: nothing moved, nothing overdue.',
      'Funnel: last 90 days vs the 90 before',
      '• Lead: 50% (unchanged) · 3 days (↓ from 6) · 10 entered',
    ]);
  });

  it('a pipeline that changed only by a reopen is not a quiet day', () => {
    const reopened = { ...quietFunnel, stages: [stage('lead', 2, 2), stage('qualified', 1, 2)] };
    expect(lines(buildManagerDigest({ ...quiet, funnel: reopened }, 'en')).slice(1)).toEqual([
      'Open pipeline now: Lead 2 | Qualified 2 (+1)',
    ]);
  });

  it.each([
    // number of overdue groups, lines after the section title
    [5, 5, null],
    [6, 5, '…and 1 more'],
    [12, 5, '…and 7 more'],
  ])('%i items show %i, then %s', (count, shown, more) => {
    const groups: OverdueGroup[] = Array.from({ length: count }, (_, i) => ({
      assigneeId: 'u1',
      actions: [{ action: act(i + 1, 2, `a${i}`), daysOverdue: 1 }],
    }));
    const out = lines(buildManagerDigest({ ...quiet, overdue: groups }, 'en'));
    expect(out.filter((l) => l.startsWith('• '))).toHaveLength(shown);
    expect(out.at(-1)).toBe(more ?? `• @alice: 1 overdue — oldest: #2 Beta — Pilot #C2: a${count - 1} (1 day late)`);
  });

  it('a section of 5–10k characters keeps its "…and N more" within Slack\'s 3,000 per section', () => {
    // Action texts may be 1,000 characters each; with `&` they escape to 5,000 on Slack.
    const groups: OverdueGroup[] = Array.from({ length: 8 }, (_, i) => ({
      assigneeId: 'u1',
      actions: [{ action: act(i + 1, 2, `${i} ${i % 2 ? '&'.repeat(990) : 'x'.repeat(990)}`), daysOverdue: 1 }],
    }));
    const kit = toBlockKit(buildManagerDigest({ ...quiet, overdue: groups }, 'en'));
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    const section = kit.blocks.map((b) => JSON.stringify(b)).find((b) => b.includes('Overdue actions'))!;
    const text = (JSON.parse(section) as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.split('\n• ')).toHaveLength(6); // title + the 5 shown, each cut to a fair share
    expect(text.endsWith('\n…and 3 more')).toBe(true);
  });

  it('renders in Chinese', () => {
    const zh = lines(buildManagerDigest(full, 'zh'));
    expect(zh).toEqual(
      expect.arrayContaining([
        '== 团队日报 — 2026-03-03（周二） ==',
        '赢单与输单',
        '• 🎉 #1 Acme — Renewal #C1（@alice）：赢单 US$120,000',
        '• #3 Gamma — Expansion（@alice）：准意向 → 方案',
        '• #4 Delta — POC（@bob）：新建于「潜在客户」',
        '当前在途商机：潜在客户 3（+1） | 准意向 0（−1） | 方案 1（+1） · US$50,000 | 商务谈判 1',
        '• @bob：2 项逾期 — 最早一项：#2 Beta — Pilot #C2：Send quote（已逾期 3 天）',
        '• #10 T10（@alice）：客户联系已逾期 1 天',
        '• #12 T12（@alice）：未安排下次联系',
        '……还有 2 项',
        '• #3 Gamma — Expansion（@alice）：在「方案」已停留 30 天（超过 21 天即视为停滞）',
        '漏斗：近 90 天对比之前 90 天',
        '• 潜在客户：50%（持平） · 3 天（↓ 上期 6） · 进入 10 个',
        '• 准意向：40%（↓ 上期 55%） · 12 天（↑ 上期 8） · 进入 5 个',
        '辅导重点',
        '• @alice：准意向 — 转化率 25%，团队 40%（4 个商机）· 用时 20 天，团队 12 天',
      ]),
    );
    expect(lines(buildManagerDigest(quiet, 'zh'))).toEqual([
      '== 团队日报 — 2026-03-03（周二） ==',
      '今天很平静：没有变动，也没有逾期。',
    ]);
  });
});

describe('buildRepNudge', () => {
  const rep = { id: 'u1', externalId: 'U1', name: 'Alice' };
  const nudge: RepNudgeData = {
    ...lookups,
    rep,
    today: '2026-03-03',
    overdue: [
      { action: act(1, 2, 'Send quote'), daysOverdue: 3 },
      { action: act(2, 5, 'Call back', { account: undefined, dealTitle: 'Pilot 2', roomId: null }), daysOverdue: 1 },
    ],
    followUps: [followUps[0]],
    stalled: [],
  };

  it('renders exactly these lines, without naming the rep on their own deals', () => {
    expect(lines(buildRepNudge(nudge, 'en'))).toEqual([
      '== Your day — Tue 2026-03-03 ==',
      'Your overdue actions',
      '• #2 Beta — Pilot #C2: Send quote (3 days late)',
      '• #5 Pilot 2: Call back (1 day late)',
      'Customers to contact',
      '• #10 T10: next customer contact 1 day overdue',
    ]);
  });

  it('in Chinese', () => {
    expect(lines(buildRepNudge({ ...nudge, stalled: [{ deal: D3, daysInStage: 22, stallDays: 21 }] }, 'zh'))).toEqual([
      '== 今日跟进 — 2026-03-03（周二） ==',
      '你的逾期行动项',
      '• #2 Beta — Pilot #C2：Send quote（已逾期 3 天）',
      '• #5 Pilot 2：Call back（已逾期 1 天）',
      '需要联系的客户',
      '• #10 T10：客户联系已逾期 1 天',
      '你停滞不前的商机',
      '• #3 Gamma — Expansion：在「方案」已停留 22 天（超过 21 天即视为停滞）',
    ]);
  });

  it('nothing to chase is one line', () => {
    expect(lines(buildRepNudge({ ...nudge, overdue: [], followUps: [] }, 'en'))).toEqual([
      '== Your day — Tue 2026-03-03 ==',
      'All clear: nothing overdue, and every customer has a next contact planned.',
    ]);
  });
});
