// The boundaries of the app: storage (implemented in src/store) and chat platforms (implemented in
// src/platforms/*). Use cases see only these interfaces and the domain.

import type { WeeklyStats } from '../domain/funnel.ts';
import type {
  Account,
  ActionItem,
  Contact,
  Deal,
  DealEvent,
  DealMember,
  Member,
  NewEvent,
  PlatformKind,
  Workspace,
} from '../domain/model.ts';
import type { Process } from '../domain/process.ts';
import type { Message } from './message.ts';

// ---------------------------------------------------------------- storage

export interface DealFilter {
  status?: Deal['status'];
  ownerIds?: string[];
  memberId?: string; // deals whose room this member is in
  stage?: string;
  /** Open deals, plus those closed at or after this instant. */
  openOrClosedSince?: Date;
  limit?: number;
}

/** Everything a use case reads or writes, bound to one database transaction. */
/** A deal locked for a command (see `Repos.lockDealFor`). */
export interface LockedDeal {
  deal: Deal;
  speakerInRoom: boolean;
  /** False when the delivery was handled before (a retry): see `recordRequest`. */
  fresh: boolean;
}

export interface Repos {
  findWorkspace(platform: PlatformKind, externalId: string): Promise<Workspace | null>;
  /** The workspace and, when known, the member `userId` in it (one round trip). */
  findSpeaker(
    platform: PlatformKind,
    externalId: string,
    userId: string,
  ): Promise<{ workspace: Workspace | null; member: Member | null }>;
  findWorkspaceById(id: string): Promise<Workspace | null>;
  createWorkspace(
    platform: PlatformKind,
    externalId: string,
    init: Partial<Pick<Workspace, 'name' | 'defaultCurrency' | 'timezone' | 'locale'>>,
  ): Promise<Workspace>;
  updateWorkspace(
    id: string,
    patch: Partial<
      Pick<Workspace, 'name' | 'defaultCurrency' | 'timezone' | 'locale' | 'digestTime' | 'digestWeekends'>
    >,
  ): Promise<Workspace>;

  findMemberById(workspaceId: string, id: string): Promise<Member | null>;
  findMemberByExternalId(workspaceId: string, externalId: string): Promise<Member | null>;
  /** Members whose handle or display name equals `name` (case-insensitive). */
  findMembersByName(workspaceId: string, name: string): Promise<Member[]>;
  listMembers(workspaceId: string): Promise<Member[]>;
  listMembersByIds(workspaceId: string, ids: string[]): Promise<Member[]>;
  countMembers(workspaceId: string): Promise<number>;
  createMember(
    workspaceId: string,
    m: Pick<Member, 'externalId' | 'name'> &
      Partial<Pick<Member, 'displayName' | 'role' | 'timezone' | 'locale' | 'profileAt'>>,
  ): Promise<Member>;
  updateMember(
    workspaceId: string,
    id: string,
    patch: Partial<
      Pick<
        Member,
        | 'name'
        | 'displayName'
        | 'role'
        | 'managerId'
        | 'timezone'
        | 'locale'
        | 'language'
        | 'profileAt'
        | 'digestTime'
        | 'nudgeOptOut'
      >
    >,
  ): Promise<Member>;

