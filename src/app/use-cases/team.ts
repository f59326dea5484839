// `team <@manager> <@rep> …` sets who reports to whom (admins for anyone; a manager for their own
// team); `team` shows it. Digests and deal visibility follow this tree.
import { UserError } from '../../domain/errors.ts';
import type { Member } from '../../domain/model.ts';
import { t, tLabel } from '../../i18n/index.ts';
import { reportsOf } from '../authorize.ts';
import type { TxContext } from '../context.ts';
import { displayName } from '../identity.ts';
import { plain, r } from '../message.ts';
import type { Outcome } from '../outcome.ts';

export async function setTeam(ctx: TxContext, manager: Member, reps: Member[]): Promise<Outcome> {
  const { repos, actor } = ctx;
  const me = actor.member;
  const L = actor.locale;
  if (me.role !== 'admin' && !(me.role === 'manager' && manager.id === me.id)) throw new UserError('team.not_allowed');
  const all = await repos.listMembers(me.workspaceId);
  const above = new Set<string>();
  for (
    let m: Member | undefined = manager;
    m?.managerId && !above.has(m.managerId);
    m = all.find((x) => x.id === m!.managerId)
  )
    above.add(m.managerId);
  for (const rep of reps) {
    if (rep.id === manager.id) throw new UserError('team.self', { user: displayName(rep) });
    if (above.has(rep.id)) throw new UserError('team.cycle', { rep: displayName(rep), manager: displayName(manager) });
  }
  if (manager.role === 'rep') await repos.updateMember(me.workspaceId, manager.id, { role: 'manager' });
  for (const rep of reps) await repos.updateMember(me.workspaceId, rep.id, { managerId: manager.id });
  return {
    reply: plain(
      t(L, 'team.set', { manager: displayName(manager), reps: reps.map(displayName).join(', '), count: reps.length }),
    ),
  };
}

/** Lines of the team tree shown before the count of the rest. */
const TEAM_LINES = 40;

export async function showTeam(ctx: TxContext): Promise<Outcome> {
  const L = ctx.actor.locale;
  const me = ctx.actor.member;
  const all = await ctx.repos.listMembers(me.workspaceId);
  const byId = new Map(all.map((m) => [m.id, m]));
  const roots = me.role === 'admin' ? all.filter((m) => !m.managerId || !byId.has(m.managerId)) : [me];
  const lines: string[] = [];
  const walk = (m: Member, depth: number, seen: Set<string>) => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    lines.push(`${'  '.repeat(depth)}• ${displayName(m)} (${tLabel(L, `roles.${m.role}`)})`);
    for (const r of all.filter((x) => x.managerId === m.id)) walk(r, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const r of roots) walk(r, 0, seen);
  const boss = me.managerId ? byId.get(me.managerId) : undefined;
  const head = t(L, 'team.title', { count: me.role === 'admin' ? all.length : reportsOf(all, me.id).length + 1 });
  // A large workspace's tree does not fit one message: the first lines, then how many more.
  const more = lines.length > TEAM_LINES ? r`\n${t(L, 'common.and_more', { count: lines.length - TEAM_LINES })}` : '';
  return {
    reply: plain(
      r`${head}\n${lines.slice(0, TEAM_LINES).join('\n')}${more}${boss && me.role !== 'admin' ? r`\n${t(L, 'team.reports_to', { manager: displayName(boss) })}` : ''}`,
    ),
  };
}
