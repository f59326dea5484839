// Plain-text rendering of the neutral message model (console, and any platform's fallback).
import { type Block, MENTION_RE, type Message } from '../../app/message.ts';

const PROGRESS = { done: '●', current: '◉', todo: '○', lost: '✕' } as const;

export function renderBlock(b: Block, names: (id: string) => string): string {
  const m = (s: string) => s.replace(MENTION_RE, (_, id) => `@${names(id)}`).replace(/\*([^*\n]+)\*/g, '$1');
  switch (b.type) {
    case 'header':
      return `== ${m(b.text)} ==`;
    case 'text':
    case 'context':
      return m(b.text);
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

export function renderText(msg: Message, names: (id: string) => string = (id) => id): string {
  if (!msg.blocks.length) return msg.text.replace(MENTION_RE, (_, id) => `@${names(id)}`);
  return msg.blocks.map((b) => renderBlock(b, names)).join('\n');
}
