// Every renderer of the neutral message model, fed what people paste: literal text never becomes a
// special mention, a masked link, or a mention inside a label; every cut keeps the text valid and
// inside Slack's limits (checked by the same Block Kit checker the fake Slack Web API uses).
import { describe, expect, it } from 'vitest';
import {
  type Block,
  command,
  type Message,
  mention,
  roomLink,
  strong,
  type Text,
  userText,
  webLink,
} from '../../src/app/message.ts';
import { renderText, textOf } from '../../src/platforms/console/render-text.ts';
import { LIMITS as LARK, toLarkCard } from '../../src/platforms/lark/card.ts';
import { LIMITS, toBlockKit } from '../../src/platforms/slack/block-kit.ts';
import { cutMrkdwn, toMrkdwn } from '../../src/platforms/slack/mrkdwn.ts';
import { cardErrors } from '../fakes/fake-lark-state.ts';
import { blockErrors } from '../fakes/fake-slack-state.ts';
import { HOSTILE } from '../fixtures/hostile-text.ts';

/** Slack syntax in rendered mrkdwn: only `<@U…>` and `<#C…>` from parts may appear, never a
 * special mention (`<!…>`), a link (`<http…>`) or a token with a label (`|`). */
const tokens = (mrkdwn: string) => [...mrkdwn.matchAll(/<[^>]*>/g)].map((m) => m[0]);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every mrkdwn text of a Block Kit payload, and its `text` fallback (which Slack also parses).
 * plain_text objects are shown as they are: Slack reads no markup in them. */
function texts(kit: ReturnType<typeof toBlockKit>): string[] {
  const out = [kit.text];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      else if (o.type === 'plain_text') return;
      else Object.values(o).forEach(walk);
    }
  };
  walk(kit.blocks);
  return out;
}

/** One message that puts `s` into every text slot the model has. */
function everywhere(s: string): Message {
  const t: Text = userText(s);
  const blocks: Block[] = [
    { type: 'header', text: s },
    { type: 'text', text: t },
    { type: 'fields', fields: [{ label: s, value: t }] },
    { type: 'items', items: [{ text: t, button: { actionId: 'a', label: s, value: '1:1' } }] },
    { type: 'list', title: s, items: [t, t], more: t },
    { type: 'context', text: [strong(s), ' ', ...t] },
    { type: 'select', actionId: 's', placeholder: s, options: [{ label: s, value: 'v' }] },
    { type: 'progress', steps: [{ label: s, state: 'current' }] },
  ];
  return { text: t, blocks };
}

describe('Slack: user text can never become Slack syntax', () => {
  it.each(HOSTILE)('%s', (s) => {
    const kit = toBlockKit(everywhere(s));
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    for (const text of texts(kit)) {
      // `<@U1|<!channel>>` is not the mention notation (a label cannot hold `<`): all literal.
      expect(tokens(text)).toEqual([]);
      expect(text).not.toMatch(/<!|<http|<mailto/);
    }
  });

  it('a person named in free text stays one live mention; its label is dropped', () => {
    const kit = toBlockKit({ text: userText('call <@U2|Bob <!here>> or <@U2|Bob !here> and <@W3> today'), blocks: [] });
    expect(kit.text).toBe('call &lt;@U2|Bob &lt;!here&gt;&gt; or <@U2> and <@W3> today');
  });

  it('parts render as Slack syntax only with valid ids and safe URLs', () => {
    expect(toMrkdwn([mention('U1'), ' ', mention('!channel'), ' ', mention('U1|x')])).toBe('<@U1> @!channel @U1|x');
    expect(toMrkdwn([roomLink('C9'), ' ', roomLink('deal-acme')])).toBe('<#C9> #deal-acme');
    expect(toMrkdwn([webLink('https://acme.example/a?b=1', 'Report <Q3>')])).toBe(
      '<https://acme.example/a?b=1|Report &lt;Q3&gt;>',
    );
    expect(toMrkdwn([webLink('javascript:alert(1)', 'x'), ' ', webLink('https://a.example/|<!here>')])).toBe(
      'x https://a.example/|&lt;!here&gt;',
    );
    expect(toMrkdwn(['move it: ', command('stage proposal')])).toBe('move it: `/deal stage proposal`');
    expect(toMrkdwn([strong(' Proposal '), strong('a*b'), strong('')])).toBe(' *Proposal* a*b');
  });
});

