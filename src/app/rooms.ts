// Carrying out an Outcome on the chat platform, after the data is committed. A platform failure
// here never loses or duplicates data: the deal is saved; the user hears what did not happen.
import { randomUUID } from 'node:crypto';
import { PlatformError } from '../domain/errors.ts';
import type { Deal } from '../domain/model.ts';
import type { Locale } from '../domain/process.ts';
import { t } from '../i18n/index.ts';
import { buildDealCard } from './card.ts';
import type { Deps } from './context.ts';
import { loadDealView } from './deal-view.ts';
import { todayIn } from './format.ts';
import { roomLocale } from './identity.ts';
import type { Rich } from './message.ts';
import type { Outcome } from './outcome.ts';
import type { WorkspaceRef } from './ports.ts';

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

/** Creates the deal's room if it has none, invites its people, posts and pins the card. Safe to
 * call again (retries, races): only the caller that claims the room creates it. */
export async function ensureRoom(
  deps: Deps,
  ws: WorkspaceRef,
  dealId: string,
  workspaceId: string,
): Promise<{ roomId?: string; problems: Rich[] }> {
  const repos = deps.store.repos;
  const deal = await repos.findDealById(workspaceId, dealId);
  if (!deal) return { problems: [] };
  if (deal.roomId) return { roomId: deal.roomId.startsWith('pending:') ? undefined : deal.roomId, problems: [] };
  const claim = `pending:${randomUUID()}`;
  if (!(await repos.claimRoomCreation(workspaceId, dealId, claim))) return { problems: [] };
  const workspace = (await repos.findWorkspace(ws.platform, ws.externalId))!;
  const L = roomLocale(workspace);
  const view = await loadDealView(repos, deal);
  let roomId: string;
  try {
    const room = await deps.platform.createRoom(ws, {
      name: roomNameFor(deal, view.account.name),
      topic: `#${deal.number} ${view.account.name} — ${deal.title}`,
    });
    roomId = room.roomId;
  } catch (e) {
    // Give the claim back so a later attempt (a retry, `reopen`) can create the room.
    await repos.updateDeal(workspaceId, dealId, { roomId: null });
    deps.log.warn({ err: e, dealId }, 'room creation failed');
    throw e;
  }
  await deps.store.transaction(async (tx) => {
    const previous = (await tx.listEvents(dealId)).filter((e) => e.type === 'room_linked').at(-1)?.data.roomId ?? null;
    await tx.updateDeal(workspaceId, dealId, { roomId });
    await tx.appendEvents(workspaceId, dealId, [
      { dealId, actorId: null, type: 'room_linked', at: deps.clock.now(), data: { roomId, previousRoomId: previous } },
    ]);
  });
  const problems: Rich[] = [];
  const people = view.members.map((m) => m.member.externalId);
  try {
    await deps.platform.invite(ws, roomId, people);
  } catch (e) {
    deps.log.warn({ err: e, dealId }, 'invite failed');
    problems.push(t(L, 'room.invite_failed', { reason: describePlatformError(e, L) }));
  }
  try {
    const card = buildDealCard(view, L, todayIn(deps.clock.now(), workspace.timezone));
    const { messageId } = await deps.platform.post(ws, roomId, card);
    await repos.updateDeal(workspaceId, dealId, { cardRef: messageId });
    await deps.platform.pin(ws, roomId, messageId).catch((e) => {
      deps.log.warn({ err: e, dealId }, 'pin failed');
      problems.push(t(L, 'room.pin_failed', { reason: describePlatformError(e, L) }));
    });
  } catch (e) {
    deps.log.warn({ err: e, dealId }, 'card post failed');
    problems.push(t(L, 'room.card_failed', { reason: describePlatformError(e, L) }));
  }
  return { roomId, problems };
}

