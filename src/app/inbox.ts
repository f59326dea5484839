// The durable inbox: a delivery the platform was told "received" is never lost.
//
// Design
// - An adapter's listener (src/platforms/slack/listeners/) turns each delivery (slash command,
//   button, form submission) into an InboundCommand and calls `receive` BEFORE it acknowledges:
//   the row is written (well inside Slack's 3 seconds) or the delivery is not acked and the
//   platform retries it. The row's key (Slack's trigger id, the view id) makes a redelivery a no-op.
// - An InboxPool processes rows with bounded concurrency (a burst waits in order instead of
//   failing on a busy database), one lane at a time per person and workspace (their commands keep
//   their order; other people's run alongside). Rows are leased while they run; a row whose process
//   died is taken up when its lease ends, or at start-up (src/main.ts).
// - Processing is `handleCommand` (one transaction per change, the platform side effects in the
//   outbox: src/app/outbox.ts) and then the answer: through the delivery's reply handle while it is
//   valid (Slack's response_url: 30 minutes), else by DM. Running a row twice changes nothing
//   twice: the command's receipt keeps its first answer, which the second run sends again.
// What crosses the boundaries: adapter → app: InboundCommand (neutral: an Invocation and where to
// answer); app → store: rows with a JSON payload; app → platform: respond / dm / publishHome.
import type { Deps, Invocation } from './context.ts';
import { handleCommand, type Reply } from './dispatch.ts';
import type { Message } from './message.ts';
import { postPictures } from './pictures.ts';
import type { InboundEntry, WorkspaceRef } from './ports.ts';
import { PROCESS_ID } from './process-id.ts';
import { buildHome } from './use-cases/home.ts';
import { type InboundFile, receiveFile } from './use-cases/uploads.ts';

/** How long a platform's reply handle stays usable (Slack: 30 minutes). */
const REPLY_HANDLE_TTL_MS = 30 * 60_000;
const MAX_ATTEMPTS = 5;

export interface InboundCommand {
  inv: Invocation & { requestKey: string };
  /** How the speaker hears back: `respond` (reply handle, else DM), `form` (DM when it failed or
   * has no room to show it), `home` (refresh their home view). */
  answer: { via: 'respond' | 'form' | 'home'; handle?: string };
}

/** Every kind of delivery the inbox keeps: a command (typed, clicked, submitted) or files sent to
 * the bot (src/app/use-cases/uploads.ts). */
export type Inbound = InboundCommand | InboundFile;

/** Writes a delivery before it is acknowledged. False: a redelivery of one already received (ack
 * it and do nothing: the first one answers). Throws when the database cannot take it: do not ack. */
export async function receive(deps: Deps, d: Inbound): Promise<boolean> {
  const who = 'kind' in d ? d : { ...d.inv, ws: d.inv.ws };
  const { fresh } = await deps.store.repos.receiveInbound(
    {
      platform: who.ws.platform,
      key: who.requestKey,
      // One lane per person: a file and the `import confirm` after it run in the order they came.
      lane: `${who.ws.externalId}:${who.userId}`,
      payload: d as unknown as Record<string, unknown>,
    },
    deps.clock.now(),
  );
  return fresh;
}

/** Runs one received command and answers the speaker, unless `take` takes the reply (a listener
 * that answers within the delivery's own request: Lark's card-click toast). */
async function processEntry(deps: Deps, entry: InboundEntry, take?: (r: Reply) => boolean): Promise<void> {
  const delivery = entry.payload as unknown as Inbound;
  if ('kind' in delivery) return receiveFile(deps, delivery, `answer:${entry.key}`);
  const { inv, answer } = delivery;
  const reply = await handleCommand(deps, inv);
  if (take?.(reply)) return;
  const ws: WorkspaceRef = { platform: inv.ws.platform, externalId: inv.ws.externalId };
  const platform = deps.platforms.get(ws.platform);
  if (answer.via === 'home') {
    if (platform.publishHome) await platform.publishHome(ws, inv.userId, await buildHome(deps, ws, inv.userId));
    return;
  }
  if (!reply.message) return;
  // An answer DM is keyed by its delivery: a row run again after a crash answers with the same key,
  // which a platform that de-duplicates by key (Lark's uuid) sends once.
  const dmKey = { key: `answer:${entry.key}` };
  if (answer.via === 'form') {
    if (!reply.ok || !reply.roomId) await platform.dm(ws, inv.userId, reply.message, dmKey);
    return;
  }
  const fresh = deps.clock.now().getTime() - entry.receivedAt.getTime() < REPLY_HANDLE_TTL_MS;
  if (answer.handle && platform.respond && fresh) await platform.respond(ws, answer.handle, reply.message);
  else await platform.dm(ws, inv.userId, reply.message as Message, dmKey);
  // The funnel picture of `pipeline`, after the text, in the speaker's DM: like the text answer it
  // shows only what the speaker may see, so it never goes where others would read it (a deal room).
  await postPictures(deps, ws, { userId: inv.userId }, reply.pictures);
}

