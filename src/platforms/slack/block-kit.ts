// Neutral message -> Slack Block Kit. https://api.slack.com/reference/block-kit/blocks
// User text is escaped (&, <, >) so nobody can smuggle <!channel> into a card; our own mention
// tokens (<@U…>) and channel links (<#C…>) pass through.
import type { Block, Message } from '../../app/message.ts';

const MAX_BLOCKS = 50; // per message
const MAX_SECTION = 3000; // chars of a section's text
const MAX_HEADER = 150;
const MAX_FIELDS = 10;
const MAX_OPTION_TEXT = 75;

const TOKEN = /(<[@#][A-Z0-9]+(?:\|[^>]*)?>)/g;

/** Escapes Slack's control characters outside mention/channel tokens. https://api.slack.com/reference/surfaces/formatting#escaping */
export function escapeMrkdwn(s: string): string {
  return s
    .split(TOKEN)
    .map((part, i) => (i % 2 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const plainText = (s: string, n = MAX_SECTION) => ({
  type: 'plain_text' as const,
  text: clip(s.replace(TOKEN, '@user'), n) || ' ',
  emoji: true,
});
const mrkdwn = (s: string) => ({ type: 'mrkdwn' as const, text: clip(escapeMrkdwn(s), MAX_SECTION) || ' ' });
const PROGRESS = { done: '✅', current: '🔵', todo: '⚪', lost: '✖️' } as const;

function render(b: Block): Record<string, unknown>[] {
  switch (b.type) {
    case 'header':
      return [{ type: 'header', text: plainText(b.text, MAX_HEADER) }];
    case 'text':
      return [{ type: 'section', text: mrkdwn(b.text) }];
    case 'context':
      return [{ type: 'context', elements: [mrkdwn(b.text)] }];
    case 'divider':
      return [{ type: 'divider' }];
    case 'fields':
      return [
        { type: 'section', fields: b.fields.slice(0, MAX_FIELDS).map((f) => mrkdwn(`*${f.label}*\n${f.value}`)) },
      ];
    case 'progress':
      return [
        {
          type: 'context',
          elements: [
            mrkdwn(
              b.steps
                .map((s) => `${PROGRESS[s.state]} ${s.state === 'current' ? `*${s.label}*` : s.label}`)
                .join('  →  '),
            ),
          ],
        },
      ];
    case 'items':
      return b.items.map((i) => ({
        type: 'section',
        text: mrkdwn(i.text),
        ...(i.button
          ? {
              accessory: {
                type: 'button',
                action_id: i.button.actionId,
                text: plainText(i.button.label, 75),
                value: i.button.value,
                ...(i.button.style ? { style: i.button.style } : {}),
              },
            }
          : {}),
      }));
    case 'buttons':
      return [
        {
          type: 'actions',
          elements: b.buttons.map((x) => ({
            type: 'button',
            action_id: x.actionId,
            text: plainText(x.label, 75),
            value: x.value,
            ...(x.style ? { style: x.style } : {}),
          })),
        },
      ];
    case 'select': {
      const options = b.options.map((o) => ({ text: plainText(o.label, MAX_OPTION_TEXT), value: o.value }));
      const initial = options.find((o) => o.value.endsWith(`:${b.selected}`) || o.value === b.selected);
      return [
        {
          type: 'actions',
          elements: [
            {
              type: 'static_select',
              action_id: b.actionId,
              placeholder: plainText(b.placeholder, 150),
              options,
              ...(initial ? { initial_option: initial } : {}),
            },
          ],
        },
      ];
    }
  }
}

export function toBlockKit(msg: Message): { text: string; blocks: Record<string, unknown>[] } {
  let blocks = msg.blocks.flatMap(render);
  if (blocks.length > MAX_BLOCKS)
    blocks = [...blocks.slice(0, MAX_BLOCKS - 1), { type: 'context', elements: [mrkdwn('…')] }];
  return { text: clip(escapeMrkdwn(msg.text), 3000), blocks };
}

/** Slash-command text arrives escaped (manifest: should_escape true): undo &amp; &lt; &gt; so what
 * users typed is stored as typed; mentions stay in <@U…|name> form for the parser. */
export function unescapeSlack(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
