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
