// What needs chasing today: overdue actions, customers without a planned (or kept) next contact,
// and deals sitting in a stage past its stall threshold. Pure. "Today" is a calendar date the
// caller computes in the reader's time zone (todayIn), because 23:30 in Shanghai is already
// tomorrow in UTC terms and "overdue" must mean overdue where the reader lives.

import { DAY_MS } from './funnel.ts';
import type { ActionItem, Deal } from './model.ts';
import type { Process } from './process.ts';

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export type ActionWithDeal = ActionItem & {
  dealNumber: number;
  dealTitle: string;
  roomId: string | null;
  account?: string;
};
export interface OverdueAction {
  action: ActionWithDeal;
  daysOverdue: number;
}
export interface OverdueGroup {
  assigneeId: string;
  actions: OverdueAction[];
}

/** Open actions due before today, grouped by assignee; inside a group the oldest due date comes
 * first, and groups are ordered by their oldest action so the worst backlog leads. An action
 * due today is not overdue yet; an action without a due date never is. */
export function overdueActions(actions: ActionWithDeal[], today: string): OverdueGroup[] {
  const groups = new Map<string, OverdueAction[]>();
  for (const a of actions) {
    if (a.status !== 'open' || !a.dueOn || a.dueOn >= today) continue;
    groups.set(a.assigneeId, [
      ...(groups.get(a.assigneeId) ?? []),
      { action: a, daysOverdue: daysBetween(a.dueOn, today) },
    ]);
  }
  const byDue = (x: OverdueAction, y: OverdueAction) =>
    x.action.dueOn!.localeCompare(y.action.dueOn!) ||
    x.action.dealNumber - y.action.dealNumber ||
    x.action.number - y.action.number;
  return [...groups]
    .map(([assigneeId, list]) => ({ assigneeId, actions: list.sort(byDue) }))
    .sort((g, h) => byDue(g.actions[0], h.actions[0]) || g.assigneeId.localeCompare(h.assigneeId));
}

export type FollowUp = { deal: Deal; kind: 'overdue'; daysOverdue: number } | { deal: Deal; kind: 'unplanned' };

/** Open deals whose next customer contact date has passed, most overdue first, then open deals
 * with no next contact at all ("with a date it is a plan, without one it is a dream"). A contact
 * planned for today is on time. */
export function followUps(deals: Deal[], today: string): FollowUp[] {
  const open = deals.filter((d) => d.status === 'open');
  const late: FollowUp[] = open
    .filter((d) => d.nextContactOn !== null && d.nextContactOn < today)
    .sort((a, b) => a.nextContactOn!.localeCompare(b.nextContactOn!) || a.number - b.number)
    .map((deal) => ({ deal, kind: 'overdue', daysOverdue: daysBetween(deal.nextContactOn!, today) }));
  const unplanned: FollowUp[] = open
    .filter((d) => d.nextContactOn === null)
    .sort((a, b) => a.number - b.number)
    .map((deal) => ({ deal, kind: 'unplanned' }));
  return [...late, ...unplanned];
}

export interface StalledDeal {
  deal: Deal;
  daysInStage: number;
  stallDays: number;
}

/** Open deals that have been in their stage for more whole days than the stage's `stallDays`
 * (14 days in a 14-day stage is on the edge, not yet stalled; the 15th full day is). Counted in
 * elapsed 24-hour days from `stageEnteredAt`, so the reader's time zone does not matter. Stages
 * without a threshold, and deals of another process, never stall. Longest overrun first. */
/** Stalled deals of several processes, each against its own process's thresholds, in one list. */
export function stalledAcross(deals: Deal[], now: Date, processes: readonly Process[]): StalledDeal[] {
  return processes.flatMap((p) => stalled(deals, now, p)).sort(byHowLate);
}

const byHowLate = (a: StalledDeal, b: StalledDeal) =>
  b.daysInStage - b.stallDays - (a.daysInStage - a.stallDays) || a.deal.number - b.deal.number;

export function stalled(deals: Deal[], now: Date, process: Process): StalledDeal[] {
  const out: StalledDeal[] = [];
  for (const deal of deals) {
    if (deal.status !== 'open' || deal.process !== process.key) continue;
    const stallDays = process.stages.find((s) => s.key === deal.stage)?.stallDays;
    if (stallDays === undefined) continue;
    const daysInStage = Math.floor((now.getTime() - deal.stageEnteredAt.getTime()) / DAY_MS);
    if (daysInStage > stallDays) out.push({ deal, daysInStage, stallDays });
  }
  return out.sort(byHowLate);
}
