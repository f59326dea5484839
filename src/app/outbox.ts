// The durable outbox: every platform side effect, at least tried until it is done or visibly failed.
//
// Design
// - What a change calls for on the platform (create the room, invite, post the card, pin, a room
//   post, a DM, a card update) becomes OutboxStep rows written in the SAME transaction as the change
//   (`stepsFor` below, called by src/app/dispatch.ts). A crash after commit loses nothing: the rows
//   are there; a crash before commit leaves neither the change nor its steps.
// - `runSteps` carries steps out. A step is leased while it runs (claimedBy/leaseUntil in
//   src/store/prisma-store.ts), so two workers never run one step and a dead worker's step is taken
//   up again when its lease ends. A deal's steps run in id order (its room before its card).
// - Each step is idempotent or checked before it is repeated (src/app/rooms.ts): the room step
//   adopts a room created just before a crash (found by name and topic, never orphaned); invite and
//   pin are idempotent; the card step renders the deal as it is now.
// - A failed step is retried with exponential backoff, never sooner than the platform's
//   Retry-After. A step that keeps failing (or cannot succeed: missing permission, room gone) ends
//   `failed` with its reason, and the person concerned gets a DM (itself an outbox step) naming
//   `/deal room`, which recreates or completes the room (src/app/use-cases/repair-room.ts).
// - The command's own process runs its steps at once (`runSteps` with their ids) so the reply can
//   say what happened; those steps are written leased to that process (INLINE_GRACE_MS) so the
//   background worker (src/jobs/outbox-worker.ts) only takes them if that process died.
// What crosses the boundaries: app → store: step rows (kind + JSON payload); app → platform: the
// ChatPlatform calls of src/app/ports.ts. Adapters know nothing of the outbox.
import { DealroomError, PlatformError } from '../domain/errors.ts';
import type { Locale } from '../domain/process.ts';
import { t } from '../i18n/index.ts';
import type { Deps } from './context.ts';
import { personLocale } from './identity.ts';
import { join, type Message, plain, type Rich } from './message.ts';
import type { Outcome } from './outcome.ts';
import type { NewOutboxStep, OutboxStep, OutboxStepKind, Repos } from './ports.ts';
import { PROCESS_ID } from './process-id.ts';
import { describePlatformError, executeStep, type StepEffect } from './rooms.ts';

/** Steps written by a command are first run by that command's process; the worker waits this long. */
export const INLINE_GRACE_MS = 15_000;
/** How long a running step is reserved for its worker before another may take it up. */
export const DEFAULT_LEASE_MS = 60_000;
export const MAX_ATTEMPTS = 10;

export type RoomPayload = { notify?: string; locale?: Locale };
export type InvitePayload = { userIds?: string[] }; // absent: everyone in the deal
export type RemovePayload = { userIds: string[] };
export type PostPayload = { message: Message };
export type PinPayload = { messageId: string };
export type DmPayload = { userId: string; message: Message; dealNumber?: number };

/** The steps an outcome calls for; written by the caller in the change's transaction. */
export function stepsFor(workspaceId: string, outcome: Outcome, speaker: { userId: string; locale: Locale }) {
  const dealId = outcome.dealId ?? null;
  const steps: NewOutboxStep[] = [];
  const add = (kind: OutboxStepKind, payload: object, forDeal = dealId) =>
    steps.push({ workspaceId, dealId: forDeal, kind, payload: payload as Record<string, unknown> });
  if (dealId) {
    if (outcome.ensureRoom) add('room', { notify: speaker.userId, locale: speaker.locale } satisfies RoomPayload);
    // A reopened deal's archived room comes back before anything is posted in it (platforms that can).
    if (outcome.unarchiveRoom) add('unarchive', {});
    if (outcome.invite?.length) add('invite', { userIds: outcome.invite } satisfies InvitePayload);
    if (outcome.removeFromRoom?.length) add('remove', { userIds: outcome.removeFromRoom } satisfies RemovePayload);
    if (outcome.announce) add('post', { message: outcome.announce } satisfies PostPayload);
    // A new room gets a fresh card from its room step.
    if (outcome.refreshCard && !outcome.ensureRoom) add('card', {});
  }
  // DMs do not wait for the room: they carry no deal, so a slow room never holds them back.
  for (const dm of outcome.dms ?? []) add('dm', { userId: dm.userId, message: dm.message } satisfies DmPayload, null);
  return steps;
}

/** Writes steps, skipping a card refresh when one not yet tried is already queued (it will render
 * the deal as it is when it runs). */
export async function enqueue(repos: Repos, steps: NewOutboxStep[], now: Date, inline: boolean): Promise<string[]> {
  const keep: NewOutboxStep[] = [];
  for (const s of steps) {
    if (s.kind === 'card' && s.dealId && (await repos.hasUntriedStep(s.dealId, 'card'))) continue;
    keep.push(
      inline ? { ...s, reservedFor: { claimer: PROCESS_ID, until: new Date(now.getTime() + INLINE_GRACE_MS) } } : s,
    );
  }
  return keep.length ? repos.enqueueSteps(keep, now) : [];
}

export interface StepReport {
  step: OutboxStep;
  result: 'done' | 'skipped' | 'retry' | 'failed';
  error?: unknown;
}

