// What the process does with an error nobody caught: log it and keep serving. Node's default
// ends the process on an unhandled rejection, so one bad request in a library's detached async
// code (Bolt's receiver, Lark's adaptDefault) would take the bot down for every workspace.
// Requests in flight are unaffected; the error is logged with its stack so it gets fixed.
import type { Logger } from './app/logger.ts';

interface ProcessLike {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

export function keepServingOnStrayErrors(proc: ProcessLike, log: Pick<Logger, 'error'>) {
  proc.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection (kept serving)'));
  proc.on('uncaughtException', (error) => log.error({ err: error }, 'uncaught exception (kept serving)'));
}

/** Losing the database is not a stray error: the embedded database's worker thread stopped, so
 * nothing can be read or stored any more, and every call already fails (`database_worker_died`)
 * rather than waiting. The process stops (code 1) for its supervisor to start it again; work that
 * was acknowledged is in the durable inbox and resumes then. */
export function stopOnDatabaseLoss(log: Pick<Logger, 'error'>, stop: (code: number) => unknown) {
  return (error: Error) => {
    log.error({ err: error }, 'database lost: stopping');
    stop(1);
  };
}
