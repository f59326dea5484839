// Morning digests, exactly once. Every tick (each minute) this
//  1. resolves deliveries stuck in `sending` after a crash by asking the platform whether the DM
//     arrived (each is sent with its delivery id as a key): arrived → `sent`; not → `pending`, sent
//     again below. A platform that cannot tell leaves them `failed` (twice is worse than never),
//  2. writes today's delivery row for each person whose local digest time has passed (a unique key
//     per person, kind and local date: a bot that was down at 08:30 catches up the same day, and
//     replicas on one PostgreSQL agree on one row),
//  3. claims pending rows ONE at a time, just before sending it (SKIP LOCKED: one replica per row),
//     composes, sends, marks it sent: a crash leaves at most one row `sending`.
// Work fans out per workspace and per person: one failure never stops the rest.
import { DateTime } from 'luxon';
import type { Deps } from '../app/context.ts';
import { composeManagerDigest, composeRepNudge, isDigestManager, isNudgedRep, memberZone } from '../app/digests.ts';
import { type FunnelPictureRequest, postPictures } from '../app/pictures.ts';
import type { DigestDelivery } from '../app/ports.ts';
import { PROCESS_ID } from '../app/process-id.ts';
import { PlatformError } from '../domain/errors.ts';
import type { PlatformKind } from '../domain/model.ts';

const DAY = 86_400_000;

export interface DigestSchedulerOptions {
  deps: Deps;
  /** The platform whose workspaces this scheduler serves (one scheduler per registered platform). */
  platform: PlatformKind;
  instanceId?: string;
  /** Pause between two sends, to stay under the platform's rate limits. */
  paceMs?: number;
  /** A `sending` row older than this was interrupted. */
  staleAfterMs?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TickResult {
  scheduled: number;
  sent: number;
  skipped: number;
  failed: number;
  retried: number;
  abandoned: number;
  /** Interrupted sends found to have arrived (marked sent, not resent). */
  recovered: number;
}

export class DigestScheduler {
  readonly instanceId: string;
  private pausedUntil = 0;
  constructor(private readonly o: DigestSchedulerOptions) {
    this.instanceId = o.instanceId ?? PROCESS_ID;
  }

  private get deps() {
    return this.o.deps;
  }

  async tick(): Promise<TickResult> {
    const now = this.deps.clock.now();
    const r: TickResult = { scheduled: 0, sent: 0, skipped: 0, failed: 0, retried: 0, abandoned: 0, recovered: 0 };
    await this.resolveInterrupted(new Date(now.getTime() - (this.o.staleAfterMs ?? 15 * 60_000)), r);
    r.scheduled = await this.schedule(now);
    if (now.getTime() >= this.pausedUntil) await this.sendPending(r);
    return r;
  }

  /** Writes the delivery rows that are due. Returns how many were new. */
  async schedule(now: Date): Promise<number> {
    const { store, log } = this.deps;
    let created = 0;
    for (const ws of await store.digests.listWorkspaces(this.o.platform)) {
      try {
        const members = await store.repos.listMembers(ws.id);
        for (const m of members) {
          const kinds = [
            ...(isDigestManager(m, members) ? ['manager' as const] : []),
            ...(isNudgedRep(m) ? ['rep' as const] : []),
          ];
          if (!kinds.length) continue;
          const local = DateTime.fromJSDate(now).setZone(memberZone(ws, m));
          if (!local.isValid) continue;
          if (!ws.digestWeekends && local.weekday >= 6) continue;
          // String compare of HH:mm: a time skipped by a DST jump fires at the first minute after it.
          if (local.toFormat('HH:mm') < (m.digestTime ?? ws.digestTime)) continue;
          for (const kind of kinds) {
            const last = await store.digests.lastSentDelivery(m.id, kind);
            const since = last?.until ?? new Date(now.getTime() - DAY);
            if (
              await store.digests.ensureDelivery({
                workspaceId: ws.id,
                recipientId: m.id,
                kind,
                period: local.toISODate()!,
                since,
              })
            )
              created++;
          }
        }
      } catch (e) {
        log.error({ err: e, workspace: ws.id }, 'digest scheduling failed for a workspace');
      }
    }
    return created;
  }

