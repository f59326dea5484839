// Neutral message (src/app/message.ts) -> Lark interactive card, JSON 2.0.
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure
// Every message the bot sends on Lark is a card (replies, room posts, the deal card, digests), so
// one renderer keeps mentions, emphasis, escaping and limits the same everywhere. A plain string
// part is literal text and is escaped, so nobody can smuggle `<at id=all></at>`, a fake link or
// formatting into a card; only structured parts become card markdown.
// Card markdown: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text
import { type Block, type Button, type Inline, type Message, partsOf, type Text } from '../../app/message.ts';
import { LARK_COMMAND } from './scopes.ts';

export const LIMITS = {
  /** JSON 2.0 allows 200 components; stay clear of it. */
  elements: 150,
  /** One markdown component's text (after escaping). */
  markdown: 5000,
  /** Titles, option labels, placeholders. */
  plain: 100,
  button: 40,
  /** Lark refuses cards over 30 KB. */
  bytes: 28 * 1024,
  fields: 10,
  /** One field's markdown (a row of two stays well inside the card's bytes, CJK included). */
  field: 2000,
  options: 100,
} as const;

/** The value a button or select sends back in card.action.trigger (`action.value`). */
export interface CardActionValue {
  /** the neutral action id, e.g. 'action_done' */
  a: string;
  /** the button's neutral value (absent for a select: the pick is `action.option`) */
  v?: string;
}

/** How a chat link opens in the client: Feishu's and Lark's AppLink hosts differ. */
export interface RenderOptions {
  /** e.g. https://applink.feishu.cn (default) or https://applink.larksuite.com */
  applink?: string;
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
  _: '&#95;',
};
/** User text as literal card markdown (HTML entities are how card markdown escapes); `# ` at the
 * start of a line would make a heading, so its `#` is escaped too. */
export const escapeLarkMarkdown = (s: string) =>
  s.replace(/[&<>*~`[\]_]/g, (c) => ENTITIES[c]).replace(/^#(?=#*\s)/gm, '&#35;');

/** Ids Lark accepts in `<at id=…>` (open_id). Anything else, `all` included, is literal text. */
const OPEN_ID = /^ou_[A-Za-z0-9_-]+$/;
const CHAT_ID = /^oc_[A-Za-z0-9_-]+$/;
/** A URL that can sit inside `[label](url)`: http(s), no spaces, no brackets or parentheses. */
const SAFE_URL = /^https?:\/\/[^\s<>()[\]]+$/i;

function bold(text: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  if (!m[2]) return escapeLarkMarkdown(text);
  return `${m[1]}**${escapeLarkMarkdown(m[2])}**${m[3]}`;
}

function inline(p: Inline, o: RenderOptions): string {
  if (typeof p === 'string') return escapeLarkMarkdown(p);
  switch (p.type) {
    case 'strong':
      return bold(p.text);
    case 'user':
      return OPEN_ID.test(p.id) ? `<at id=${p.id}></at>` : escapeLarkMarkdown(`@${p.id}`);
    case 'room':
      // Card markdown has no chat mention; an AppLink opens the chat in the client.
      // https://open.feishu.cn/document/uAjLw4CM/uYjL24iN/applink-protocol/supported-protocol/open-a-chat-page
      return CHAT_ID.test(p.id)
        ? `[💬](${o.applink ?? 'https://applink.feishu.cn'}/client/chat/open?openChatId=${p.id})`
        : escapeLarkMarkdown(`#${p.id}`);
    case 'link':
      if (!SAFE_URL.test(p.url)) return escapeLarkMarkdown(p.label ?? p.url);
      return `[${escapeLarkMarkdown(p.label ?? p.url)}](${p.url})`;
    case 'command': {
      // On Lark a command is typed as `/deal …` (or `@bot …`): shown as code when nothing in it
      // needs escaping (code spans show entities literally), else as escaped text.
      const shown = `${LARK_COMMAND} ${p.text}`.trim();
      const escaped = escapeLarkMarkdown(shown);
      return escaped === shown ? `\`${shown}\`` : escaped;
    }
  }
}

