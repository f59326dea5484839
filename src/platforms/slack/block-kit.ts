// Neutral message -> Slack Block Kit, within every limit Slack documents, so that no content a
// user typed can make a post or a card update fail with invalid_blocks.
// https://docs.slack.dev/reference/block-kit/blocks
import type { Block, Button, Message, Text } from '../../app/message.ts';
import { cutMrkdwn, cutPlain, listMrkdwn, toMrkdwn } from './mrkdwn.ts';

/** Slack's published limits (characters unless said otherwise). */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100, // modals and App Home
  header: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  options: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  /** The `text` fallback: Slack truncates long ones; 3,000 keeps notifications readable. */
  fallback: 3000,
} as const;

type Json = Record<string, unknown>;

const plainText = (s: string, max: number) => ({
  type: 'plain_text' as const,
  text: cutPlain(s, max) || ' ',
  emoji: true,
});
const mrkdwnObj = (s: string) => ({ type: 'mrkdwn' as const, text: s || ' ' });
const mrkdwn = (t: Text, max: number) => mrkdwnObj(cutMrkdwn(toMrkdwn(t), max));
const PROGRESS = { done: '✅', current: '🔵', todo: '⚪', lost: '✖️' } as const;

/** A button, or nothing when its app-made value or id would break a limit (a broken button would
 * fail the whole message; the command it stands for can still be typed). */
function button(b: Button): Json | null {
  if (b.value.length > LIMITS.buttonValue || b.actionId.length > LIMITS.actionId) return null;
  return {
    type: 'button',
    action_id: b.actionId,
    text: plainText(b.label, LIMITS.buttonText),
    value: b.value,
    ...(b.style ? { style: b.style } : {}),
  };
}

function render(b: Block): Json[] {
  switch (b.type) {
    case 'header':
      return [{ type: 'header', text: plainText(b.text, LIMITS.header) }];
    case 'text':
      return [{ type: 'section', text: mrkdwn(b.text, LIMITS.sectionText) }];
    case 'list':
      return [{ type: 'section', text: mrkdwnObj(listMrkdwn(b.title, b.items, b.more, LIMITS.sectionText)) }];
    case 'context':
      return [{ type: 'context', elements: [mrkdwn(b.text, LIMITS.contextText)] }];
    case 'divider':
      return [{ type: 'divider' }];
    case 'fields':
      return [
        {
          type: 'section',
          fields: b.fields
            .slice(0, LIMITS.fields)
            .map((f) =>
              mrkdwnObj(
                cutMrkdwn(`${toMrkdwn([{ type: 'strong', text: f.label }])}\n${toMrkdwn(f.value)}`, LIMITS.field),
              ),
            ),
        },
      ];
    case 'progress':
      return [
        {
          type: 'context',
          elements: [
            mrkdwn(
              b.steps.flatMap((s, i) => [
                i ? '  →  ' : '',
                `${PROGRESS[s.state]} `,
                s.state === 'current' ? { type: 'strong' as const, text: s.label } : s.label,
              ]),
              LIMITS.contextText,
            ),
          ],
        },
      ];
    case 'items':
      return b.items.map((i) => {
        const accessory = i.button && button(i.button);
        return { type: 'section', text: mrkdwn(i.text, LIMITS.sectionText), ...(accessory ? { accessory } : {}) };
      });
    case 'buttons': {
      const elements = b.buttons.flatMap((x) => button(x) ?? []).slice(0, LIMITS.actionsElements);
      return elements.length ? [{ type: 'actions', elements }] : [];
    }
    case 'select': {
      if (b.actionId.length > LIMITS.actionId) return [];
      const options = b.options
        .filter((o) => o.value.length <= LIMITS.optionValue)
        .slice(0, LIMITS.options)
        .map((o) => ({ text: plainText(o.label, LIMITS.optionText), value: o.value }));
      if (!options.length) return [];
      const initial = options.find((o) => o.value === b.selected || o.value.endsWith(`:${b.selected}`));
      return [
        {
          type: 'actions',
          elements: [
            {
              type: 'static_select',
              action_id: b.actionId,
              placeholder: plainText(b.placeholder, LIMITS.placeholder),
              options,
              ...(initial ? { initial_option: initial } : {}),
            },
          ],
        },
      ];
    }
  }
}

/** The message as chat.postMessage / chat.update arguments. `maxBlocks` is 100 for App Home and
 * modals. Blocks past the limit are replaced by one `…` line, so the reader sees it was cut. */
export function toBlockKit(
  msg: Message,
  maxBlocks: number = LIMITS.blocksPerMessage,
): { text: string; blocks: Json[] } {
  let blocks = msg.blocks.flatMap(render);
  if (blocks.length > maxBlocks)
    blocks = [...blocks.slice(0, maxBlocks - 1), { type: 'context', elements: [mrkdwnObj('…')] }];
  return { text: cutMrkdwn(toMrkdwn(msg.text), LIMITS.fallback) || ' ', blocks };
}

/** Slash-command text arrives escaped (manifest: should_escape true): undo &amp; &lt; &gt; so what
 * users typed is stored as typed, and mentions stay in `<@U…|name>` form, which is also Dealroom's
 * neutral command-text notation (src/app/message.ts). A `<` the user typed themselves must not
 * start that notation, so before `@` it becomes the look-alike `＜` and can never forge a mention. */
export function unescapeSlack(s: string): string {
  return s.replace(/&lt;@/g, '＜@').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Text a user typed into a form field (Slack sends it raw, unescaped): a `<@` in it must not
 * become a mention in the command text built from it. */
export const literalText = (s: string): string => s.replace(/<@/g, '＜@');