/** Re-renders the pinned card (or posts a new one when the old is gone). */
export async function refreshCard(
  deps: Deps,
  ws: WorkspaceRef,
  deal: Deal,
  locale: Locale,
  timezone: string,
): Promise<void> {
  if (!deal.roomId || deal.roomId.startsWith('pending:') || deal.roomArchivedAt) return;
  const card = buildDealCard(await loadDealView(deps.store.repos, deal), locale, todayIn(deps.clock.now(), timezone));
  if (deal.cardRef) {
    try {
      await deps.platform.update(ws, deal.roomId, deal.cardRef, card);
      return;
    } catch (e) {
      if (!(e instanceof PlatformError && e.code === 'message_not_found')) throw e;
    }
  }
  const { messageId } = await deps.platform.post(ws, deal.roomId, card);
  await deps.store.repos.updateDeal(deal.workspaceId, deal.id, { cardRef: messageId });
  await deps.platform.pin(ws, deal.roomId, messageId).catch((e) => deps.log.warn({ err: e }, 'pin failed'));
}

/** Everything an outcome asks of the platform. Returns sentences about what could not be done. */
export async function applyOutcome(
  deps: Deps,
  ws: WorkspaceRef,
  workspaceId: string,
  outcome: Outcome,
  speakerLocale: Locale,
): Promise<{ problems: Rich[]; announcedIn?: string }> {
  const problems: Rich[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      deps.log.warn({ err: e, what }, 'platform effect failed');
      problems.push(t(speakerLocale, `room.${what}_failed`, { reason: describePlatformError(e, speakerLocale) }));
    }
  };
  if (!outcome.dealId) return { problems };
  if (outcome.ensureRoom) {
    try {
      problems.push(...(await ensureRoom(deps, ws, outcome.dealId, workspaceId)).problems);
    } catch (e) {
      problems.push(t(speakerLocale, 'room.create_failed', { reason: describePlatformError(e, speakerLocale) }));
    }
  }
  const deal = await deps.store.repos.findDealById(workspaceId, outcome.dealId);
  const workspace = (await deps.store.repos.findWorkspace(ws.platform, ws.externalId))!;
  const room = deal?.roomId && !deal.roomId.startsWith('pending:') && !deal.roomArchivedAt ? deal.roomId : undefined;
  if (room && outcome.unarchiveRoom && deps.platform.unarchiveRoom)
    await attempt('unarchive', () => deps.platform.unarchiveRoom!(ws, room));
  if (room && outcome.invite?.length) await attempt('invite', () => deps.platform.invite(ws, room, outcome.invite!));
  let announcedIn: string | undefined;
  if (room && outcome.announce) {
    await attempt('announce', async () => {
      await deps.platform.post(ws, room, outcome.announce!);
      announcedIn = room;
    });
  }
  if (deal && outcome.refreshCard)
    await attempt('card', () => refreshCard(deps, ws, deal, roomLocale(workspace), workspace.timezone));
  for (const dm of outcome.dms ?? []) await attempt('dm', () => deps.platform.dm(ws, dm.userId, dm.message));
  return { problems, announcedIn };
}

/** The 10-minute housekeeping: archive rooms of closed deals, forget old request receipts. */
export async function housekeeping(
  deps: Deps,
  graceMs: number,
  resolveWs: (workspaceId: string) => Promise<WorkspaceRef | null>,
): Promise<void> {
  await archiveClosedRooms(deps, graceMs, resolveWs);
  await deps.store.repos.pruneRequests(new Date(deps.clock.now().getTime() - 7 * 86_400_000));
}

/** Archives rooms of deals closed longer than the grace period ago. One failure never stops the rest. */
export async function archiveClosedRooms(
  deps: Deps,
  graceMs: number,
  resolveWs: (workspaceId: string) => Promise<WorkspaceRef | null>,
): Promise<number> {
  const due = await deps.store.repos.listRoomsToArchive(new Date(deps.clock.now().getTime() - graceMs), 100);
  let archived = 0;
  for (const deal of due) {
    const ws = await resolveWs(deal.workspaceId);
    if (!ws || ws.platform !== deps.platform.kind) continue;
    try {
      // A platform that does not archive leaves the room as it is; the deal is marked done all the same.
      if (deps.platform.capabilities.archive) await deps.platform.archiveRoom(ws, deal.roomId!);
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