/** Backoff before the next attempt, or null when retrying cannot help. */
export function retryDelayMs(e: unknown, attempts: number): number | null {
  const backoff = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
  if (e instanceof PlatformError) {
    if (e.code === 'rate_limited') return Math.max(backoff, (e.retryAfterSeconds ?? 1) * 1000);
    if (e.code === 'network') return backoff;
    return null; // missing permission, room gone, refused: the same call will fail the same way
  }
  return backoff; // our own trouble (database, a platform not served by this replica): try again
}

/** Runs runnable steps: those with `ids` (and the steps they lead to), or any due ones when `ids` is
 * absent, up to `limit`. Returns what happened to each. */
export async function runSteps(
  deps: Deps,
  claimer: string,
  o: { ids?: string[]; limit?: number; leaseMs?: number; shouldStop?: () => boolean } = {},
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  let wanted = o.ids ? [...o.ids] : undefined;
  const limit = o.limit ?? 50;
  while (reports.length < limit && !o.shouldStop?.()) {
    if (wanted && !wanted.length) break;
    const [step] = await deps.store.repos.claimSteps(claimer, deps.clock.now(), o.leaseMs ?? DEFAULT_LEASE_MS, {
      limit: 1,
      ids: wanted,
    });
    if (!step) break;
    const report = await runOne(deps, claimer, step);
    reports.push(report.report);
    if (wanted) wanted = [...wanted.filter((id) => id !== step.id), ...report.next];
  }
  return reports;
}

async function runOne(deps: Deps, claimer: string, step: OutboxStep): Promise<{ report: StepReport; next: string[] }> {
  let effect: StepEffect;
  try {
    effect = await executeStep(deps, step);
  } catch (e) {
    return afterFailure(deps, claimer, step, e);
  }
  try {
    const next = await deps.store.transaction(async (tx) => {
      const now = deps.clock.now();
      const more = effect.commit ? await effect.commit(tx, now) : [];
      const status = effect.skipped ? 'skipped' : 'done';
      if (!(await tx.finishStep(step.id, claimer, { status, doneAt: now, error: effect.skipped ?? null })))
        throw new DealroomError('lease_lost', `outbox step ${step.id} was taken over by another worker`);
      return more.length ? tx.enqueueSteps(more, now) : [];
    });
    return { report: { step, result: effect.skipped ? 'skipped' : 'done' }, next };
  } catch (e) {
    return afterFailure(deps, claimer, step, e);
  }
}

/** Reschedules a failed step, or ends it `failed` and queues the notice to the person concerned
 * (returned, so the caller can send it at once). */
async function afterFailure(
  deps: Deps,
  claimer: string,
  step: OutboxStep,
  e: unknown,
): Promise<{ report: StepReport; next: string[] }> {
  const now = deps.clock.now();
  const delay = step.attempts < MAX_ATTEMPTS ? retryDelayMs(e, step.attempts) : null;
  const error = e instanceof Error ? e.message : String(e);
  deps.log.warn(
    { err: e, step: step.id, kind: step.kind, attempts: step.attempts, retry: delay !== null },
    'outbox step failed',
  );
  try {
    if (delay !== null) {
      await deps.store.repos.finishStep(step.id, claimer, {
        status: 'pending',
        runAfter: new Date(now.getTime() + delay),
        error,
      });
      return { report: { step, result: 'retry', error: e }, next: [] };
    }
    const next = await deps.store.transaction(async (tx) =>
      (await tx.finishStep(step.id, claimer, { status: 'failed', doneAt: now, error }))
        ? tx.enqueueSteps(await giveUpNotice(tx, step, e), now)
        : [],
    );
    return { report: { step, result: 'failed', error: e }, next };
  } catch (x) {
    // The database is gone too: the lease runs out and the step is tried again later.
    deps.log.error({ err: x, step: step.id }, 'could not record an outbox failure');
    return { report: { step, result: 'retry', error: e }, next: [] };
  }
}

const WHAT: Record<OutboxStepKind, string> = {
  room: 'create',
  unarchive: 'unarchive',
  invite: 'invite',
  remove: 'remove',
  post: 'announce',
  card: 'card',
  pin: 'pin',
  dm: 'dm',
};

/** The sentence for a step that did not happen, in `L`; `retrying` when the worker will try again. */
export function describeStepProblem(r: StepReport, L: Locale): Rich {
  const reason = describePlatformError(r.error, L);
  const base = t(L, `room.${WHAT[r.step.kind]}_failed`, { reason });
  return r.result === 'retry' ? join([base, t(L, 'outbox.retrying')], ' ') : base;
}

/** The DM that tells the person concerned a step gave up, and how to repair the room. */
async function giveUpNotice(tx: Repos, step: OutboxStep, e: unknown): Promise<NewOutboxStep[]> {
  if (step.kind === 'dm' || !step.dealId) return []; // a DM that cannot be sent cannot announce itself
  const deal = await tx.findDealById(step.workspaceId, step.dealId);
  const workspace = await tx.findWorkspaceById(step.workspaceId);
  if (!deal || !workspace) return [];
  const notify = (step.payload as RoomPayload).notify;
  const owner = await tx.findMemberById(step.workspaceId, deal.ownerId);
  const userId = notify ?? owner?.externalId;
  if (!userId) return [];
  const L: Locale = (step.payload as RoomPayload).locale ?? personLocale(workspace, owner);
  const text = join(
    [describeStepProblem({ step, result: 'failed', error: e }, L), t(L, 'outbox.repair', { deal: deal.number })],
    '\n',
  );
  const payload: DmPayload = { userId, message: plain(text), dealNumber: deal.number };
  return [{ workspaceId: step.workspaceId, dealId: null, kind: 'dm', payload }];
}
