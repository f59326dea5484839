// Every example `help <command>` teaches parses as the command it illustrates, in both languages.
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/commands/examples.ts';
import { parseCommand } from '../../src/commands/parse.ts';
import { USAGE } from '../../src/commands/usage.ts';

const ctx = { now: new Date('2026-11-23T10:00:00Z'), timezone: 'Asia/Shanghai' };
const rows = (['en', 'zh'] as const).flatMap((lang) =>
  Object.entries(EXAMPLES[lang]).flatMap(([name, texts]) => texts.map((text) => [lang, name, text] as const)),
);

describe('help examples', () => {
  it('every command has examples in both languages', () => {
    for (const lang of ['en', 'zh'] as const)
      expect(Object.keys(EXAMPLES[lang]).sort()).toEqual(Object.keys(USAGE).sort());
  });
  it.each(rows)('%s %s: %s', (_lang, name, text) => {
    const r = parseCommand(text, ctx);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    // `#12` alone is `info`; everything else is the command it illustrates.
    if (r.ok) expect(r.command.name).toBe(name);
  });
});
