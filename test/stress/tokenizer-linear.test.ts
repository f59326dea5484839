// The tokenizer and joiner stay linear in the input (issue 11): a 100 KB text costs about 10× a
// 10 KB one, where the quadratic versions cost 60–100×. A ratio of CPU times still moves with a
// loaded machine, so it runs here, one file at a time, not in `npm test`.
import { describe, expect, it } from 'vitest';
import { joinTokens, tokenize } from '../../src/commands/tokenize.ts';

describe('the tokenizer and joiner are linear in the input', () => {
  /** CPU time (not wall-clock: another process on the machine does not count), the best of
   * several interleaved runs of both sizes: noise only ever adds time. */
  function costs(small: () => void, big: () => void): [number, number] {
    const cpu = (fn: () => void) => {
      const t0 = process.cpuUsage();
      fn();
      const d = process.cpuUsage(t0);
      return d.user + d.system;
    };
    let [s, b] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (let k = 0; k < 9; k++) {
      s = Math.min(s, cpu(small));
      b = Math.min(b, cpu(big));
    }
    return [s, b];
  }
  const run = (text: string) => () => {
    const tokens = tokenize(text);
    joinTokens(text, tokens, tokens);
    joinTokens(
      text,
      tokens.filter((_, k) => k % 2 === 0),
      tokens,
    );
  };
  it.each([
    ['<@ runs', (n: number) => '<@'.repeat(n / 2)],
    ['a word per token', (n: number) => `log ${'a '.repeat(n / 2)}`],
    ['unclosed quotes', (n: number) => '“ '.repeat(n / 2)],
    ['unclosed links', (n: number) => '<'.repeat(n)],
    ['links across lines', (n: number) => '<a\n'.repeat(n / 3)],
    ['unclosed mention labels', (n: number) => `<@U1|${'x'.repeat(n)}`],
    ['punctuation after @', (n: number) => `@${','.repeat(n)}x`],
    ['quotes after keys', (n: number) => 'k:"'.repeat(n / 3)],
  ])('%s: 100 KB costs about 10× 10 KB, not 100×', (_name, make) => {
    const small = make(10_000);
    const big = make(100_000);
    run(small)(); // warm up the JIT
    const [s, b] = costs(run(small), run(big));
    const ratio = b / Math.max(s, 50); // µs
    // Linear work gives ~10; the quadratic versions gave 60–100+.
    expect(ratio).toBeLessThan(35);
  });
});