/** Neutral text as card markdown (not cut). */
export const larkMarkdown = (t: Text, o: RenderOptions = {}): string =>
  partsOf(t)
    .map((p) => inline(p, o))
    .join('');

/** Spans a cut must not split: entities, mentions, links, bold markers. */
const ATOMS = /&#?[A-Za-z0-9]+;|<at id=[^>]*><\/at>|\[[^\]\n]*\]\([^)\s]*\)|\*\*/g;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** Cuts ESCAPED card markdown to `max` characters, ending with `…` when cut: never inside an
 * entity, an `<at>` element, a link or a surrogate pair; a bold left open is closed. */
export function cutLarkMarkdown(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 3; // room for `…` and a closing `**`
  for (const m of s.matchAll(ATOMS)) {
    if (m.index >= end) break;
    if (m.index + m[0].length > end) end = m.index;
  }
  if (end > 0 && isHigh(s.charCodeAt(end - 1))) end--;
  const head = s.slice(0, end);
  const openBold = (head.match(/\*\*/g) ?? []).length % 2 === 1;
  return `${head}${openBold ? '**' : ''}…`;
}

/** Cuts plain text (no markup) to `max` characters on a code-point boundary. */
export function cutPlain(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  if (end > 0 && isHigh(s.charCodeAt(end - 1))) end--;
  return `${s.slice(0, end)}…`;
}

/** Neutral text as plain text (titles, labels, notification summary, toasts): no markup is read
 * there, so nothing is escaped; people read `@…` (a plain text cannot show a live mention). */
export function larkPlain(t: Text, max: number = LIMITS.plain): string {
  const s = partsOf(t)
    .map((p) =>
      typeof p === 'string'
        ? p
        : p.type === 'strong'
          ? p.text
          : p.type === 'user'
            ? '@…'
            : p.type === 'room'
              ? '#…'
              : p.type === 'link'
                ? (p.label ?? p.url)
                : `${LARK_COMMAND} ${p.text}`.trim(),
    )
    .join('');
  return cutPlain(s, max) || ' ';
}

/** A titled bullet list in one markdown component of at most `max` characters: the title and the
 * "…and N more" line are never cut away; items share what is left. */
function listMarkdown(b: Extract<Block, { type: 'list' }>, o: RenderOptions, max: number): string {
  const head = b.title ? bold(b.title) : '';
  const foot = b.more ? larkMarkdown(b.more, o) : '';
  const lines = b.items.map((i) => `• ${larkMarkdown(i, o)}`);
  const fixed = [head, foot].filter(Boolean);
  let room = max - fixed.reduce((n, s) => n + s.length + 1, 0) - lines.length;
  if (lines.reduce((n, s) => n + s.length, 0) > room) {
    const order = lines.map((l, i) => ({ i, n: l.length })).sort((a, b) => a.n - b.n);
    const allowance = new Map<number, number>();
    order.forEach(({ i, n }, k) => {
      const share = Math.max(4, Math.floor(room / (order.length - k)));
      allowance.set(i, Math.min(n, share));
      room -= Math.min(n, share);
    });
    lines.forEach((l, i) => {
      lines[i] = cutLarkMarkdown(l, allowance.get(i)!);
    });
  }
  return cutLarkMarkdown([head, ...lines, foot].filter(Boolean).join('\n'), max);
}

const PROGRESS = { done: '✅', current: '🔵', todo: '⚪', lost: '✖️' } as const;

