// Chinese and English are both first-class: every sentence exists in both, with the same params.
import { describe, expect, it } from 'vitest';
import type { Inline } from '../../src/app/message.ts';
import { allKeys, type Params, t } from '../../src/i18n/index.ts';

/** Params whose every value is a part (a mention of `PARAM_<name>`). */
const asParts = () => new Proxy({}, { get: (_, p) => ({ type: 'user', id: `PARAM_${String(p)}` }) }) as Params;
const ids = (parts: readonly Inline[]) =>
  parts.flatMap((p) => (typeof p === 'object' && p.type === 'user' ? [p.id] : [])).sort();

describe('message catalogs', () => {
  it('every English key has a Chinese sentence and vice versa', () => {
    expect(allKeys('zh').sort()).toEqual(allKeys('en').sort());
  });

  it.each(allKeys('en'))('%s uses the same params in both languages', (key) => {
    expect(ids(t('zh', key, asParts()))).toEqual(ids(t('en', key, asParts())));
  });

  // A sentence that put a param into a plain template literal would print "[object Object]" (a
  // part) or "a,b" (a list of parts) instead of the mention: every param must stay a part.
  it.each(allKeys('en').flatMap((k) => [['en', k] as const, ['zh', k] as const]))(
    '%s %s keeps every param as a part',
    (locale, key) => {
      const out = t(locale, key, asParts());
      expect(out.filter((p) => typeof p === 'string' && /\[object |PARAM_/.test(p))).toEqual([]);
      // a param made into a command or emphasis keeps its own text
      expect(out.filter((p) => typeof p === 'object' && 'text' in p && /\[object /.test(p.text))).toEqual([]);
    },
  );
});