  findAccountById(workspaceId: string, id: string): Promise<Account | null>;
  findAccountByName(workspaceId: string, name: string): Promise<Account | null>;
  listAccounts(workspaceId: string, ids: string[]): Promise<Account[]>;
  findOrCreateAccount(workspaceId: string, name: string): Promise<Account>;
  updateAccount(
    workspaceId: string,
    id: string,
    patch: Partial<Pick<Account, 'name' | 'industry' | 'region' | 'address'>>,
  ): Promise<Account>;
  findContactByName(accountId: string, name: string): Promise<Contact | null>;
  saveContact(
    workspaceId: string,
    accountId: string,
    c: Pick<Contact, 'name'> & Partial<Omit<Contact, 'id' | 'accountId' | 'name'>>,
  ): Promise<Contact>;
  listContacts(accountId: string): Promise<Contact[]>;
  /** Process and stage of deals (checking a process file before use): of one workspace, of the
   * workspaces that loaded no process file of their own (`onBaseProcesses`), or of all. */
  listDealStages(
    f?: { workspaceId: string } | { onBaseProcesses: true },
  ): Promise<{ workspaceId: string; number: number; process: string; stage: string }[]>;
  /** Stores a workspace's process file as its next version and puts it in force (the workspace's
   * `processVersion`); locks the workspace row until commit. `text` null: back to the default. */
  saveProcessFile(
    workspaceId: string,
    f: Pick<StoredProcessFile, 'text' | 'source' | 'loadedById'>,
  ): Promise<StoredProcessFile>;
  findProcessFile(workspaceId: string, version: number): Promise<StoredProcessFile | null>;
  /** Every account and every contact of a workspace, oldest first (CSV export). */
  listWorkspaceAccounts(workspaceId: string): Promise<Account[]>;
  listWorkspaceContacts(workspaceId: string): Promise<Contact[]>;

  /** Hands out the workspace's next deal number (locks the workspace row until commit), with the
   * workspace's process version as of that lock. */
  nextDealNumber(workspaceId: string): Promise<{ number: number; processVersion: number }>;
  createDeal(
    d: Omit<
      Deal,
      | 'id'
      | 'closedAt'
      | 'createdAt'
      | 'roomId'
      | 'cardRef'
      | 'roomArchivedAt'
      | 'lostReason'
      | 'lastContactAt'
      | 'nextStep'
      | 'competitors'
      | 'nextContactOn'
    > & { createKey?: string; at: Date },
  ): Promise<Deal>;
  findDealById(workspaceId: string, id: string): Promise<Deal | null>;
  findDealByNumber(workspaceId: string, n: number): Promise<Deal | null>;
  findDealByRoom(workspaceId: string, roomId: string): Promise<Deal | null>;
  findDealByCreateKey(workspaceId: string, key: string): Promise<Deal | null>;
  /** Locks the deal row for the rest of the transaction: concurrent changes to one deal serialise. */
  lockDeal(workspaceId: string, id: string): Promise<Deal>;
  /** A command's deal (by number, or by the room it was typed in) locked like `lockDeal`, with
   * whether `memberId` is in its room; with `requestKey`, also records the delivery like
   * `recordRequest` (`fresh` false: handled before). */
  lockDealFor(
    workspaceId: string,
    by: { number: number } | { roomId: string },
    o: { memberId: string; requestKey?: string },
  ): Promise<LockedDeal | null>;
  updateDeal(
    workspaceId: string,
    id: string,
    patch: Partial<Omit<Deal, 'id' | 'workspaceId' | 'number' | 'createdAt'>>,
  ): Promise<Deal>;
  listDeals(workspaceId: string, f: DealFilter): Promise<Deal[]>;
  /** What a deal's card shows besides the deal: account, owner, room members (oldest first),
   * contacts, open actions (by number) with their assignees. Null when the owner is gone. */
  findDealView(deal: Deal): Promise<{
    account: Account;
    owner: Member;
    members: { member: Member; role: string }[];
    contacts: Contact[];
    openActions: (ActionItem & { assignee: Member })[];
  } | null>;
  /** Closed deals (any workspace) whose room is still active and that closed before `closedBefore`. */
  listRoomsToArchive(closedBefore: Date, limit: number): Promise<Deal[]>;

  addDealMember(dealId: string, memberId: string, role: string): Promise<boolean>;
  listDealMembers(dealId: string): Promise<DealMember[]>;
  isDealMember(dealId: string, memberId: string): Promise<boolean>;
  /** Takes a person out of the deal's members; false when they were not in. */
  removeDealMember(dealId: string, memberId: string): Promise<boolean>;