  /** A `sending` row outlived its sender: did the DM arrive? Only a platform that can tell lets
   * it be sent again; otherwise it ends failed, never sent twice. */
  private async resolveInterrupted(before: Date, r: TickResult) {
    const { store, log, clock } = this.deps;
    const platform = this.deps.platforms.get(this.o.platform);
    for (const d of await store.digests.listStaleSending(this.o.platform, before)) {
      try {
        const ws = await store.repos.findWorkspaceById(d.workspaceId);
        const member = ws && (await store.repos.findMemberById(ws.id, d.recipientId));
        if (!ws || !member || !platform.wasDelivered) {
          await store.digests.finishDelivery(d.id, {
            status: 'failed',
            error: 'interrupted while sending; not resent to avoid a duplicate',
          });
          r.abandoned++;
          continue;
        }
        const arrived = await platform.wasDelivered(
          { platform: ws.platform, externalId: ws.externalId },
          member.externalId,
          d.id,
        );
        if (arrived) {
          await store.digests.finishDelivery(d.id, { status: 'sent', sentAt: clock.now(), until: d.claimedAt });
          r.recovered++;
        } else await store.digests.finishDelivery(d.id, { status: 'pending', error: 'interrupted; not delivered' });
      } catch (e) {
        log.warn(
          { err: e, delivery: d.id },
          'could not tell whether an interrupted digest arrived; asking again later',
        );
      }
    }
  }

  private async sendPending(r: TickResult) {
    const { store } = this.deps;
    const sleep = this.o.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms)));
    for (;;) {
      if (this.deps.clock.now().getTime() < this.pausedUntil) return;
      const [d] = await store.digests.claimDeliveries(this.o.platform, this.instanceId, this.deps.clock.now(), 1);
      if (!d) return;
      r[await this.sendOne(d)]++;
      if (this.o.paceMs) await sleep(this.o.paceMs);
    }
  }

  private async sendOne(d: DigestDelivery): Promise<'sent' | 'skipped' | 'failed' | 'retried'> {
    const { store, log, clock } = this.deps;
    const platform = this.deps.platforms.get(this.o.platform);
    try {
      const ws = await store.repos.findWorkspaceById(d.workspaceId);
      const member = ws && (await store.repos.findMemberById(ws.id, d.recipientId));
      if (!ws || !member) {
        await store.digests.finishDelivery(d.id, { status: 'failed', error: 'recipient no longer exists' });
        return 'failed';
      }
      const now = clock.now();
      const pictures: FunnelPictureRequest[] = [];
      const message =
        d.kind === 'manager'
          ? await composeManagerDigest(this.deps, ws, member, d.since, now, { pictures })
          : await composeRepNudge(this.deps, ws, member, now);
      if (!message) {
        await store.digests.finishDelivery(d.id, { status: 'sent', until: now, error: 'nothing to send' });
        return 'skipped';
      }
      // The delivery id travels with the DM, so after a crash the platform can say whether it arrived.
      await platform.dm({ platform: ws.platform, externalId: ws.externalId }, member.externalId, message, {
        key: d.id,
      });
      await store.digests.finishDelivery(d.id, { status: 'sent', sentAt: clock.now(), until: now });
      // The weekly funnel picture after the text, best effort: the digest counts as sent already, so
      // a failed upload (logged) never sends the digest twice; the text carries the same numbers.
      await postPictures(
        this.deps,
        { platform: ws.platform, externalId: ws.externalId },
        { userId: member.externalId },
        pictures,
      );
      return 'sent';
    } catch (e) {
      const retryable = e instanceof PlatformError && (e.code === 'rate_limited' || e.code === 'network');
      if (e instanceof PlatformError && e.code === 'rate_limited')
        this.pausedUntil = clock.now().getTime() + (e.retryAfterSeconds ?? 30) * 1000;
      const again = retryable && d.attempts < (this.o.maxAttempts ?? 5);
      log.warn({ err: e, delivery: d.id, again }, 'digest delivery failed');
      await store.digests.finishDelivery(d.id, {
        status: again ? 'pending' : 'failed',
        error: e instanceof Error ? e.message : String(e),
      });
      return again ? 'retried' : 'failed';
    }
  }
}
