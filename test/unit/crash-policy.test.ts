// A stray error is logged and the process keeps serving (issue 11).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { keepServingOnStrayErrors } from '../../src/crash-policy.ts';

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
});
