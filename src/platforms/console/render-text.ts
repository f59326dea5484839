// Plain-text rendering of the neutral message model (the console, and tests that read replies).
// A terminal has no markup, so nothing needs escaping and nothing is cut: parts become words.
import { type Block, type Inline, type Message, partsOf, type Text } from '../../app/message.ts';

const PROGRESS = { done: '●', current: '◉', todo: '○', lost: '✕' } as const;

/** How people are shown: the console's user ids are names already. */
export type Names = (id: string) => string;

function inline(p: Inline, names: Names): string {
  if (typeof p === 'string') return p;
  switch (p.type) {
    case 'strong':
      return p.text;
    case 'user':
      return `@${names(p.id)}`;
    case 'room':
      return `#${p.id}`;
    case 'link':
      return p.label ? `${p.label} (${p.url})` : p.url;
    case 'command':
      return p.text; // the console needs no prefix: every line is a command
  }
}

export const textOf = (t: Text, names: Names = (id) => id): string =>
  partsOf(t)
    .map((p) => inline(p, names))
    .join('');

export function renderBlock(b: Block, names: Names): string {
  const m = (t: Text) => textOf(t, names);
  switch (b.type) {
    case 'header':
      return `== ${b.text} ==`;
    case 'text':
    case 'context':
      return m(b.text);
    case 'list':
      return [b.title, ...b.items.map((i) => `• ${m(i)}`), b.more && m(b.more)].filter(Boolean).join('\n');
    case 'fields':
      return b.fields.map((f) => `${f.label}: ${m(f.value)}`).join('  |  ');
    case 'progress':
      return b.steps.map((s) => `${PROGRESS[s.state]} ${s.label}`).join(' → ');
    case 'items':
      return b.items.map((i) => `  ${m(i.text)}${i.button ? `  [${i.button.label}]` : ''}`).join('\n');
    case 'buttons':
      return b.buttons.map((x) => `[${x.label}]`).join(' ');
    case 'select':
      return `[${b.placeholder} ▾]`;
    case 'divider':
      return '─'.repeat(40);
  }
}

export function renderText(msg: Message, names: Names = (id) => id): string {
  if (!msg.blocks.length) return textOf(msg.text, names);
  return msg.blocks.map((b) => renderBlock(b, names)).join('\n');
}
