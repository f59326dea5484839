// Everything shown about one deal (card, info), loaded in one place.
import type { Account, ActionItem, Contact, Deal, Member } from '../domain/model.ts';
import type { Repos } from './ports.ts';

export interface DealView {
  deal: Deal;
  account: Account;
  owner: Member;
  members: { member: Member; role: string }[];
  contacts: Contact[];
  openActions: (ActionItem & { assignee: Member })[];
}

export async function loadDealView(repos: Repos, deal: Deal): Promise<DealView> {
  const ws = deal.workspaceId;
  const account = (await repos.findAccountById(ws, deal.accountId))!;
  const dealMembers = await repos.listDealMembers(deal.id);
  const actions = await repos.listActions(deal.id, 'open');
  const ids = [deal.ownerId, ...dealMembers.map((dm) => dm.memberId), ...actions.map((a) => a.assigneeId)];
  const all = new Map((await repos.listMembersByIds(ws, ids)).map((m) => [m.id, m]));
  const members = dealMembers.map((dm) => ({ member: all.get(dm.memberId)!, role: dm.role })).filter((x) => x.member);
  const openActions = actions.map((a) => ({ ...a, assignee: all.get(a.assigneeId)! }));
  return {
    deal,
    account,
    owner: all.get(deal.ownerId)!,
    members,
    contacts: await repos.listContacts(deal.accountId),
    openActions,
  };
}
