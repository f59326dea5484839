// CSV import sentences exist in English and Chinese with the same params (like the main catalogs).
import { describe, expect, it } from 'vitest';
import { csvMessages, csvText } from '../../src/i18n/csv-messages.ts';
import { textOf } from '../../src/platforms/console/render-text.ts';

describe('CSV message catalogs', () => {
  it('every English key has a Chinese sentence and vice versa', () => {
    expect(Object.keys(csvMessages.zh).sort()).toEqual(Object.keys(csvMessages.en).sort());
  });

  it.each(Object.keys(csvMessages.en))('%s uses the same params in both languages', (key) => {
    const params = new Proxy({}, { get: (_, p) => `⟦${String(p)}⟧` }) as Record<string, string>;
    const placeholders = (s: string) => [...s.matchAll(/⟦([a-z_]+)⟧/gi)].map((m) => m[1]).sort();
    expect(placeholders(textOf(csvText('zh', key, params)))).toEqual(placeholders(textOf(csvText('en', key, params))));
  });
});