describe('Slack: cuts keep text valid and inside the limits', () => {
  it('cuts after escaping and never inside an entity (a contact of 200 `&` fits a field)', () => {
    const kit = toBlockKit({
      text: '&'.repeat(200),
      blocks: [{ type: 'fields', fields: [{ label: 'Decision-maker', value: '&'.repeat(2000) }] }],
    });
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    const field = (kit.blocks[0] as { fields: { text: string }[] }).fields[0].text;
    expect(field.length).toBeLessThanOrEqual(LIMITS.field);
    expect(field).toMatch(/^\*Decision-maker\*\n(&amp;)+…$/);
  });

  it.each([
    ['an entity', `${'x'.repeat(2997)}&`, /x&amp;|x…$/],
    ['a surrogate pair', `${'x'.repeat(2998)}😀😀`, /x…$/],
    ['a mention token', `${'x'.repeat(2995)}`, /x…$/],
  ])('never inside %s', (_, s, end) => {
    const out = cutMrkdwn(toMrkdwn([...userText(s), mention('U12345')]), 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out).toMatch(end);
    expect(out).not.toMatch(LONE_SURROGATE);
    expect(out).not.toMatch(/&(?!amp;|lt;|gt;)|<[^>]*$/);
  });

  it('a list longer than a section keeps its title and its "…and N more" inside 3,000 characters', () => {
    const items = Array.from({ length: 5 }, (_, i) => `${i} ${'long action text '.repeat(120)}`); // ~2k each
    const kit = toBlockKit({
      text: 'digest',
      blocks: [{ type: 'list', title: 'Overdue actions', items, more: '…and 7 more' }],
    });
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    const text = (kit.blocks[0] as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(text.startsWith('*Overdue actions*\n• 0 long')).toBe(true);
    expect(text.endsWith('\n…and 7 more')).toBe(true);
    expect(text.split('\n• ')).toHaveLength(6); // every item still there, each cut to its share
  });

  it('keeps every limit of controls: labels, option counts, bad values dropped rather than sent', () => {
    const long = '長'.repeat(300);
    const kit = toBlockKit({
      text: long,
      blocks: [
        { type: 'header', text: long },
        {
          type: 'select',
          actionId: 'stage',
          placeholder: long,
          options: Array.from({ length: 130 }, (_, i) => ({ label: `${long}${i}`, value: `v${i}` })),
        },
        {
          type: 'buttons',
          buttons: [
            { actionId: 'ok', label: long, value: '1' },
            { actionId: 'x'.repeat(256), label: 'too long an id', value: '1' },
            { actionId: 'big', label: 'too big a value', value: 'v'.repeat(2001) },
          ],
        },
      ],
    });
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    const select = (kit.blocks[1] as { elements: { options: unknown[] }[] }).elements[0];
    expect(select.options).toHaveLength(100);
    expect((kit.blocks[2] as { elements: unknown[] }).elements).toHaveLength(1);
  });

  it('a header cut next to an emoji keeps the pair whole', () => {
    const kit = toBlockKit({ text: 'x', blocks: [{ type: 'header', text: `${'x'.repeat(148)}😀😀` }] });
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    expect((kit.blocks[0] as { text: { text: string } }).text.text).toBe(`${'x'.repeat(148)}…`);
  });

  it('more blocks than a message allows: the last one says it was cut', () => {
    const kit = toBlockKit({ text: 'x', blocks: Array.from({ length: 60 }, () => ({ type: 'divider' as const })) });
    expect(kit.blocks).toHaveLength(LIMITS.blocksPerMessage);
    expect(kit.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] });
    expect(toBlockKit({ text: 'x', blocks: Array(60).fill({ type: 'divider' }) }, 100).blocks).toHaveLength(60);
  });
});

