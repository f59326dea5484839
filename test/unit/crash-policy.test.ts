// A stray error is logged and the process keeps serving (issue 11).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { keepServingOnStrayErrors, stopOnDatabaseLoss } from '../../src/crash-policy.ts';

describe('keepServingOnStrayErrors', () => {
  it('logs unhandled rejections and uncaught exceptions instead of exiting', () => {
    const proc = new EventEmitter();
    const logged: [unknown, string | undefined][] = [];
    keepServingOnStrayErrors(proc, { error: (o, m) => void logged.push([o, m]) });
    proc.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    proc.emit('uncaughtException', new Error('boom'));
    expect(logged.map(([, m]) => m)).toEqual([
      'unhandled rejection (kept serving)',
      'uncaught exception (kept serving)',
    ]);
    expect(String((logged[0][0] as { err: unknown }).err)).toContain('ssl_check');
  });

  it('stops the process (code 1) when the database is lost, after logging why', () => {
    const logged: [unknown, string | undefined][] = [];
    const stops: number[] = [];
    const lost = stopOnDatabaseLoss({ error: (o, m) => void logged.push([o, m]) }, (code) => stops.push(code));
    lost(new Error("The embedded database's worker thread exited with code 1."));
    expect(stops).toEqual([1]);
    expect(logged.map(([, m]) => m)).toEqual(['database lost: stopping']);
  });
});
