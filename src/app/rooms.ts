// Carrying out outbox steps (src/app/outbox.ts) on the chat platform, after the data is committed:
// the room saga (create or adopt, link, invite, card, pin), room posts and DMs; and the housekeeping
// that archives rooms of closed deals.
import { PlatformError } from '../domain/errors.ts';
import type { Deal, Workspace } from '../domain/model.ts';
import type { Locale } from '../domain/process.ts';
import { t } from '../i18n/index.ts';
import { buildDealCard } from './card.ts';
import type { Deps } from './context.ts';
import { loadDealView } from './deal-view.ts';
import { todayIn } from './format.ts';
import { roomLocale } from './identity.ts';
import type { Rich } from './message.ts';
import type { DmPayload, InvitePayload, PinPayload, PostPayload, RemovePayload } from './outbox.ts';
import type { ChatPlatform, NewOutboxStep, OutboxStep, Repos, WorkspaceRef } from './ports.ts';

export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function roomNameFor(deal: Pick<Deal, 'number' | 'title'>, accountName: string): string {
  const slug = [slugify(accountName), slugify(deal.title)].filter(Boolean).join('-').slice(0, 70).replace(/-+$/, '');
  return slug ? `deal-${slug}` : `deal-${deal.number}`;
}

export function describePlatformError(e: unknown, L: Locale): Rich {
  if (e instanceof PlatformError)
    return t(L, `platform.${e.code}`, { code: e.platformCode, seconds: e.retryAfterSeconds ?? 0 });
  return t(L, 'platform.unknown');
}

/** What a step did, and what to write in the transaction that marks it done. */
export interface StepEffect {
  /** Runs in the transaction that marks the step done; returns the steps it leads to. */
  commit?: (tx: Repos, now: Date) => Promise<NewOutboxStep[]>;
  /** Set when the step no longer applies (the room is gone or archived): why. */
  skipped?: string;
}

const roomTopic = (deal: Pick<Deal, 'number' | 'title'>, accountName: string) =>
  `#${deal.number} ${accountName} — ${deal.title}`;

/** Carries out one outbox step on the platform of its workspace (src/app/outbox.ts). */
export async function executeStep(deps: Deps, step: OutboxStep, known?: Workspace): Promise<StepEffect> {
  const repos = deps.store.repos;
  const workspace = known ?? (await repos.findWorkspaceById(step.workspaceId));
  if (!workspace) return { skipped: 'workspace gone' };
  const ws: WorkspaceRef = { platform: workspace.platform, externalId: workspace.externalId };
  const platform = deps.platforms.get(ws.platform);
  // Posts and DMs carry their step's key, so a retry after an interruption (a crash, an answer lost
  // on the way back) first asks the platform whether the message arrived: posted once, never twice.
  const key = `step:${step.id}`;
  const retried = step.attempts > 1;
  if (step.kind === 'dm') {
    const p = step.payload as DmPayload;
    if (retried && platform.wasDelivered && (await platform.wasDelivered(ws, p.userId, key))) return {};
    await platform.dm(ws, p.userId, p.message, { key });
    return {};
  }
  const deal = step.dealId ? await repos.findDealById(step.workspaceId, step.dealId) : null;
  if (!deal) return { skipped: 'deal gone' };
  if (step.kind === 'room') return roomStep(deps, platform, ws, deal, step);
  // Every other step needs the room. The deal's earlier steps ran first, so no room here means its
  // room step failed: `/deal room` redoes the room, its invitations and its card.
  const room = deal.roomId && !deal.roomArchivedAt ? deal.roomId : null;
  if (!room) return { skipped: 'the deal has no active room' };
  switch (step.kind) {
    case 'invite': {
      const ids = (step.payload as InvitePayload).userIds ?? (await memberIds(repos, deal));
      await platform.invite(ws, room, ids);
      return {};
    }
    case 'remove':
      if (!platform.removeFromRoom) return { skipped: 'this platform cannot remove people from a room' };
      await platform.removeFromRoom(ws, room, (step.payload as RemovePayload).userIds);
      return {};
    case 'post':
      if (retried && platform.findPosted && (await platform.findPosted(ws, room, key))) return {};
      await platform.post(ws, room, (step.payload as PostPayload).message, { key });
      return {};
    case 'pin':
      await platform.pin(ws, room, (step.payload as PinPayload).messageId);
      return {};
    case 'unarchive':
      // Only outcomes on platforms that declare `unarchive` ask for this step.
      if (platform.unarchiveRoom) await platform.unarchiveRoom(ws, room);
      return {};
    case 'card':
      return cardStep(deps, platform, ws, workspace, deal, room, Boolean((step.payload as { pin?: boolean }).pin), {
        key,
        retried,
      });
  }
}

