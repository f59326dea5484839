// Who may see and change a deal: the people in its room, the owner's managers (any level up),
// and admins. Everyone else gets a clear refusal, and no data.

import { UserError } from '../domain/errors.ts';
import type { Deal, Member } from '../domain/model.ts';
import type { Repos } from './ports.ts';

/** True when `member` is `ownerId`'s manager, directly or further up (cycles are cut). */
export async function managesMember(
  repos: Repos,
  workspaceId: string,
  managerId: string,
  memberId: string,
): Promise<boolean> {
  let current = await repos.findMemberById(workspaceId, memberId);
  const seen = new Set<string>();
  while (current?.managerId && !seen.has(current.id)) {
    if (current.managerId === managerId) return true;
    seen.add(current.id);
    current = await repos.findMemberById(workspaceId, current.managerId);
  }
  return false;
}

export async function canAccessDeal(repos: Repos, member: Member, deal: Deal): Promise<boolean> {
  if (deal.workspaceId !== member.workspaceId) return false;
  if (member.role === 'admin') return true;
  if (await repos.isDealMember(deal.id, member.id)) return true;
  return managesMember(repos, deal.workspaceId, member.id, deal.ownerId);
}

export async function assertCanAccess(repos: Repos, member: Member, deal: Deal): Promise<void> {
  if (!(await canAccessDeal(repos, member, deal))) throw new UserError('auth.not_in_room', { deal: deal.number });
}

/** Passing a stage gate is a manager's call: the owner's manager (any level) or an admin. */
export async function assertCanOverride(repos: Repos, member: Member, deal: Deal): Promise<void> {
  if (member.role === 'admin') return;
  if (member.role === 'manager' && (await managesMember(repos, deal.workspaceId, member.id, deal.ownerId))) return;
  throw new UserError('auth.override_manager_only');
}

/** Who owns a deal and who is in its room is the owner's call, their manager's (any level) or an admin's. */
export async function assertCanManage(repos: Repos, member: Member, deal: Deal): Promise<void> {
  if (member.role === 'admin' || member.id === deal.ownerId) return;
  if (await managesMember(repos, deal.workspaceId, member.id, deal.ownerId)) return;
  throw new UserError('auth.owner_or_manager_only', { deal: deal.number });
}

/** All members below `managerId` in the reporting tree. */
export function reportsOf(all: Member[], managerId: string): Member[] {
  const byManager = new Map<string, Member[]>();
  for (const m of all) if (m.managerId) byManager.set(m.managerId, [...(byManager.get(m.managerId) ?? []), m]);
  const out: Member[] = [];
  const queue = [managerId];
  const seen = new Set(queue);
  while (queue.length) {
    for (const r of byManager.get(queue.shift()!) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
      queue.push(r.id);
    }
  }
  return out;
}
