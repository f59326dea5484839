import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/app/format.ts';

describe('formatMoney (formatters kept per locale and currency)', () => {
  it.each([
    ['120000', 'USD', 'en', '$120,000'],
    ['120000.5', 'USD', 'en', '$120,000.5'],
    ['299999999999999.97', 'USD', 'en', '$299,999,999,999,999.97'],
    ['1200', 'EUR', 'en', '€1,200'],
    ['1200', 'CNY', 'zh', '¥1,200'],
    ['1200', 'USD', 'zh', 'US$1,200'],
    ['5', 'NOT-A-CODE', 'en', '5 NOT-A-CODE'],
    [null, 'USD', 'en', '—'],
  ] as const)('%s %s in %s → %s', (amount, currency, locale, expected) => {
    // Twice: the second call takes the kept formatter and must say the same.
    expect(formatMoney(amount, currency, locale)).toBe(expected);
    expect(formatMoney(amount, currency, locale)).toBe(expected);
  });

  it('an unknown currency does not spoil the next known one', () => {
    expect(formatMoney('1', 'ZZ', 'en')).toBe('1 ZZ');
    expect(formatMoney('1', 'JPY', 'en')).toBe('¥1');
  });
});
