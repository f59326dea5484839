// The manager digest and the rep nudge as neutral messages. The numbers are computed in
// src/domain (funnel.ts, follow-ups.ts); this file only words them. Short by design: a section
// appears only when it has something, shows its top items, and says how many more there are.

import type { FollowUp, OverdueAction, OverdueGroup, StalledDeal } from '../domain/follow-ups.ts';
import type { Amounts, FunnelChanges, Rate, WeeklyReport } from '../domain/funnel.ts';
import { WINDOW_DAYS } from '../domain/funnel.ts';
import type { Deal } from '../domain/model.ts';
import type { Locale, Process } from '../domain/process.ts';
import { t, tLabel } from '../i18n/index.ts';
import { formatDate, formatMoney } from './format.ts';
import { type Block, join, type Message, mention, r, roomLink, type Text, userText } from './message.ts';

/** Items shown per section before "…and N more": enough to act on, short enough for a phone. */
export const TOP = 5;

/** What both messages need to name things; the caller loads it once per workspace. */
export interface DigestLookups {
  /** The processes the digest's deals follow (one, usually). */
  processes: Process[];
  /** Account name by account id, for deal references (`#12 Acme — Renewal`). */
  accountName: (accountId: string) => string | undefined;
  /** A member's platform user id, for mentions. */
  externalIdOf: (memberId: string) => string | undefined;
}

export interface ManagerDigestData extends DigestLookups {
  manager: { id: string; externalId: string; name: string };
  /** The manager's calendar date (todayIn their time zone). */
  today: string;
  funnel: FunnelChanges;
  overdue: OverdueGroup[];
  followUps: FollowUp[];
  stalled: StalledDeal[];
  /** Once a week (the job decides which day). */
  weekly?: WeeklyReport;
}

export interface RepNudgeData extends DigestLookups {
  rep: { id: string; externalId: string; name: string };
  /** The rep's calendar date (todayIn their time zone). */
  today: string;
  overdue: OverdueAction[];
  followUps: FollowUp[];
  stalled: StalledDeal[];
}

type Words = ReturnType<typeof words>;

function words(d: DigestLookups, L: Locale) {
  // A room still being created has a placeholder id (`pending:…`): no link to it yet.
  const link = (roomId: string | null) => (roomId && !roomId.startsWith('pending:') ? [' ', roomLink(roomId)] : '');
  const ref = (n: number, account: string | undefined, title: string, roomId: string | null): Text =>
    r`#${n} ${account ? `${account} — ` : ''}${title}${link(roomId)}`;
  // A stage is named in its own process; in lines about the whole funnel, when the digest covers
  // several processes, with the process's name too (`Transactional sale · Quote`).
  const stageName = (key: string, processKey?: string, qualify = false) => {
    const p = d.processes.find((x) => x.key === processKey) ?? d.processes[0];
    const name = p?.stages.find((s) => s.key === key)?.names[L] ?? key;
    return qualify && d.processes.length > 1 && p ? `${p.names[L]} · ${name}` : name;
  };
  return {
    L,
    stageName,
    deal: (x: Deal) => ref(x.number, d.accountName(x.accountId), x.title, x.roomId),
    action: (a: OverdueAction['action']) =>
      r`${ref(a.dealNumber, a.account, a.dealTitle, a.roomId)}${L === 'zh' ? '：' : ': '}${userText(a.text)}`,
    who: (memberId: string) => {
      const id = d.externalIdOf(memberId);
      return id ? mention(id) : '?';
    },
    money: (amount: string | null, currency: string) => formatMoney(amount, currency, L),
    days: (n: number) => tLabel(L, 'digest.days', { days: Math.round(n) }),
    paren: (s: Text) => (L === 'zh' ? r`（${s}）` : r` (${s})`),
  };
}

/** A titled list of the top items and "…and N more", as ONE block: Slack allows 50 blocks per
 * message, and a block per item would run out of them on a busy day. */
function section(w: Words, titleKey: string, lines: Text[]): Block[] {
  if (!lines.length) return [];
  const more = lines.length > TOP ? t(w.L, 'common.and_more', { count: lines.length - TOP }) : undefined;
  return [{ type: 'list', title: tLabel(w.L, titleKey), items: lines.slice(0, TOP), more }];
}

