// What Lark delivers, turned into the one command language. Pure functions (tested as tables).
// Messages: https://open.feishu.cn/document/server-docs/im-v1/message/events/receive — the text is
// JSON in `message.content`; each @mention is a placeholder `@_user_N` with its person in
// `message.mentions[]`. Card clicks: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication
import { ACTION_DONE, STAGE_SELECT } from '../../app/card.ts';
import type { SharedFile } from '../../app/ports.ts';
import type { CardActionValue } from './card.ts';

export interface LarkMention {
  key?: string;
  id?: { open_id?: string };
  name?: string;
}

const PREFIX = /^[/／]deal(?=\s|$)/i;

/**
 * The command in a message, or null when the message is not for the bot.
 * - In a group: `@bot …` (with or without `/deal`) or a message that starts with `/deal`.
 * - In the p2p chat with the bot: anything (`/deal` optional).
 * Mentions of people become the neutral token `<@open_id|name>` the grammar reads; a `<@`, `<#` or
 * `<!` the person typed is defused first, so typed text can never pose as a mention.
 */
export function commandFromMessage(
  text: string,
  mentions: LarkMention[],
  botOpenId: string,
  chatType: string,
): string | null {
  const byKey = new Map(mentions.filter((m) => m.key).map((m) => [m.key!, m]));
  let botMentioned = false;
  const withTokens = text
    .replace(/<(?=[@#!])/g, '＜')
    .replace(/@_user_\d+|@_all/g, (key) => {
      const m = byKey.get(key);
      const id = m?.id?.open_id;
      if (!m || !id) return key === '@_all' ? '' : key;
      if (id === botOpenId) {
        botMentioned = true;
        return '';
      }
      const name = (m.name ?? '').replace(/[|>]/g, '').trim();
      return name ? `<@${id}|${name}>` : `<@${id}>`;
    })
    .trim();
  const prefixed = PREFIX.test(withTokens);
  if (chatType !== 'p2p' && !botMentioned && !prefixed) return null;
  const body = withTokens.replace(PREFIX, '').trim();
  return body || 'help';
}

/** The plain text of a message's `content`: `text` messages carry it whole; `post` (rich text, sent
 * when the writer used formatting) carries paragraphs of elements, mentions as `at` elements whose
 * `user_id` is the `@_user_N` key. Null for other kinds (images, files, stickers).
 * https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content */
export function messageText(type: string | undefined, content: string | undefined): string | null {
  let c: unknown;
  try {
    c = JSON.parse(content ?? '');
  } catch {
    return null;
  }
  if (typeof c !== 'object' || c === null) return null;
  const o = c as { text?: unknown; content?: unknown; title?: unknown };
  if (type === 'text') return typeof o.text === 'string' ? o.text : null;
  if (type !== 'post' || !Array.isArray(o.content)) return null;
  return o.content
    .map((line) =>
      (Array.isArray(line) ? line : [])
        .map((el: { tag?: string; text?: unknown; user_id?: unknown; href?: unknown }) =>
          el?.tag === 'text' || el?.tag === 'a' || el?.tag === 'code_block'
            ? String(el.text ?? '')
            : el?.tag === 'at'
              ? ` ${String(el.user_id ?? '')} `
              : '',
        )
        .join(''),
    )
    .join('\n')
    .trim();
}

/** A card click as the same command typed text would be, or null for anything we did not put there. */
export function commandFromCardAction(value: unknown, option: unknown): string | null {
  const v = (value ?? {}) as Partial<CardActionValue>;
  if (v.a === ACTION_DONE && typeof v.v === 'string') {
    const m = /^(\d+):(\d+)$/.exec(v.v);
    return m ? `done #${m[1]} ${m[2]}` : null;
  }
  if (v.a === STAGE_SELECT && typeof option === 'string') {
    const m = /^(\d+):([a-z_-]+)$/.exec(option);
    return m ? `stage #${m[1]} ${m[2]}` : null;
  }
  return null;
}

/** A `file` message as the file it carries: `content` is `{"file_key","file_name"}`; the adapter
 * downloads it by message id and file key (LarkPlatform.downloadFile). Null for anything else. */
export function sharedFileOf(
  type: string | undefined,
  messageId: string | undefined,
  content: string | undefined,
): SharedFile | null {
  if (type !== 'file' || !messageId) return null;
  let c: { file_key?: unknown; file_name?: unknown };
  try {
    c = JSON.parse(content ?? '') as typeof c;
  } catch {
    return null;
  }
  if (typeof c?.file_key !== 'string' || !c.file_key) return null;
  const name = typeof c.file_name === 'string' && c.file_name ? c.file_name : c.file_key;
  return { name, ref: JSON.stringify({ messageId, fileKey: c.file_key }) };
}
