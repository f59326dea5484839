// Chinese and English are both first-class: every sentence exists in both, with the same params.
import { describe, expect, it } from 'vitest';
import { allKeys, t } from '../../src/i18n/index.ts';

describe('message catalogs', () => {
  it('every English key has a Chinese sentence and vice versa', () => {
    expect(allKeys('zh').sort()).toEqual(allKeys('en').sort());
  });

  it.each(allKeys('en'))('%s uses the same params in both languages', (key) => {
    const params = new Proxy({}, { get: (_, p) => `⟦${String(p)}⟧` }) as Record<string, string>;
    const placeholders = (s: string) => [...s.matchAll(/⟦([a-z_]+)⟧/gi)].map((m) => m[1]).sort();
    expect(placeholders(t('zh', key, params))).toEqual(placeholders(t('en', key, params)));
  });
});