/** Lines about a deal name whose deal it is (its owner): a manager coaches per rep. */
const line = (w: Words, deal: Deal, detail: Text) =>
  t(w.L, 'digest.line', { deal: w.deal(deal), who: w.who(deal.ownerId), detail });

function followUpDetail(w: Words, f: FollowUp) {
  return f.kind === 'overdue' ? t(w.L, 'digest.contact_late', { days: f.daysOverdue }) : t(w.L, 'digest.no_contact');
}

function stalledDetail(w: Words, s: StalledDeal) {
  return t(w.L, 'digest.stalled', {
    days: s.daysInStage,
    stage: w.stageName(s.deal.stage, s.deal.process),
    limit: s.stallDays,
  });
}

const sumText = (w: Words, amounts: Amounts): string =>
  Object.entries(amounts)
    .map(([c, a]) => w.money(a, c))
    .join(' + ');

function pipelineLine(w: Words, f: FunnelChanges): Block[] {
  if (f.stages.every((s) => s.countThen === s.countNow)) return [];
  const parts = f.stages.map((s) => {
    const delta = s.countNow - s.countThen;
    const money = sumText(w, s.amountNow);
    return r`${w.stageName(s.stage, s.process, true)} ${s.countNow}${delta ? w.paren(delta > 0 ? `+${delta}` : `−${-delta}`) : ''}${money ? ` · ${money}` : ''}`;
  });
  return [{ type: 'context', text: t(w.L, 'digest.pipeline', { stages: join(parts, ' | ') }) }];
}

