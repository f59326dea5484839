// Sentences of the manager digest and the rep nudge. Short on purpose: a digest is read on a
// phone between meetings, so each line names the deal, the person, and what is wrong.
import { type Catalog, type Param, r } from './sentence.ts';

const days = (n: Param) => (Number(n) === 1 ? '1 day' : r`${n} days`);

const en: Catalog = {
  'digest.manager_title': (p) => r`Team digest — ${p.date}`,
  'digest.rep_title': (p) => r`Your day — ${p.date}`,
  'digest.quiet': () => 'Quiet day: nothing moved, nothing overdue.',
  'digest.rep_quiet': () => 'All clear: nothing overdue, and every customer has a next contact planned.',
  'digest.line': (p) => r`${p.deal} (${p.who}): ${p.detail}`,
  'digest.line_self': (p) => r`${p.deal}: ${p.detail}`,

  'digest.closed_title': () => 'Won and lost',
  'digest.won': (p) => r`won ${p.amount}`,
  'digest.lost': (p) => r`lost ${p.amount}: ${p.reason}`,
  'digest.advances_title': () => 'Moved forward',
  'digest.regressions_title': () => 'Moved back',
  'digest.new_title': () => 'New deals',
  'digest.new': (p) => r`new in ${p.stage}, ${p.amount}`,
  'digest.new_unpriced': (p) => r`new in ${p.stage}`,
  'digest.pipeline': (p) => r`Open pipeline now: ${p.stages}`,

  'digest.overdue_title': () => 'Overdue actions',
  'digest.overdue_group': (p) => r`${p.who}: ${p.count} overdue — oldest: ${p.action} (${p.late})`,
  'digest.late': (p) => r`${days(p.days)} late`,
  'digest.follow_ups_title': () => 'Customer follow-ups',
  'digest.contact_late': (p) => r`next customer contact ${days(p.days)} overdue`,
  'digest.no_contact': () => 'no next contact planned',
  'digest.stalled_title': () => 'Stalled deals',
  'digest.stalled': (p) => r`${days(p.days)} in ${p.stage} (stalls after ${p.limit})`,

  'digest.your_overdue_title': () => 'Your overdue actions',
  'digest.your_follow_ups_title': () => 'Customers to contact',
  'digest.your_stalled_title': () => 'Your deals that are not moving',

  'digest.weekly_title': (p) => r`Funnel: last ${p.days} days vs the ${p.days} before`,
  'digest.days': (p) => days(p.days),
  'digest.change': (p) => r`(${p.arrow} from ${p.value})`,
  'digest.unchanged': () => '(unchanged)',
  'digest.entered': (p) => r`${p.count} entered`,
  'digest.coaching_title': () => 'Coaching focus',
  'digest.gates_title': () => 'Gates passed by override',
  'digest.gate': (p) =>
    r`${p.stage}: ${p.count} of ${p.entered} entries by override; converted ${p.overridden}, vs ${p.met} when the standard was met`,
  'digest.coaching': (p) =>
    r`${p.who}: ${p.stage} — ${p.rep} vs team ${p.team} (${p.count} deals) · ${p.rep_days} vs team ${p.team_days}`,
};

const zh: Catalog = {
  'digest.manager_title': (p) => r`团队日报 — ${p.date}`,
  'digest.rep_title': (p) => r`今日跟进 — ${p.date}`,
  'digest.quiet': () => '今天很平静：没有变动，也没有逾期。',
  'digest.rep_quiet': () => '一切就绪：没有逾期事项，每个客户都已安排下次联系。',
  'digest.line': (p) => r`${p.deal}（${p.who}）：${p.detail}`,
  'digest.line_self': (p) => r`${p.deal}：${p.detail}`,

  'digest.closed_title': () => '赢单与输单',
  'digest.won': (p) => r`赢单 ${p.amount}`,
  'digest.lost': (p) => r`输单 ${p.amount}：${p.reason}`,
  'digest.advances_title': () => '向前推进',
  'digest.regressions_title': () => '阶段回退',
  'digest.new_title': () => '新商机',
  'digest.new': (p) => r`新建于「${p.stage}」，${p.amount}`,
  'digest.new_unpriced': (p) => r`新建于「${p.stage}」`,
  'digest.pipeline': (p) => r`当前在途商机：${p.stages}`,

  'digest.overdue_title': () => '逾期的行动项',
  'digest.overdue_group': (p) => r`${p.who}：${p.count} 项逾期 — 最早一项：${p.action}（${p.late}）`,
  'digest.late': (p) => r`已逾期 ${p.days} 天`,
  'digest.follow_ups_title': () => '待跟进的客户',
  'digest.contact_late': (p) => r`客户联系已逾期 ${p.days} 天`,
  'digest.no_contact': () => '未安排下次联系',
  'digest.stalled_title': () => '停滞的商机',
  'digest.stalled': (p) => r`在「${p.stage}」已停留 ${p.days} 天（超过 ${p.limit} 天即视为停滞）`,

  'digest.your_overdue_title': () => '你的逾期行动项',
  'digest.your_follow_ups_title': () => '需要联系的客户',
  'digest.your_stalled_title': () => '你停滞不前的商机',

  'digest.weekly_title': (p) => r`漏斗：近 ${p.days} 天对比之前 ${p.days} 天`,
  'digest.days': (p) => r`${p.days} 天`,
  'digest.change': (p) => r`（${p.arrow} 上期 ${p.value}）`,
  'digest.unchanged': () => '（持平）',
  'digest.entered': (p) => r`进入 ${p.count} 个`,
  'digest.coaching_title': () => '辅导重点',
  'digest.gates_title': () => '经理放行的阶段门槛',
  'digest.gate': (p) =>
    r`${p.stage}：${p.entered} 次进入中 ${p.count} 次为放行；放行后转化率 ${p.overridden}，达标进入的为 ${p.met}`,
  'digest.coaching': (p) =>
    r`${p.who}：${p.stage} — 转化率 ${p.rep}，团队 ${p.team}（${p.count} 个商机）· 用时 ${p.rep_days}，团队 ${p.team_days}`,
};

export const digestMessages = { en, zh };
