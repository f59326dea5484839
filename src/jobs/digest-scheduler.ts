// Morning digests, exactly once. Every tick (each minute) this
//  1. turns deliveries stuck in `sending` after a crash into `failed` (never resent: twice is worse),
//  2. writes today's delivery row for each person whose local digest time has passed (a unique key
//     per person, kind and local date: a bot that was down at 08:30 catches up the same day, and
//     replicas on one PostgreSQL agree on one row),
//  3. claims pending rows (SKIP LOCKED: one replica per row), composes, sends, marks them sent.
// Work fans out per workspace and per person: one failure never stops the rest.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Deps } from '../app/context.ts';
import { composeManagerDigest, composeRepNudge, isDigestManager, isNudgedRep, memberZone } from '../app/digests.ts';
import type { DigestDelivery } from '../app/ports.ts';
import { PlatformError } from '../domain/errors.ts';
import type { PlatformKind } from '../domain/model.ts';

const DAY = 86_400_000;

export interface DigestSchedulerOptions {
  deps: Deps;
  /** The platform whose workspaces this scheduler serves (one scheduler per registered platform). */
  platform: PlatformKind;
  instanceId?: string;
  batch?: number;
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
}

export class DigestScheduler {
  readonly instanceId: string;
  private pausedUntil = 0;
  constructor(private readonly o: DigestSchedulerOptions) {
    this.instanceId = o.instanceId ?? `dealroom-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  private get deps() {
    return this.o.deps;
  }

  async tick(): Promise<TickResult> {
    const now = this.deps.clock.now();
    const r: TickResult = { scheduled: 0, sent: 0, skipped: 0, failed: 0, retried: 0, abandoned: 0 };
    r.abandoned = await this.deps.store.digests.abandonStaleSending(
      new Date(now.getTime() - (this.o.staleAfterMs ?? 15 * 60_000)),
    );
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

  private async sendPending(r: TickResult) {
    const { store } = this.deps;
    const batch = this.o.batch ?? 20;
    for (;;) {
      const claimed = await store.digests.claimDeliveries(
        this.o.platform,
        this.instanceId,
        this.deps.clock.now(),
        batch,
      );
      for (const d of claimed) {
        const outcome = await this.sendOne(d);
        r[outcome]++;
        if (this.o.paceMs) await (this.o.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms))))(this.o.paceMs);
      }
      if (claimed.length < batch || this.deps.clock.now().getTime() < this.pausedUntil) return;
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
      const message =
        d.kind === 'manager'
          ? await composeManagerDigest(this.deps, ws, member, d.since, now)
          : await composeRepNudge(this.deps, ws, member, now);
      if (!message) {
        await store.digests.finishDelivery(d.id, { status: 'sent', until: now, error: 'nothing to send' });
        return 'skipped';
      }
      await platform.dm({ platform: ws.platform, externalId: ws.externalId }, member.externalId, message);
      await store.digests.finishDelivery(d.id, { status: 'sent', sentAt: clock.now(), until: now });
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
