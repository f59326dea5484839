// Typos are caught, never saved: option keys, verbs and fields one slip away get "did you mean".
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.ts';
import type { ParseContext } from '../../src/commands/types.ts';
import { closestTypo, typoDistance } from '../../src/domain/fuzzy.ts';
import { parseMessages } from '../../src/i18n/parse-messages.ts';
import { textOf } from '../../src/platforms/console/render-text.ts';

const ctx: ParseContext = { now: new Date('2026-11-23T10:00:00Z'), timezone: 'Asia/Shanghai' };
const say = (lang: 'en' | 'zh', text: string) => {
  const r = parseCommand(text, ctx);
  if (r.ok) throw new Error(`expected a refusal for ${text}`);
  return textOf(parseMessages[lang][r.error.key](r.error.params));
};

describe('typo distance', () => {
  it.each([
    ['nwe', 'new', 1],
    ['propsal', 'proposal', 1],
    ['negociation', 'negotiation', 1],
    ['amout', 'amount', 1],
    ['abc', 'cab', 2],
    ['new', 'new', 0],
  ])('%s ~ %s = %i', (a, b, d) => expect(typoDistance(a, b)).toBe(d));

  it.each([
    ['amout', ['amount', 'close'], 'amount'],
    ['negociation', ['negotiation', 'proposal'], 'negotiation'],
    ['clse', ['amount', 'close'], 'close'],
    ['amount', ['amount'], undefined], // exact is not a typo
    ['colour', ['amount', 'close'], undefined],
    ['x'.repeat(100), ['x'], undefined],
  ])('closest to %s', (input, words, expected) => expect(closestTypo(input, words)).toBe(expected));
});

describe('a mistyped option is refused, never saved into the text', () => {
  it.each([
    ['new Acme | ERP amout:120k', 'en', "“amout:” isn't an option of new. Did you mean amount:? Nothing was saved."],
    ['new Acme | ERP clse:friday', 'en', 'Did you mean close:?'],
    [
      'new Acme | ERP foo:bar',
      'en',
      "“foo:” isn't an option of new (options: amount:, close:, process:). Nothing was saved.",
    ],
    ['contact Jane rol:dm', 'en', 'Did you mean role:?'],
    ['action @bob send deck deu:friday', 'en', 'Did you mean due:?'],
    ['log called nxt:friday', 'en', 'Did you mean next:?'],
    ['新建 华为 | 云迁移项目 金頟:12万', 'zh', '没有“金頟:”这个选项。你是想写 金额: 吗？未保存任何内容。'],
    [
      '新建 华为 | 云迁移项目 阶段:方案',
      'zh',
      '没有“阶段:”这个选项（可用：金额:、成交:，或 amount:, close:, process:）',
    ],
    ['set amout 120k', 'en', "“amout” isn't a field I can set. Did you mean amount?"],
    ['set amout 120k', 'zh', '你是想设置 amount 吗？'],
  ])('%s', (text, lang, sentence) => {
    expect(say(lang as 'en' | 'zh', text)).toContain(sentence);
  });

  it.each([
    // Chinese close-date words, and colons that are not options, stay as they were.
    [
      '新建 华为 | 云迁移项目 金额:12万 结单:下周五',
      { title: '云迁移项目', close: '2026-12-04', amount: { value: '120000' } },
    ],
    ['new Acme | "ERP amout:120k"', { title: 'ERP amout:120k' }],
    ['new Acme | Kickoff at 10:30', { title: 'Kickoff at 10:30' }],
    ['new Acme | Portal https://acme.example/erp', { title: 'Portal https://acme.example/erp' }],
  ])('%s', (text, fields) => {
    const r = parseCommand(text, ctx);
    expect(r.ok && r.command).toMatchObject({ name: 'new', ...fields });
  });

  it('free text of notes keeps colons that are no near miss of a key', () => {
    const r = parseCommand('log CFO:yes, budget:approved next:friday', ctx);
    expect(r.ok && r.command).toMatchObject({ note: 'CFO:yes, budget:approved', next: '2026-11-27' });
  });
});

describe('verbs one slip away get a suggestion, in both languages', () => {
  it.each([
    ['nwe Acme | ERP', 'new'],
    ['neww Acme | ERP', 'new'],
    ['stge proposal', 'stage'],
    ['histroy', 'history'],
    ['新减 华为 | 云', 'new'],
  ])('%s → %s', (text, verb) => {
    const r = parseCommand(text, ctx);
    expect(!r.ok && r.error.params.suggestion).toBe(verb);
    expect(say('en', text)).toContain(`Did you mean “${verb}”?`);
    expect(say('zh', text)).toContain(`你是想用“${verb}”吗？`);
  });
});