async function memberIds(repos: Repos, deal: Deal): Promise<string[]> {
  const people = await repos.listMembersByIds(
    deal.workspaceId,
    (await repos.listDealMembers(deal.id)).map((m) => m.memberId),
  );
  return people.map((m) => m.externalId);
}

/** Creates the deal's room, or adopts the one an interrupted attempt created, then links it, and
 * queues the invitations and the card. A deal that already has an active room is left alone and
 * completed (invitations, card): that is what `/deal room` asks for. */
async function roomStep(
  deps: Deps,
  platform: ChatPlatform,
  ws: WorkspaceRef,
  deal: Deal,
  step: OutboxStep,
): Promise<StepEffect> {
  const repos = deps.store.repos;
  const follow = (): NewOutboxStep[] => [
    { workspaceId: deal.workspaceId, dealId: deal.id, kind: 'invite', payload: {} },
    { workspaceId: deal.workspaceId, dealId: deal.id, kind: 'card', payload: { pin: true } },
  ];
  if (deal.roomId && !deal.roomArchivedAt) return { commit: async () => follow() };
  const account = (await repos.findAccountById(deal.workspaceId, deal.accountId))!;
  const name = roomNameFor(deal, account.name);
  const topic = roomTopic(deal, account.name);
  // A second attempt may follow a crash between creating the room and linking it: look first.
  const adopted = step.attempts > 1 ? await findOwnRoom(deps, platform, ws, deal, name, topic) : null;
  const roomId = adopted ?? (await platform.createRoom(ws, { name, topic })).roomId;
  if (adopted) deps.log.info({ dealId: deal.id, roomId }, 'adopted a room created before an interruption');
  return {
    commit: async (tx, now) => {
      const current = await tx.lockDeal(deal.workspaceId, deal.id);
      if (current.roomId && !current.roomArchivedAt) return follow(); // linked meanwhile (cannot happen in order)
      const previous =
        (await tx.listEvents(deal.id)).filter((e) => e.type === 'room_linked').at(-1)?.data.roomId ?? null;
      await tx.updateDeal(deal.workspaceId, deal.id, { roomId, cardRef: null, roomArchivedAt: null });
      await tx.appendEvents(deal.workspaceId, deal.id, [
        { dealId: deal.id, actorId: null, type: 'room_linked', at: now, data: { roomId, previousRoomId: previous } },
      ]);
      return follow();
    },
  };
}

/** The room an earlier attempt created for this deal: same name (or the adapter's `-2`, `-3` …
 * when taken), linked to no deal, and with this deal's topic (or none yet: the topic is set just
 * after creation). */
async function findOwnRoom(
  deps: Deps,
  platform: ChatPlatform,
  ws: WorkspaceRef,
  deal: Deal,
  name: string,
  topic: string,
): Promise<string | null> {
  if (!platform.findRoomByName) return null;
  for (let n = 1; n <= 20; n++) {
    const found = await platform.findRoomByName(ws, n === 1 ? name : `${name}-${n}`, topic);
    if (!found) return null;
    const owner = await deps.store.repos.findDealByRoom(deal.workspaceId, found.roomId);
    if (owner?.id === deal.id) return found.roomId;
    if (!owner && (found.topic === '' || topic.startsWith(found.topic))) return found.roomId;
  }
  return null;
}

