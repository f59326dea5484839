// Plain records the app works with. Calendar dates are `YYYY-MM-DD` strings (a close date has no
// time zone); instants are Dates; money is an exact decimal string, never a float.

export type PlatformKind = 'slack' | 'lark' | 'console';
export type Role = 'rep' | 'manager' | 'admin';
export type DealStatus = 'open' | 'won' | 'lost';

export interface Workspace {
  id: string;
  platform: PlatformKind;
  externalId: string;
  name: string;
  defaultCurrency: string;
  timezone: string;
  locale: string;
  digestTime: string;
  digestWeekends: boolean;
  /** The workspace's process file in force (a `ProcessFile` version); 0 when it loaded none. */
  processVersion: number;
}

export interface Member {
  id: string;
  workspaceId: string;
  externalId: string;
  name: string;
  displayName: string;
  role: Role;
  managerId: string | null;
  timezone: string | null;
  /** From the platform profile (refreshed daily). */
  locale: string | null;
  /** The person's own choice (`lang zh|en`); wins over `locale`. */
  language: string | null;
  digestTime: string | null;
  nudgeOptOut: boolean;
  profileAt: Date | null;
}

export interface Account {
  id: string;
  workspaceId: string;
  name: string;
  industry: string | null;
  region: string | null;
  address: string | null;
}

export interface Contact {
  id: string;
  accountId: string;
  name: string;
  title: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
}

export interface Deal {
  id: string;
  workspaceId: string;
  number: number;
  accountId: string;
  title: string;
  process: string;
  stage: string;
  status: DealStatus;
  amount: string | null;
  currency: string;
  closeDate: string | null;
  competitors: string[];
  nextStep: string | null;
  lastContactAt: Date | null;
  nextContactOn: string | null;
  ownerId: string;
  roomId: string | null;
  cardRef: string | null;
  roomArchivedAt: Date | null;
  lostReason: string | null;
  stageEnteredAt: Date;
  closedAt: Date | null;
  createdAt: Date;
}

export interface DealMember {
  dealId: string;
  memberId: string;
  role: string;
  addedAt: Date;
}

export interface ActionItem {
  id: string;
  dealId: string;
  number: number;
  text: string;
  assigneeId: string;
  dueOn: string | null;
  /** cancelled: no longer applies; kept for the record, hidden from open lists. */
  status: 'open' | 'done' | 'cancelled';
  createdById: string | null;
  closedById: string | null;
  closedAt: Date | null;
  createdAt: Date;
}

export type EventType =
  | 'created'
  | 'stage_changed'
  | 'field_changed'
  | 'action_added'
  | 'action_done'
  | 'action_reopened'
  | 'action_edited'
  | 'action_reassigned'
  | 'action_cancelled'
  | 'member_removed'
  | 'member_added'
  | 'contact_logged'
  | 'contact_saved'
  | 'won'
  | 'lost'
  | 'reopened'
  | 'room_linked'
  | 'outcome_recorded'
  | 'process_changed';

export interface DealEvent {
  id: bigint;
  workspaceId: string;
  dealId: string;
  actorId: string | null;
  type: EventType;
  at: Date;
  data: Record<string, unknown>;
}

export type NewEvent = Omit<DealEvent, 'id' | 'workspaceId' | 'at'> & { at?: Date };