export interface InboxPoolOptions {
  deps: Deps;
  /** Commands processed at once by this process. */
  concurrency?: number;
  leaseMs?: number;
  /** Look for rows left by another process this often when idle. */
  pollMs?: number;
}

/** Bounded workers fed from the inbox. `wake` after a receive; `stop` finishes what is running. */
export class InboxPool {
  readonly claimer = PROCESS_ID;
  private running = 0;
  private stopping = false;
  private claiming = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private waiters: (() => void)[] = [];
  private readonly takers = new Map<string, (r: Reply) => boolean>();
  constructor(private readonly o: InboxPoolOptions) {}

  private get deps() {
    return this.o.deps;
  }

  start(): this {
    this.wake();
    return this;
  }

  /** Claims rows for free workers; called after each receive and whenever a worker frees up. */
  wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    void this.fill().finally(() => {
      this.claiming = false;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.settle();
    });
  }

  private async fill(): Promise<void> {
    const free = (this.o.concurrency ?? 4) - this.running;
    if (free <= 0) return;
    let rows: InboundEntry[];
    try {
      rows = await this.deps.store.repos.claimInbound(
        this.claimer,
        this.deps.clock.now(),
        this.o.leaseMs ?? 60_000,
        free,
      );
    } catch (e) {
      this.deps.log.error({ err: e }, 'inbox claim failed');
      rows = [];
    }
    for (const row of rows) this.spawn(row);
    if (!this.stopping && !this.running) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.wake(), this.o.pollMs ?? 1000);
      this.timer.unref?.();
    }
  }

  private spawn(row: InboundEntry) {
    this.running++;
    const work = this.runOne(row).finally(() => {
      this.running--;
      this.inFlight.delete(work);
      this.wake();
    });
    this.inFlight.add(work);
  }

  /** Waits up to `ms` for this pool to process the received command with this key, and takes its
   * reply: the caller shows it (Lark answers a card click with a toast within 3 s), so the pool
   * sends no other answer. Null when it was not done in time (or another process took the row):
   * the row's own answer mode then applies. Call before `receive`, so a fast worker cannot finish
   * first. */
  awaitReply(key: string, ms: number): { reply: Promise<Reply | null>; cancel: () => void } {
    let settle: (r: Reply | null) => void = () => {};
    const reply = new Promise<Reply | null>((r) => {
      settle = r;
    });
    const timer = setTimeout(() => cancel(), ms);
    const cancel = () => {
      clearTimeout(timer);
      if (this.takers.get(key) === take) this.takers.delete(key);
      settle(null);
    };
    const take = (r: Reply) => {
      clearTimeout(timer);
      this.takers.delete(key);
      settle(r);
      return true;
    };
    this.takers.set(key, take);
    return { reply, cancel };
  }

  private async runOne(row: InboundEntry): Promise<void> {
    const { store, clock, log } = this.deps;
    try {
      // Asked once the reply is there: a listener that stopped waiting no longer takes it.
      await processEntry(this.deps, row, (r) => this.takers.get(row.key)?.(r) ?? false);
      await store.repos.finishInbound(row.id, this.claimer, { status: 'done', doneAt: clock.now() });
    } catch (e) {
      // handleCommand answers every user error itself; what reaches here is the database or the
      // answer's delivery failing. The row stays pending (its lease runs out) unless it keeps failing.
      log.error({ err: e, entry: row.id, attempts: row.attempts }, 'inbound command failed');
      if (row.attempts >= MAX_ATTEMPTS)
        await store.repos
          .finishInbound(row.id, this.claimer, {
            status: 'failed',
            error: e instanceof Error ? e.message : String(e),
            doneAt: clock.now(),
          })
          .catch(() => {});
    }
  }

  private settle() {
    if (this.running || this.claiming) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once nothing is running and the last look found nothing to claim (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.running && !this.claiming) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Finishes what was received (for up to `drainMs`), then takes nothing new and resolves when
   * the commands in progress are done. What is left stays in the inbox for the next start. */
  async stop(drainMs = 20_000): Promise<void> {
    if (!this.stopping) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      this.wake();
      await Promise.race([
        this.idle(),
        new Promise<void>((r) => {
          timer = setTimeout(r, drainMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