  /** Hands out the deal's next action number (the deal row must be locked). */
  nextActionNumber(workspaceId: string, dealId: string): Promise<number>;
  createAction(a: Omit<ActionItem, 'id' | 'status' | 'closedById' | 'closedAt' | 'createdAt'>): Promise<ActionItem>;
  findAction(dealId: string, n: number): Promise<ActionItem | null>;
  updateAction(
    id: string,
    patch: Partial<Pick<ActionItem, 'status' | 'closedById' | 'closedAt' | 'text' | 'dueOn' | 'assigneeId'>>,
  ): Promise<ActionItem>;
  listActions(dealId: string, status?: ActionItem['status']): Promise<ActionItem[]>;
  listActionsOfAssignee(
    workspaceId: string,
    memberId: string,
    status: ActionItem['status'],
  ): Promise<(ActionItem & { dealNumber: number; dealTitle: string })[]>;

  /** Records that a delivery was handled; false when it already was (a retry). Waits for a
   * concurrent transaction holding the same key, so racing retries serialise. */
  recordRequest(workspaceId: string, key: string): Promise<boolean>;
  /** Keeps the answer the delivery got, for a redelivery to get the same one. */
  saveRequestReply(workspaceId: string, key: string, reply: Message): Promise<void>;
  /** The answer kept for a delivery already handled (null when none was kept). */
  findRequestReply(workspaceId: string, key: string): Promise<Message | null>;
  /** Forgets receipts older than `before` (platforms stop retrying within minutes). */
  pruneRequests(before: Date): Promise<number>;

  appendEvents(workspaceId: string, dealId: string, events: NewEvent[]): Promise<void>;
  listEvents(dealId: string, limit?: number): Promise<DealEvent[]>;

  /** Writes outbox steps (in the caller's transaction); returns their ids in order. With
   * `skipQueuedCard`, a card step is left out when the deal has one pending and not tried yet. */
  enqueueSteps(steps: NewOutboxStep[], now: Date, o?: { skipQueuedCard?: boolean }): Promise<string[]>;
  /** Leases up to `limit` runnable steps: pending, due, not leased, and no earlier pending step of
   * the same deal (a deal's steps run in order). `ids` narrows to those steps. Concurrent
   * claimers never get the same step (SKIP LOCKED). */
  claimSteps(claimer: string, now: Date, leaseMs: number, o: { limit: number; ids?: string[] }): Promise<OutboxStep[]>;
  /** Ends or reschedules a leased step; false when the lease was lost (another worker took it over). */
  finishStep(
    id: string,
    claimer: string,
    patch: Pick<OutboxStep, 'status'> & Partial<Pick<OutboxStep, 'runAfter' | 'error' | 'doneAt'>>,
  ): Promise<boolean>;
  listSteps(f: { dealId?: string; status?: OutboxStep['status'] }): Promise<OutboxStep[]>;
  /** When the oldest step still to do was written (null when none). */
  oldestPendingStep(): Promise<Date | null>;

  /** Writes an inbound delivery unless one with its key exists (`fresh` false: a redelivery). */
  receiveInbound(e: NewInboundEntry, now: Date): Promise<{ id: string; fresh: boolean }>;
  /** Leases up to `limit` inbound entries: pending, not leased, each the oldest of its lane (a
   * lane's entries are processed in order), taken in turns between workspaces (the oldest head
   * of each workspace, then the next of each, …) and oldest first within a turn. */
  claimInbound(claimer: string, now: Date, leaseMs: number, limit: number): Promise<InboundEntry[]>;
  finishInbound(
    id: string,
    claimer: string,
    patch: Pick<InboundEntry, 'status'> & { error?: string; doneAt?: Date },
  ): Promise<boolean>;
  /** When the oldest entry still to process arrived (null when none). */
  oldestPendingInbound(): Promise<Date | null>;
  /** Who holds leases or digest claims on unfinished work. */
  listClaimers(): Promise<string[]>;
  /** Gives back the leases and claims of these (dead) claimers: their work is taken up at once. */
  releaseClaims(claimers: string[]): Promise<void>;

  /** Keeps a file a member sent the bot; false when this delivery's file is already kept. */
  saveUpload(u: NewUpload): Promise<boolean>;
  /** The member's newest upload of this kind received at or after `since`, unless it was used: a
   * newer file supersedes the older ones, so those are never imported or loaded by mistake. */
  latestUpload(workspaceId: string, memberId: string, kind: UploadKind, since: Date): Promise<Upload | null>;
  /** Marks an upload consumed; false when it was already (a concurrent confirm got there first). */
  markUploadUsed(id: string, at: Date): Promise<boolean>;
}