/** "40% (↓ from 55%)", "12 days (↑ from 8)": compared after rounding, so a line never says "↑ from 40%" about 40%. */
function compare(
  w: Words,
  now: number | null,
  before: number | null,
  show: (x: number) => string,
  bare = show,
): string {
  if (now === null) return '—';
  if (before === null) return show(now);
  const sep = w.L === 'zh' ? '' : ' '; // Chinese brackets carry their own spacing
  if (bare(now) === bare(before)) return `${show(now)}${sep}${tLabel(w.L, 'digest.unchanged')}`;
  // Rounding is monotone, so when the shown values differ the raw ones order the same way.
  return `${show(now)}${sep}${tLabel(w.L, 'digest.change', { arrow: now > before ? '↑' : '↓', value: bare(before) })}`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function weeklyBlocks(w: Words, d: DigestLookups, r: WeeklyReport): Block[] {
  // Rate and time side by side, always: a rate without its period means nothing (METHOD.md).
  const stages = r.stages
    .filter((s) => s.current.entered || s.previous.entered)
    .map((s) =>
      [
        `${w.stageName(s.stage, s.process, true)}${w.L === 'zh' ? '：' : ': '}${compare(w, s.current.conversion, s.previous.conversion, pct)}`,
        compare(w, s.current.medianDays, s.previous.medianDays, w.days, (x) => String(Math.round(x))),
        tLabel(w.L, 'digest.entered', { count: s.current.entered }),
      ].join(' · '),
    );
  const title = tLabel(w.L, 'digest.weekly_title', { days: WINDOW_DAYS });
  const out: Block[] = stages.length ? [{ type: 'list', title, items: stages }] : [];
  const days = (x: Rate) => (x.medianDays === null ? '—' : w.days(x.medianDays));
  const coaching = r.coaching.flatMap(({ rep, focus }) =>
    focus
      ? [
          t(w.L, 'digest.coaching', {
            who: d.externalIdOf(rep.id) ? w.who(rep.id) : rep.name,
            stage: w.stageName(focus.stage, focus.process, true),
            rep: pct(focus.rep.conversion ?? 0),
            team: pct(focus.team.conversion ?? 0),
            count: focus.rep.entered,
            rep_days: days(focus.rep),
            team_days: days(focus.team),
          }),
        ]
      : [],
  );
  // Exceptions made visible: how often each gate was overridden, and whether the deals let in
  // anyway converted as well as those that met the standard (the data to judge the standard).
  const gates = r.gates
    .filter((g) => g.overridden.entered > 0)
    .map((g) =>
      t(w.L, 'digest.gate', {
        stage: w.stageName(g.stage, g.process, true),
        count: g.overridden.entered,
        entered: g.overridden.entered + g.met.entered,
        overridden: g.overridden.conversion === null ? '—' : pct(g.overridden.conversion),
        met: g.met.conversion === null ? '—' : pct(g.met.conversion),
      }),
    );
  return [...out, ...section(w, 'digest.coaching_title', coaching), ...section(w, 'digest.gates_title', gates)];
}

function message(header: string, body: Block[]): Message {
  const blocks: Block[] = [{ type: 'header', text: header }, ...body];
  const text = join(
    [
      header,
      ...body.flatMap((b) =>
        b.type === 'text' || b.type === 'context' ? [b.text] : b.type === 'list' ? [b.title ?? '', ...b.items] : [],
      ),
    ],
    '\n',
  );
  return { text, blocks };
}

export function buildManagerDigest(d: ManagerDigestData, locale: Locale): Message {
  const w = words(d, locale);
  const f = d.funnel;
  const closed = [
    ...f.won.map((x) => ({
      at: x.at,
      text: r`🎉 ${line(w, x.deal, t(locale, 'digest.won', { amount: w.money(x.amount, x.currency) }))}`,
    })),
    ...f.lost.map((x) => ({
      at: x.at,
      text: r`✖ ${line(w, x.deal, t(locale, 'digest.lost', { amount: w.money(x.amount, x.currency), reason: userText(x.reason ?? '—') }))}`,
    })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((x) => x.text);
  const move = (m: FunnelChanges['advances'][number]) =>
    line(w, m.deal, `${w.stageName(m.from, m.deal.process)} → ${w.stageName(m.to, m.deal.process)}`);
  const oldest = (g: OverdueGroup) => g.actions[0];
  const body: Block[] = [
    ...section(w, 'digest.closed_title', closed),
    ...section(w, 'digest.advances_title', f.advances.map(move)),
    ...section(w, 'digest.regressions_title', f.regressions.map(move)),
    ...section(
      w,
      'digest.new_title',
      f.newDeals.map((n) =>
        line(
          w,
          n.deal,
          n.amount === null
            ? t(locale, 'digest.new_unpriced', { stage: w.stageName(n.stage, n.deal.process) })
            : t(locale, 'digest.new', {
                stage: w.stageName(n.stage, n.deal.process),
                amount: w.money(n.amount, n.currency),
              }),
        ),
      ),
    ),
    ...pipelineLine(w, f),
    ...section(
      w,
      'digest.overdue_title',
      d.overdue.map((g) =>
        t(locale, 'digest.overdue_group', {
          who: w.who(g.assigneeId),
          count: g.actions.length,
          action: w.action(oldest(g).action),
          late: t(locale, 'digest.late', { days: oldest(g).daysOverdue }),
        }),
      ),
    ),
    ...section(
      w,
      'digest.follow_ups_title',
      d.followUps.map((x) => line(w, x.deal, followUpDetail(w, x))),
    ),
    ...section(
      w,
      'digest.stalled_title',
      d.stalled.map((s) => line(w, s.deal, stalledDetail(w, s))),
    ),
  ];
  if (!body.length) body.push({ type: 'text', text: t(locale, 'digest.quiet') });
  if (d.weekly) body.push(...weeklyBlocks(w, d, d.weekly));
  return message(tLabel(locale, 'digest.manager_title', { date: formatDate(d.today, locale) }), body);
}

export function buildRepNudge(d: RepNudgeData, locale: Locale): Message {
  const w = words(d, locale);
  const self = (deal: Text, detail: Text) => t(locale, 'digest.line_self', { deal, detail });
  const body: Block[] = [
    ...section(
      w,
      'digest.your_overdue_title',
      d.overdue.map((o) => r`${w.action(o.action)}${w.paren(t(locale, 'digest.late', { days: o.daysOverdue }))}`),
    ),
    ...section(
      w,
      'digest.your_follow_ups_title',
      d.followUps.map((x) => self(w.deal(x.deal), followUpDetail(w, x))),
    ),
    ...section(
      w,
      'digest.your_stalled_title',
      d.stalled.map((s) => self(w.deal(s.deal), stalledDetail(w, s))),
    ),
  ];
  if (!body.length) body.push({ type: 'text', text: t(locale, 'digest.rep_quiet') });
  return message(tLabel(locale, 'digest.rep_title', { date: formatDate(d.today, locale) }), body);
}
