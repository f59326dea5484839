// Composing digests from the event log: the manager's morning digest (team funnel, overdue,
// follow-ups, stalled; weekly conversion on Mondays) and the rep's nudge. Used by the scheduler
// (src/jobs/digest-scheduler.ts) and by `/deal digest`, so both show exactly the same thing.
import { DateTime } from 'luxon';
import { followUps, overdueActions, stalledAcross } from '../domain/follow-ups.ts';
import { WINDOW_DAYS } from '../domain/funnel.ts';
import type { Deal, Member, Workspace } from '../domain/model.ts';
import { funnelChangesAcross, pipelineRows, weeklyReportFromStats } from '../domain/pipeline.ts';
import type { Locale, Process, ProcessSet } from '../domain/process.ts';
import { reportsOf } from './authorize.ts';
import type { Deps } from './context.ts';
import { buildManagerDigest, buildRepNudge, type DigestLookups } from './digest-message.ts';
import { todayIn } from './format.ts';
import { personLocale } from './identity.ts';
import type { Message } from './message.ts';
import { type FunnelPictureRequest, funnelPictureOf } from './pictures.ts';

const DAY = 86_400_000;

export const memberZone = (ws: Workspace, m: Member) => m.timezone ?? ws.timezone;
export const memberLocale = (ws: Workspace, m: Member): Locale => personLocale(ws, m);

/** Who gets a manager digest: managers, and admins who have a team. */
export function isDigestManager(m: Member, all: Member[]): boolean {
  return m.role === 'manager' || (m.role === 'admin' && all.some((x) => x.managerId === m.id));
}

/** Who gets a rep nudge: people who report to someone and did not opt out. */
export const isNudgedRep = (m: Member) => m.managerId !== null && !m.nudgeOptOut;

/** The weekly section rides on the manager's local Monday digest. */
export const isWeeklyDay = (now: Date, zone: string) => DateTime.fromJSDate(now).setZone(zone).weekday === 1;

/** The processes a digest's deals follow, in file order; the default one when there are none.
 * Each deal is measured in its own process (stages, stall thresholds, conversion). */
async function processesOf(deps: Deps, ws: Workspace, deals: Deal[]): Promise<Process[]> {
  const set: ProcessSet = (await deps.processes.forWorkspace(deps.store.repos, ws)).set;
  const used = new Set(deals.map((d) => d.process));
  const list = set.list.filter((p) => used.has(p.key));
  return list.length ? list : [set.get(set.defaultKey)];
}

async function lookups(
  deps: Deps,
  ws: Workspace,
  members: Member[],
  accountIds: string[],
  processes: Process[],
): Promise<DigestLookups> {
  const names = new Map((await deps.store.repos.listAccounts(ws.id, accountIds)).map((a) => [a.id, a.name]));
  const ext = new Map(members.map((m) => [m.id, m.externalId]));
  return {
    processes,
    accountName: (id) => names.get(id),
    externalIdOf: (id) => ext.get(id),
  };
}

export async function composeManagerDigest(
  deps: Deps,
  ws: Workspace,
  manager: Member,
  since: Date,
  now: Date,
  o: {
    members?: Member[];
    weekly?: boolean;
    /** Filled on the weekly digest with the team's funnel pictures (one per process in use, this
     * week's conversion per stage), for the sender to attach after the DM. */
    pictures?: FunnelPictureRequest[];
  } = {},
): Promise<Message> {
  const members = o.members ?? (await deps.store.repos.listMembers(ws.id));
  const team = [manager, ...reportsOf(members, manager.id)];
  const teamIds = team.map((m) => m.id);
  const zone = memberZone(ws, manager);
  const today = todayIn(now, zone);
  const weekly = o.weekly ?? isWeeklyDay(now, zone);
  // The deals the digest covers: open, or closed since the last digest (since 180 days on Mondays,
  // for the weekly section). Events only of the window since the last digest: the weekly section's
  // 180 days are aggregated by the database (weeklyStats), not loaded.
  const from = weekly ? new Date(Math.min(since.getTime(), now.getTime() - 2 * WINDOW_DAYS * DAY)) : since;
  const deals = await deps.store.repos.listDeals(ws.id, { ownerIds: teamIds, openOrClosedSince: from });
  const events = await deps.store.digests.listEventsForDeals(
    ws.id,
    deals.map((d) => d.id),
    since,
  );
  const open = deals.filter((d) => d.status === 'open');
  const processes = await processesOf(deps, ws, deals);
  const actions = await deps.store.digests.listOpenActionsForAssignees(ws.id, teamIds);
  const l = await lookups(
    deps,
    ws,
    members,
    deals.map((d) => d.accountId),
    processes,
  );
  const reps = team.filter((m) => m.id !== manager.id).map((m) => ({ id: m.id, name: m.displayName || m.name }));
  const weeklyStats = weekly
    ? await deps.store.digests.weeklyStats({ workspaceId: ws.id, ownerIds: teamIds, since: from, now, processes })
    : undefined;
  const weeklyReport = weeklyStats
    ? weeklyReportFromStats({ now, processes, reps, stats: (p) => weeklyStats.get(p.key)! })
    : undefined;
  const locale = memberLocale(ws, manager);
  if (weeklyReport && o.pictures) {
    for (const p of processes) {
      const mine = open.filter((d) => d.process === p.key);
      const conversion = Object.fromEntries(
        weeklyReport.stages.filter((s) => (s.process ?? p.key) === p.key).map((s) => [s.stage, s.current.conversion]),
      );
      o.pictures.push(
        funnelPictureOf({
          locale,
          process: p,
          rows: pipelineRows(p, mine, ws.defaultCurrency, locale, conversion),
          currency: ws.defaultCurrency,
          count: mine.length,
        }),
      );
    }
  }
  return buildManagerDigest(
    {
      ...l,
      manager: { id: manager.id, externalId: manager.externalId, name: manager.displayName || manager.name },
      today,
      funnel: funnelChangesAcross({ deals, events, since, until: now, processes }),
      overdue: overdueActions(actions, today),
      followUps: followUps(open, today),
      stalled: stalledAcross(open, now, processes),
      weekly: weeklyReport,
    },
    locale,
  );
}

/** The rep's nudge, or null when there is nothing to nudge about (no message is better than an empty one). */
export async function composeRepNudge(
  deps: Deps,
  ws: Workspace,
  rep: Member,
  now: Date,
  o: { members?: Member[] } = {},
): Promise<Message | null> {
  const members = o.members ?? (await deps.store.repos.listMembers(ws.id));
  const today = todayIn(now, memberZone(ws, rep));
  const open = await deps.store.repos.listDeals(ws.id, { ownerIds: [rep.id], status: 'open' });
  const processes = await processesOf(deps, ws, open);
  const actions = await deps.store.digests.listOpenActionsForAssignees(ws.id, [rep.id]);
  const overdue = overdueActions(actions, today).flatMap((g) => g.actions);
  const follow = followUps(open, today);
  const stuck = stalledAcross(open, now, processes);
  if (!overdue.length && !follow.length && !stuck.length) return null;
  const l = await lookups(
    deps,
    ws,
    members,
    open.map((d) => d.accountId),
    processes,
  );
  return buildRepNudge(
    {
      ...l,
      rep: { id: rep.id, externalId: rep.externalId, name: rep.displayName || rep.name },
      today,
      overdue,
      followUps: follow,
      stalled: stuck,
    },
    memberLocale(ws, rep),
  );
}