export type UploadKind = 'csv' | 'process';
/** A file sent to the bot in a direct message (src/app/use-cases/uploads.ts). */
export interface Upload {
  id: string;
  workspaceId: string;
  memberId: string;
  kind: UploadKind;
  name: string;
  text: string;
  receivedAt: Date;
  usedAt: Date | null;
}
export type NewUpload = Omit<Upload, 'id' | 'usedAt'> & { key: string };
/** One load of a workspace's process file. */
export interface StoredProcessFile {
  workspaceId: string;
  version: number;
  /** The file as loaded; null when the workspace went back to the default processes. */
  text: string | null;
  source: string;
  loadedById: string;
  loadedAt: Date;
}

/** One inbound delivery (src/app/inbox.ts). `lane` orders processing: one person's commands in
 * one workspace run in the order they arrived. */
export interface InboundEntry {
  id: string;
  platform: PlatformKind;
  key: string;
  lane: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  receivedAt: Date;
}
export type NewInboundEntry = Pick<InboundEntry, 'platform' | 'key' | 'lane' | 'payload'>;

export type OutboxStepKind = 'room' | 'unarchive' | 'invite' | 'remove' | 'post' | 'card' | 'pin' | 'dm';

/** One platform side effect to carry out (src/app/outbox.ts). */
export interface OutboxStep {
  id: string;
  workspaceId: string;
  dealId: string | null;
  kind: OutboxStepKind;
  payload: Record<string, unknown>;
  status: 'pending' | 'done' | 'failed' | 'skipped';
  attempts: number;
  runAfter: Date;
  createdAt: Date;
  doneAt: Date | null;
  error: string | null;
}
export type NewOutboxStep = Pick<OutboxStep, 'workspaceId' | 'dealId' | 'kind' | 'payload'> & {
  runAfter?: Date;
  /** Reserved for this claimer until then (the command's own process runs its steps first). */
  reservedFor?: { claimer: string; until: Date };
};

export interface DigestDelivery {
  id: string;
  workspaceId: string;
  recipientId: string;
  kind: 'manager' | 'rep';
  period: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  since: Date;
  until: Date | null;
  sentAt: Date | null;
  claimedAt: Date | null;
  error: string | null;
}

/** Reads and writes of the digest job (bulk, outside command transactions). */
export interface DigestRepos {
  listWorkspaces(platform: PlatformKind): Promise<Workspace[]>;
  listEventsForDeals(workspaceId: string, dealIds: string[], since: Date): Promise<DealEvent[]>;
  /** The weekly report's statistics per process (stageStats and gateStats of src/domain/funnel.ts),
   * aggregated by the database over the stage changes of the team's deals since `since`. */
  weeklyStats(q: {
    workspaceId: string;
    ownerIds: string[];
    since: Date;
    now: Date;
    processes: readonly Process[];
  }): Promise<Map<string, WeeklyStats>>;
  listOpenActionsForAssignees(
    workspaceId: string,
    memberIds: string[],
  ): Promise<(ActionItem & { dealNumber: number; dealTitle: string; roomId: string | null; account: string })[]>;
  /** The last digest that went out to this person (its `until` is where the next one starts). */
  lastSentDelivery(recipientId: string, kind: DigestDelivery['kind']): Promise<DigestDelivery | null>;
  /** Creates the day's delivery row unless it exists (any replica, any number of times). */
  ensureDelivery(
    d: Pick<DigestDelivery, 'workspaceId' | 'recipientId' | 'kind' | 'period' | 'since'>,
  ): Promise<boolean>;
  /** Takes up to `limit` pending deliveries for this platform; concurrent claimers never get the same row. */
  claimDeliveries(platform: PlatformKind, claimer: string, now: Date, limit: number): Promise<DigestDelivery[]>;
  finishDelivery(
    id: string,
    patch: Pick<DigestDelivery, 'status'> & Partial<Pick<DigestDelivery, 'until' | 'sentAt' | 'error'>>,
  ): Promise<void>;
  /** This platform's deliveries stuck in `sending` since before `before` (the process died mid-send). */
  listStaleSending(platform: PlatformKind, before: Date): Promise<DigestDelivery[]>;
  listDeliveries(filter: { recipientId?: string; period?: string }): Promise<DigestDelivery[]>;
}

