// What `/healthz` reports: is the database reachable, and is received work being done? A bot that
// acks commands it cannot store, or that stopped working its queues, must fail its health check so
// the load balancer or orchestrator takes it out and restarts it.
import type { Deps } from './context.ts';

/** Older than this, an unprocessed command means the workers are stuck (they take seconds). */
const INBOX_MAX_AGE_MS = 2 * 60_000;
/** Steps wait out rate limits and backoff (minutes at most) before they end one way or the other. */
const OUTBOX_MAX_AGE_MS = 15 * 60_000;

export interface Health {
  ok: boolean;
  database: 'up' | 'down';
  /** Seconds since the oldest unprocessed command / platform step was written (null: none). */
  oldestInboxSeconds: number | null;
  oldestOutboxSeconds: number | null;
}

export async function checkHealth(deps: Deps, timeoutMs = 2000): Promise<Health> {
  const now = deps.clock.now().getTime();
  const age = (d: Date | null) => (d ? Math.max(0, Math.round((now - d.getTime()) / 1000)) : null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const [inbox, outbox] = await Promise.race([
      Promise.all([deps.store.repos.oldestPendingInbound(), deps.store.repos.oldestPendingStep()]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('database did not answer')), timeoutMs);
      }),
    ]);
    const h: Health = {
      ok: true,
      database: 'up',
      oldestInboxSeconds: age(inbox),
      oldestOutboxSeconds: age(outbox),
    };
    h.ok =
      (h.oldestInboxSeconds ?? 0) * 1000 <= INBOX_MAX_AGE_MS &&
      (h.oldestOutboxSeconds ?? 0) * 1000 <= OUTBOX_MAX_AGE_MS;
    return h;
  } catch (e) {
    deps.log.error({ err: e }, 'health check: database unreachable');
    return { ok: false, database: 'down', oldestInboxSeconds: null, oldestOutboxSeconds: null };
  } finally {
    clearTimeout(timer);
  }
}
