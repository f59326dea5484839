// The platform-neutral message model. Use cases build these; each platform renders them
// (Block Kit, Lark cards, plain text). Text is plain with two conventions every renderer knows:
// `*bold*`, and mentions written `<@EXTERNAL_ID>` (a platform user id).

export interface Button {
  actionId: string; // e.g. 'action_done'
  label: string;
  value: string; // opaque to the platform, parsed back by the app
  style?: 'primary' | 'danger';
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'progress'; steps: { label: string; state: 'done' | 'current' | 'todo' | 'lost' }[] }
  | { type: 'items'; items: { text: string; button?: Button }[] }
  | { type: 'buttons'; buttons: Button[] }
  | {
      type: 'select';
      actionId: string;
      placeholder: string;
      options: { label: string; value: string }[];
      selected?: string;
    }
  | { type: 'context'; text: string }
  | { type: 'divider' };

export interface Message {
  /** Fallback text (notifications, screen readers, platforms without rich layout). */
  text: string;
  blocks: Block[];
}

export const plain = (text: string): Message => ({ text, blocks: [{ type: 'text', text }] });

/** Mentions in neutral text: `<@U123>`; renderers swap in their own form. */
export const mention = (externalId: string) => `<@${externalId}>`;
export const MENTION_RE = /<@([^>|]+)(?:\|[^>]*)?>/g;
