// Everything shown about one deal (card, info), loaded in one place.

import { DealroomError } from '../domain/errors.ts';
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
  const rest = await repos.findDealView(deal);
  if (!rest) throw new DealroomError('not_found', `deal ${deal.id}: its account or owner is missing`);
  return { deal, ...rest };
}
