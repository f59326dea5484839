// Neutral message -> Lark interactive card, JSON 2.0.
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure
// Every message the bot sends on Lark is a card (replies, room posts, the deal card, digests), so
// one renderer keeps mentions, emphasis and escaping the same everywhere. Neutral text knows two
// conventions (src/app/message.ts): `*bold*` and `<@OPEN_ID>` mentions; everything else is the
// user's own text and is escaped, so nobody can smuggle `<at id=all></at>` or a fake link into a card.
// Card markdown: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text
import { type Block, type Button, MENTION_RE, type Message } from '../../app/message.ts';

const MAX_ELEMENTS = 150; // JSON 2.0 allows 200 components; stay clear of it
const MAX_MARKDOWN = 5000;
const MAX_PLAIN = 100; // titles, button and option labels
const MAX_BYTES = 28 * 1024; // Lark refuses cards over 30 KB

/** The value a button or select sends back in card.action.trigger (`action.value`). */
export interface CardActionValue {
  /** the neutral action id, e.g. 'action_done' */
  a: string;
  /** the button's neutral value (absent for a select: the pick is `action.option`) */
  v?: string;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
};
/** User text as literal card markdown (HTML entities are how card markdown escapes). */
export const escapeLarkMarkdown = (s: string) => s.replace(/[&<>*~`[\]]/g, (c) => ENTITIES[c]);

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
// The neutral mention token as one split group (MENTION_RE's own group would split twice).
const MENTION_SPLIT = /(<@[^>|]+(?:\|[^>]*)?>)/;

/** Neutral text -> card markdown: `<@ou_x>` -> `<at id=ou_x></at>`, `*b*` -> `**b**`, the rest escaped. */
export function toLarkMarkdown(text: string): string {
  const out = text
    .split(MENTION_SPLIT)
    .map((part, i) => {
      if (i % 2)
        return `<at id=${part
          .slice(2)
          .split(/[|>]/)[0]
          .replace(/[^A-Za-z0-9_-]/g, '')}></at>`;
      return part
        .split(/\*([^*\n]+)\*/g)
        .map((seg, j) => (j % 2 ? `**${escapeLarkMarkdown(seg)}**` : escapeLarkMarkdown(seg)))
        .join('');
    })
    .join('');
  return clip(out, MAX_MARKDOWN) || ' ';
}

/** Neutral text as plain text (titles, labels, the notification summary): mentions read `@…`. */
export const toLarkPlain = (text: string, n = MAX_PLAIN) =>
  clip(text.replace(MENTION_RE, '@…').replace(/\*([^*\n]+)\*/g, '$1'), n) || ' ';

const markdown = (text: string, size?: 'notation') => ({
  tag: 'markdown',
  content: toLarkMarkdown(text),
  ...(size ? { text_size: size } : {}),
});
const button = (b: Button) => ({
  tag: 'button',
  text: { tag: 'plain_text', content: toLarkPlain(b.label, 40) },
  type: b.style ?? 'default',
  size: 'small',
  behaviors: [{ type: 'callback', value: { a: b.actionId, v: b.value } satisfies CardActionValue }],
});
const column = (elements: unknown[], width: 'weighted' | 'auto' = 'weighted') => ({
  tag: 'column',
  width,
  ...(width === 'weighted' ? { weight: 1 } : {}),
  vertical_align: 'center',
  elements,
});
const columns = (cols: unknown[]) => ({ tag: 'column_set', flex_mode: 'none', columns: cols });
const PROGRESS = { done: '✅', current: '🔵', todo: '⚪', lost: '✖️' } as const;

function render(b: Block): unknown[] {
  switch (b.type) {
    case 'header':
      return [markdown(`*${b.text}*`)];
    case 'text':
      return [markdown(b.text)];
    case 'context':
      return [markdown(b.text, 'notation')];
    case 'divider':
      return [{ tag: 'hr' }];
    case 'fields': {
      const rows: unknown[] = [];
      for (let i = 0; i < b.fields.length; i += 2)
        rows.push(columns(b.fields.slice(i, i + 2).map((f) => column([markdown(`*${f.label}*\n${f.value}`)]))));
      return rows;
    }
    case 'progress':
      return [
        markdown(
          b.steps.map((s) => `${PROGRESS[s.state]} ${s.state === 'current' ? `*${s.label}*` : s.label}`).join('  →  '),
          'notation',
        ),
      ];
    case 'items':
      return b.items.map((i) =>
        i.button ? columns([column([markdown(i.text)]), column([button(i.button)], 'auto')]) : markdown(i.text),
      );
    case 'buttons':
      return [columns(b.buttons.map((x) => column([button(x)], 'auto')))];
    case 'select':
      return [
        {
          tag: 'select_static',
          placeholder: { tag: 'plain_text', content: toLarkPlain(b.placeholder) },
          options: b.options.map((o) => ({
            text: { tag: 'plain_text', content: toLarkPlain(o.label) },
            value: o.value,
          })),
          ...(b.options.some((o) => o.value.endsWith(`:${b.selected}`))
            ? { initial_option: b.options.find((o) => o.value.endsWith(`:${b.selected}`))!.value }
            : {}),
          behaviors: [{ type: 'callback', value: { a: b.actionId } satisfies CardActionValue }],
        },
      ];
  }
}

/** The card JSON (a string, as im.message.create and patch take it). A leading header block
 * becomes the card's title; the notification preview is the message's fallback text. */
export function toLarkCard(msg: Message): string {
  const [first, ...rest] = msg.blocks;
  const title = first?.type === 'header' ? first.text : undefined;
  let elements = (title ? rest : msg.blocks).flatMap(render);
  if (!elements.length) elements = [markdown(msg.text)];
  if (elements.length > MAX_ELEMENTS) elements = [...elements.slice(0, MAX_ELEMENTS - 1), markdown('…')];
  const card = (els: unknown[]) =>
    JSON.stringify({
      schema: '2.0',
      config: { update_multi: true, summary: { content: toLarkPlain(msg.text, 120) } },
      ...(title ? { header: { title: { tag: 'plain_text', content: toLarkPlain(title) }, template: 'blue' } } : {}),
      body: { elements: els },
    });
  let json = card(elements);
  // Too large: drop trailing components until it fits, and say so.
  while (Buffer.byteLength(json) > MAX_BYTES && elements.length > 1) {
    elements = [...elements.slice(0, Math.max(1, Math.floor(elements.length * 0.8))), markdown('…')];
    json = card(elements);
  }
  return json;
}