function renderer(o: RenderOptions) {
  const markdown = (t: Text | string, size?: 'notation', max: number = LIMITS.markdown) => ({
    tag: 'markdown',
    content: cutLarkMarkdown(typeof t === 'string' ? t : larkMarkdown(t, o), max) || ' ',
    ...(size ? { text_size: size } : {}),
  });
  const md = (t: Text) => larkMarkdown(t, o);
  const button = (b: Button) => ({
    tag: 'button',
    text: { tag: 'plain_text', content: larkPlain(b.label, LIMITS.button) },
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

  return function render(b: Block): unknown[] {
    switch (b.type) {
      case 'header':
        return [markdown(bold(b.text))];
      case 'text':
        return [markdown(md(b.text))];
      case 'context':
        return [markdown(md(b.text), 'notation')];
      case 'list':
        return [markdown(listMarkdown(b, o, LIMITS.markdown))];
      case 'divider':
        return [{ tag: 'hr' }];
      case 'fields': {
        const rows: unknown[] = [];
        const fields = b.fields.slice(0, LIMITS.fields);
        for (let i = 0; i < fields.length; i += 2)
          rows.push(
            columns(
              fields
                .slice(i, i + 2)
                .map((f) => column([markdown(`${bold(f.label)}\n${md(f.value)}`, undefined, LIMITS.field)])),
            ),
          );
        return rows;
      }
      case 'progress':
        return [
          markdown(
            b.steps
              .map((s) => `${PROGRESS[s.state]} ${s.state === 'current' ? bold(s.label) : escapeLarkMarkdown(s.label)}`)
              .join('  →  '),
            'notation',
          ),
        ];
      case 'items':
        return b.items.map((i) =>
          i.button
            ? columns([column([markdown(md(i.text))]), column([button(i.button)], 'auto')])
            : markdown(md(i.text)),
        );
      case 'buttons':
        return b.buttons.length ? [columns(b.buttons.map((x) => column([button(x)], 'auto')))] : [];
      case 'select': {
        const options = b.options.slice(0, LIMITS.options);
        if (!options.length) return [];
        const initial = options.find((x) => x.value === b.selected || x.value.endsWith(`:${b.selected}`));
        return [
          {
            tag: 'select_static',
            placeholder: { tag: 'plain_text', content: larkPlain(b.placeholder) },
            options: options.map((x) => ({ text: { tag: 'plain_text', content: larkPlain(x.label) }, value: x.value })),
            ...(initial ? { initial_option: initial.value } : {}),
            behaviors: [{ type: 'callback', value: { a: b.actionId } satisfies CardActionValue }],
          },
        ];
      }
    }
  };
}

/** The card JSON (a string, as im.message.create and patch take it). A leading header block
 * becomes the card's title; the notification preview is the message's fallback text. */
export function toLarkCard(msg: Message, o: RenderOptions = {}): string {
  const render = renderer(o);
  const [first, ...rest] = msg.blocks;
  const title = first?.type === 'header' ? first.text : undefined;
  let elements = (title ? rest : msg.blocks).flatMap(render);
  const ellipsis = () => render({ type: 'context', text: '…' })[0];
  if (!elements.length) elements = render({ type: 'text', text: msg.text });
  if (elements.length > LIMITS.elements) elements = [...elements.slice(0, LIMITS.elements - 1), ellipsis()];
  const card = (els: unknown[]) =>
    JSON.stringify({
      schema: '2.0',
      config: { update_multi: true, summary: { content: larkPlain(msg.text, 120) } },
      ...(title ? { header: { title: { tag: 'plain_text', content: larkPlain(title) }, template: 'blue' } } : {}),
      body: { elements: els },
    });
  let json = card(elements);
  // Too large (CJK text is 3 bytes a character): drop trailing components until it fits, and say so;
  // when even the first is too large, the fallback text alone, cut to fit.
  for (let n = elements.length - 1; Buffer.byteLength(json) > LIMITS.bytes; n = Math.min(n - 1, Math.floor(n * 0.8))) {
    json = n >= 1 ? card([...elements.slice(0, n), ellipsis()]) : card(render({ type: 'text', text: msg.text }));
    if (n < 1) break;
  }
  return json;
}
