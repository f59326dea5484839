// Lark/Feishu deliveries as Lark sends them, for tests: schema 2.0 envelopes, mentions as
// `@_user_N` placeholders, AES-256-CBC encryption and the sha256 request signature.
// https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case
// https://open.feishu.cn/document/server-docs/im-v1/message/events/receive
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export const VERIFICATION_TOKEN = 'lark-vtoken';
export const ENCRYPT_KEY = 'lark-encrypt-key';

/** body = {encrypt: base64(iv[16] || AES-256-CBC(key = sha256(encryptKey), iv, json))} */
export function encryptLark(encryptKey: string, obj: unknown): { encrypt: string } {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return { encrypt: Buffer.concat([iv, c.update(JSON.stringify(obj), 'utf8'), c.final()]).toString('base64') };
}

/** The raw body and headers of a delivery; signed with `signKey` when given (sha256 over the raw body). */
export function larkRequest(body: unknown, signKey?: string, ts = String(Math.floor(Date.now() / 1000))) {
  const raw = JSON.stringify(body);
  const nonce = randomBytes(8).toString('hex');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-lark-request-timestamp': ts,
    'x-lark-request-nonce': nonce,
  };
  if (signKey)
    headers['x-lark-signature'] = createHash('sha256')
      .update(ts + nonce + signKey + raw)
      .digest('hex');
  return { body: raw, headers };
}

let seq = 0;
const header = (type: string, o: { eventId?: string; token?: string; tenant?: string }) => ({
  event_id: o.eventId ?? `ev_${++seq}_${randomBytes(4).toString('hex')}`,
  token: o.token ?? VERIFICATION_TOKEN,
  create_time: String(Date.now()),
  event_type: type,
  tenant_key: o.tenant ?? 'tenant-acme',
  app_id: 'cli_a1b2c3d4e5f60718',
});

export interface MentionSeed {
  openId: string;
  name: string;
}

/** im.message.receive_v1 with a text message. `@name` words naming a seed become `@_user_N`
 * placeholders (numbered in order of appearance), exactly as Lark rewrites them. */
export function messageEvent(
  text: string,
  o: {
    from: string;
    chatId: string;
    chatType?: 'group' | 'p2p';
    mentions?: MentionSeed[];
    eventId?: string;
    token?: string;
    tenant?: string;
    messageType?: string;
    senderType?: string;
  },
) {
  const mentions: {
    key: string;
    id: { open_id: string; union_id: string; user_id: string };
    name: string;
    tenant_key: string;
  }[] = [];
  let body = text;
  for (const m of o.mentions ?? []) {
    const key = `@_user_${mentions.length + 1}`;
    if (!body.includes(`@${m.name}`)) continue;
    body = body.replace(`@${m.name}`, key);
    mentions.push({
      key,
      id: { open_id: m.openId, union_id: `on_${m.openId}`, user_id: m.name },
      name: m.name,
      tenant_key: 'tenant-acme',
    });
  }
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', o),
    event: {
      sender: senderOf(o.from, o.senderType, o.tenant),
      message: {
        message_id: `om_in_${++seq}`,
        chat_id: o.chatId,
        chat_type: o.chatType ?? 'group',
        message_type: o.messageType ?? 'text',
        content: JSON.stringify({ text: body }),
        create_time: String(Date.now()),
        mentions,
      },
    },
  };
}

/** card.action.trigger (schema 2.0) for a click on a button or a pick in a select. */
export function cardActionEvent(
  action: { value: Record<string, unknown>; option?: string; tag?: string },
  o: { from: string; chatId: string; messageId?: string; eventId?: string; token?: string; tenant?: string },
) {
  return {
    schema: '2.0',
    header: header('card.action.trigger', o),
    event: {
      operator: { open_id: o.from, union_id: `on_${o.from}`, user_id: o.from, tenant_key: o.tenant ?? 'tenant-acme' },
      token: `c-${randomBytes(4).toString('hex')}`,
      action: {
        tag: action.tag ?? (action.option ? 'select_static' : 'button'),
        value: action.value,
        option: action.option,
      },
      context: { open_message_id: o.messageId ?? 'om_card', open_chat_id: o.chatId },
    },
  };
}

/** application.bot.menu_v6: a click on an item of the bot's menu. */
export function menuEvent(eventKey: string, o: { from: string; eventId?: string; token?: string; tenant?: string }) {
  return {
    schema: '2.0',
    header: header('application.bot.menu_v6', o),
    event: {
      operator: { operator_name: o.from, operator_id: { open_id: o.from, union_id: `on_${o.from}`, user_id: o.from } },
      event_key: eventKey,
      timestamp: Date.now(),
    },
  };
}

/** im.message.receive_v1 with a `file` message: content `{"file_key","file_name"}` (no size).
 * https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content#file */
/** The `sender` of an im.message.receive_v1 event: a user of the test tenant. */
const senderOf = (from: string, type = 'user', tenant = 'tenant-acme') => ({
  sender_id: { open_id: from, union_id: `on_${from}`, user_id: from },
  sender_type: type,
  tenant_key: tenant,
});

export function fileEvent(
  file: { key: string; name: string },
  o: { from: string; chatId: string; chatType?: 'group' | 'p2p'; messageId?: string; eventId?: string },
) {
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', o),
    event: {
      sender: senderOf(o.from),
      message: {
        message_id: o.messageId ?? `om_file_${++seq}`,
        chat_id: o.chatId,
        chat_type: o.chatType ?? 'p2p',
        message_type: 'file',
        content: JSON.stringify({ file_key: file.key, file_name: file.name }),
        create_time: String(Date.now()),
        mentions: [],
      },
    },
  };
}