/** Every markdown text of a Lark card, and the texts Lark shows as they are (titles, labels). */
function larkTexts(json: string): { markdown: string[]; plain: string[] } {
  const out = { markdown: [] as string[], plain: [] as string[] };
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.tag === 'markdown' && typeof o.content === 'string') out.markdown.push(o.content);
      else if (o.tag === 'plain_text' && typeof o.content === 'string') out.plain.push(o.content);
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(json));
  return out;
}

describe('Lark: user text can never become card markup', () => {
  it.each(HOSTILE)('%s', (s) => {
    const json = toLarkCard(everywhere(s));
    expect(cardErrors(json)).toEqual([]);
    const { markdown, plain } = larkTexts(json);
    expect(markdown.length).toBeGreaterThan(5);
    for (const md of markdown) {
      // No tag, link, emphasis, strike or code from literal text: only entities stand for them.
      expect(md).not.toMatch(/<|>|\[[^\]]*\]\(|~~|`/);
      expect(md.replace(/\*\*[^*]+\*\*/g, '')).not.toMatch(/\*/); // only bold the renderer made
      expect(md.length).toBeLessThanOrEqual(LARK.markdown);
    }
    // Plain-text slots show the text as typed (cut to their limit): nothing is parsed there.
    expect(plain.some((p) => p.startsWith(s.slice(0, 20)))).toBe(true);
  });

  it('a person named in free text stays one live mention; a group mention never does', () => {
    const json = toLarkCard({ text: 'x', blocks: [{ type: 'text', text: userText('call <@ou_2|Bob> and <@all>') }] });
    expect(larkTexts(json).markdown).toEqual(['call <at id=ou_2></at> and @all']);
  });

  it('a long list keeps its title and its "…and N more" within a markdown component', () => {
    const items = Array.from({ length: 5 }, (_, i) => `${i} ${'长的待办 & '.repeat(400)}`);
    const json = toLarkCard({
      text: 'digest',
      blocks: [{ type: 'list', title: 'Overdue', items, more: '…and 7 more' }],
    });
    expect(cardErrors(json)).toEqual([]);
    const [md] = larkTexts(json).markdown;
    expect(md.length).toBeLessThanOrEqual(LARK.markdown);
    expect(md.startsWith('**Overdue**\n• 0 ')).toBe(true);
    expect(md.endsWith('\n…and 7 more')).toBe(true);
    expect(md.split('\n• ')).toHaveLength(6);
    expect(md).not.toMatch(/&(?!amp;|#\d+;)/); // no entity cut in half
  });

  it('stays under 30 KB however much text: trailing components give way to a last "…"', () => {
    const json = toLarkCard({
      text: 'x',
      blocks: [
        {
          type: 'fields',
          fields: Array.from({ length: 10 }, (_, i) => ({ label: `f${i}`, value: '长'.repeat(6000) })),
        },
        ...Array.from({ length: 30 }, () => ({ type: 'text' as const, text: '长'.repeat(6000) })),
      ],
    });
    expect(cardErrors(json)).toEqual([]);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(LARK.bytes);
    const { markdown } = larkTexts(json);
    expect(markdown[0].startsWith('**f0**\n长')).toBe(true); // the first fields are kept, each cut
    expect(markdown[0].length).toBeLessThanOrEqual(LARK.field);
    expect(markdown.at(-1)).toBe('…');
  });
});

describe('console: parts become words, literal text stays as typed', () => {
  it.each(HOSTILE)('%s', (s) => {
    expect(textOf(s)).toBe(s);
    expect(renderText({ text: s, blocks: [{ type: 'text', text: s }] })).toBe(s);
  });

  it('shows people by name, rooms by name, commands without a prefix', () => {
    const names = (id: string) => ({ U1: 'alice' })[id] ?? id;
    expect(
      textOf(
        [mention('U1'), ' moved to ', strong('Proposal'), ' in ', roomLink('deal-acme'), '; ', command('info')],
        names,
      ),
    ).toBe('@alice moved to Proposal in #deal-acme; info');
    expect(textOf([webLink('https://a.example', 'report')])).toBe('report (https://a.example)');
  });
});