export interface Store {
  /** Runs `fn` in one transaction: every write commits together or none does. */
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** Reads outside a transaction. */
  readonly repos: Repos;
  readonly digests: DigestRepos;
}

// ---------------------------------------------------------------- chat platforms

/** The platform's own address of a workspace (Slack team id, Lark tenant key). */
export interface WorkspaceRef {
  platform: PlatformKind;
  externalId: string;
}

export interface UserProfile {
  externalId: string;
  name: string; // handle used for @name
  displayName: string;
  timezone?: string; // IANA zone
  locale?: string; // e.g. en-US, zh-CN
  isBot?: boolean;
  /** The workspace the user belongs to, when the platform says (Slack users.info `team_id`):
   * user ids carry no workspace, so this is how a mention of an outsider is recognised. */
  teamId?: string;
}

/** What a platform can do, declared by its adapter: use cases read these instead of branching on
 * the platform's name. (Differences in syntax are the renderers' business, not capabilities.) */
export interface PlatformCapabilities {
  /** What happens to the room of a closed deal after the grace period (`archiveRoom`), so the
   * closing post can say it in words that are true on this platform. 'archive': the room is
   * archived (Slack: read-only, people cannot post). 'mark': the platform has no archive and the
   * room is marked closed instead, staying open and readable (Lark: 🔒 before the group's name).
   * false: rooms of closed deals are left as they are. */
  archive: 'archive' | 'mark' | false;
  /** The bot can bring an archived room back (`unarchiveRoom`), so a reopened deal keeps its room.
   * Slack: false — bot tokens cannot call conversations.unarchive, so a reopened deal gets a fresh
   * room, linked in history to the old one. https://docs.slack.dev/reference/methods/conversations.unarchive */
  unarchive: boolean;
  /** Replies only the speaker sees (Slack's ephemeral messages). */
  privateReplies: boolean;
  /** Forms the bot can open (Slack modals: `/deal` alone opens the new-deal form). */
  forms: boolean;
  /** A personal home view listing a person's deals and actions (Slack's App Home tab). */
  homeTab: boolean;
  /** Pictures (the funnel) are shown beside the text that carries the same numbers (`postImage`):
   * Slack uploads a file, Lark sends an image message, the console writes a PNG. false: text only. */
  pictures: boolean;
}

/** A picture to show people (the funnel): PNG bytes plus the words around them. */
export interface ImageUpload {
  png: Buffer;
  /** File name the platform shows, e.g. `funnel.png`. */
  filename: string;
  title: string;
  /** What the picture says, for screen readers and clients that do not show images. */
  altText: string;
}

/** A file a person sent the bot, as the platform announced it; `ref` is the adapter's own address
 * of it (Slack: its private download URL; Lark: message id and file key), opaque to the app. */
export interface SharedFile {
  name: string;
  /** Bytes, when the platform says before the download (Slack does; Lark does not). */
  size?: number;
  ref: string;
}

/** Where a picture goes: a room, or a person's direct messages. */
export type ImageTarget = { roomId: string } | { userId: string };

/** A chat platform as the app needs it: rooms, messages, people. Adapters translate these calls
 * into their SDK, their errors into PlatformError with a neutral code the app can explain (see
 * PlatformErrorCode), and the neutral message model into their own syntax. */
