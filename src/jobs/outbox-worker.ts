// The background side of the durable outbox (src/app/outbox.ts): takes up steps whose command's
// process died, steps waiting for a retry, and steps written outside a command (repairs, notices).
// One step at a time per process, so a platform's rate limit is met by one caller; `stop` lets the
// step in progress finish and takes no new one (graceful shutdown).
import type { Deps } from '../app/context.ts';
import { runSteps, type StepReport } from '../app/outbox.ts';
import { PROCESS_ID } from '../app/process-id.ts';

export interface OutboxWorkerOptions {
  deps: Deps;
  claimer?: string;
  /** Pause when nothing is due. */
  pollMs?: number;
  leaseMs?: number;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopping = false;
  constructor(private readonly o: OutboxWorkerOptions) {}

  /** Runs what is due now; returns what happened (tests call this directly). */
  tick(): Promise<StepReport[]> {
    return runSteps(this.o.deps, this.o.claimer ?? PROCESS_ID, {
      limit: 20,
      leaseMs: this.o.leaseMs,
      shouldStop: () => this.stopping,
    });
  }

  start(): this {
    const loop = async () => {
      this.timer = undefined;
      let busy = false;
      try {
        const run = this.tick();
        this.current = run;
        busy = (await run).length > 0;
      } catch (e) {
        this.o.deps.log.error({ err: e }, 'outbox worker tick failed');
      } finally {
        this.current = undefined;
      }
      if (!this.stopping) this.timer = setTimeout(loop, busy ? 0 : (this.o.pollMs ?? 1000)).unref();
    };
    this.timer = setTimeout(loop, 0).unref();
    return this;
  }

  /** No new step is taken; resolves when the step in progress is done. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => {});
  }
}