/** Renders the card as the deal is now: updates the posted one (and pins it again when `pin`), or
 * posts and pins it when there is none or it was deleted. */
async function cardStep(
  deps: Deps,
  platform: ChatPlatform,
  ws: WorkspaceRef,
  workspace: Workspace,
  deal: Deal,
  room: string,
  pin: boolean,
  delivery: { key: string; retried: boolean },
): Promise<StepEffect> {
  const pinStep = (messageId: string): NewOutboxStep => ({
    workspaceId: deal.workspaceId,
    dealId: deal.id,
    kind: 'pin',
    payload: { messageId } satisfies PinPayload,
  });
  const card = buildDealCard(
    await loadDealView(deps.store.repos, deal),
    (await deps.processes.forWorkspace(deps.store.repos, workspace)).set.get(deal.process),
    roomLocale(workspace),
    todayIn(deps.clock.now(), workspace.timezone),
  );
  if (deal.cardRef) {
    try {
      await platform.update(ws, room, deal.cardRef, card);
      const cardRef = deal.cardRef;
      return pin ? { commit: async () => [pinStep(cardRef)] } : {};
    } catch (e) {
      if (!(e instanceof PlatformError && e.code === 'message_not_found')) throw e;
    }
  }
  // A card posted by an interrupted attempt is found by its key and adopted (then updated by the
  // next card step), never posted twice.
  const posted = delivery.retried && platform.findPosted ? await platform.findPosted(ws, room, delivery.key) : null;
  const messageId = posted ?? (await platform.post(ws, room, card, { key: delivery.key })).messageId;
  if (posted) await platform.update(ws, room, posted, card);
  return {
    commit: async (tx) => {
      await tx.updateDeal(deal.workspaceId, deal.id, { cardRef: messageId });
      return [pinStep(messageId)];
    },
  };
}

/** The 10-minute housekeeping: archive rooms of closed deals on every platform, forget old request
 * receipts. */
export async function housekeeping(
  deps: Deps,
  graceMs: number,
  resolveWs: (workspaceId: string) => Promise<WorkspaceRef | null>,
): Promise<void> {
  for (const platform of deps.platforms.all()) {
    await archiveClosedRooms(deps, platform, graceMs, resolveWs).catch((e) =>
      deps.log.error({ err: e, platform: platform.kind }, 'archiving failed'),
    );
  }
  await deps.store.repos.pruneRequests(new Date(deps.clock.now().getTime() - 7 * 86_400_000));
}

/** Archives rooms of this platform's deals closed longer than the grace period ago. One failure
 * never stops the rest. */
export async function archiveClosedRooms(
  deps: Deps,
  platform: ChatPlatform,
  graceMs: number,
  resolveWs: (workspaceId: string) => Promise<WorkspaceRef | null>,
): Promise<number> {
  const due = await deps.store.repos.listRoomsToArchive(new Date(deps.clock.now().getTime() - graceMs), 100);
  let archived = 0;
  for (const deal of due) {
    const ws = await resolveWs(deal.workspaceId);
    if (!ws || ws.platform !== platform.kind) continue;
    try {
      // A platform that does not archive leaves the room as it is; the deal is marked done all the same.
      if (platform.capabilities.archive) await platform.archiveRoom(ws, deal.roomId!);
    } catch (e) {
      // A room that no longer exists needs no archiving.
      if (!(e instanceof PlatformError && e.code === 'channel_not_found')) {
        deps.log.warn({ err: e, dealId: deal.id }, 'archive failed; will retry');
        continue;
      }
    }
    await deps.store.repos.updateDeal(deal.workspaceId, deal.id, { roomArchivedAt: deps.clock.now() });
    archived++;
  }
  return archived;
}