export interface ChatPlatform {
  readonly kind: PlatformKind;
  /** What this platform can do; constant for the adapter's lifetime. */
  readonly capabilities: PlatformCapabilities;
  /** Creates a private room for a deal and returns its id; `name` is a suggestion the adapter
   * fits to the platform's naming rules (and makes unique when taken). */
  createRoom(ws: WorkspaceRef, req: { name: string; topic: string }): Promise<{ roomId: string; name: string }>;
  /** Adds people to a room; people already in it are not an error. */
  invite(ws: WorkspaceRef, roomId: string, userIds: string[]): Promise<void>;
  /** Takes people out of a room; people not in it are not an error (Slack: conversations.kick).
   * Optional so an adapter can land without it: then Dealroom's record says removed but the
   * platform room keeps them, and the step is reported as skipped. */
  removeFromRoom?(ws: WorkspaceRef, roomId: string, userIds: string[]): Promise<void>;
  /** Posts a message everyone in the room sees; returns its id for later updates. `key` marks the
   * message so `findPosted` can find it later (Slack: message metadata). */
  post(ws: WorkspaceRef, roomId: string, message: Message, opts?: { key?: string }): Promise<{ messageId: string }>;
  /** The id of the message posted in the room with this `key`, or null: asked after an interrupted
   * post (a crash, a lost answer) before posting again (optional: without it, the post is repeated). */
  findPosted?(ws: WorkspaceRef, roomId: string, key: string): Promise<string | null>;
  /** Replaces a message posted earlier (the live deal card). */
  update(ws: WorkspaceRef, roomId: string, messageId: string, message: Message): Promise<void>;
  /** Pins a message in its room. */
  pin(ws: WorkspaceRef, roomId: string, messageId: string): Promise<void>;
  /** A direct message to one person. `key` marks the message so `wasDelivered` can find it later
   * (Slack: message metadata; Lark: the create call's `uuid`). */
  dm(ws: WorkspaceRef, userId: string, message: Message, opts?: { key?: string }): Promise<void>;
  /** Whether a DM sent with this `key` reached the person: asked after a crash mid-send, before
   * sending again (optional: without it, an interrupted send is not repeated). */
  wasDelivered?(ws: WorkspaceRef, userId: string, key: string): Promise<boolean>;
  /** Uploads a picture into a room or a DM; present when `capabilities.pictures` is true (without
   * it, people get the text only, which every message that carries a picture already says in
   * words). Slack: files.uploadV2; Lark: im.v1.image.create, then an image message. */
  postImage?(ws: WorkspaceRef, target: ImageTarget, image: ImageUpload): Promise<void>;
  /** The bytes of a file a person sent the bot (optional: without it, files are not read). Reads at
   * most `maxBytes`: 'too_big' when the file is longer. Throws PlatformError: `network` or
   * `rate_limited` are worth a retry; anything else is not (e.g. `missing_scope` when the platform
   * refuses the bot's token). */
  downloadFile?(ws: WorkspaceRef, file: SharedFile, o: { maxBytes: number }): Promise<Buffer | 'too_big'>;
  /** Profile of a platform user, or null when the platform does not know them. */
  resolveUser(ws: WorkspaceRef, userId: string): Promise<UserProfile | null>;
  /** Answers a person privately through the reply handle a delivery carried (Slack's
   * response_url: https://api.slack.com/interactivity/handling#message_responses). Optional:
   * without it, or once the handle expired, the app sends a DM. */
  respond?(ws: WorkspaceRef, handle: string, message: Message): Promise<void>;
  /** Shows a person their home view (Slack's App Home tab). Optional. */
  publishHome?(ws: WorkspaceRef, userId: string, message: Message): Promise<void>;
  /** Finds a room the bot can see by its exact name, with its topic (optional). Lets a room
   * created just before a crash be found and adopted instead of orphaned. `topic` is what
   * `createRoom` was given with that name: a platform that names rooms after the topic (Lark)
   * searches by it. */
  findRoomByName?(
    ws: WorkspaceRef,
    name: string,
    topic?: string,
  ): Promise<{ roomId: string; name: string; topic: string } | null>;
  /** Finds a user by handle for a plain `@name` the app has not seen yet (optional: platforms
   * whose directory is too large to search return null or leave it out). */
  findUserByName?(ws: WorkspaceRef, name: string): Promise<UserProfile | null>;
  /** Closes a room after the deal ended (kept readable, no longer active). Archiving a room that
   * is already archived is not an error. */
  archiveRoom(ws: WorkspaceRef, roomId: string): Promise<void>;
  /** Brings an archived room back; present when `capabilities.unarchive` is true. */
  unarchiveRoom?(ws: WorkspaceRef, roomId: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
