// The tenant behind the fake Lark Open API (see ./fake-lark-api.ts): users, group and p2p chats,
// messages and pins kept in maps, one handler per route answering the way Lark documents it.
// Handlers throw LarkRefusal(code, msg) for a business error: HTTP 400 with a non-zero `code`.
// https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code
export const BOT_OPEN_ID = 'ou_bot_dealroom';

export class LarkRefusal extends Error {
  constructor(
    readonly code: number,
    msg: string,
    readonly status = 400,
  ) {
    super(msg);
  }
}
const refuse = (code: number, msg: string): never => {
  throw new LarkRefusal(code, msg);
};

// The codes the fake answers with (and the adapter maps): chat and message error tables of
// https://open.feishu.cn/document/server-docs/im-v1/message/create and .../im-v1/chat/create
export const CODES = {
  invalidParam: 99992402, // field validation failed
  chatNotFound: 232006, // the chat_id is invalid
  notInChat: 232011, // the operator (the bot) is not in the chat
  botNotInGroup: 230002, // sending into a chat the bot is not in
  recalled: 230011, // the message was recalled / deleted
  noAvailability: 230013, // the user is outside the bot's availability (unknown user)
  noPermission: 99991672, // the app lacks a scope
  userNotFound: 41050, // contact: no authority over / no such user
  cardInvalid: 230099, // card content failed to parse or exceeds limits
  // Image upload table of https://open.feishu.cn/document/server-docs/im-v1/image/create
  uploadInvalid: 234001, // invalid request param (no image, wrong image_type)
  uploadTooLarge: 234006, // images at most 10 MB
  uploadNoBot: 234007, // the app has no bot ability
  uploadEmpty: 234010, // a file of size 0
  uploadNotImage: 234011, // not an image format Lark recognises
} as const;

/** One part of a multipart upload as the fake received it. */
export interface UploadedPart {
  bytes: Buffer;
  filename?: string;
  mimeType: string;
}
export interface FakeLarkImage {
  image_key: string;
  image_type: string;
  bytes: Buffer;
  filename?: string;
  mimeType: string;
}
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Leading bytes of the formats the upload accepts (JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF). */
const IMAGE_MAGIC: [string, number[]][] = [
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['gif', [0x47, 0x49, 0x46, 0x38]],
  ['webp', [0x52, 0x49, 0x46, 0x46]],
  ['bmp', [0x42, 0x4d]],
  ['ico', [0x00, 0x00, 0x01, 0x00]],
  ['tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['tiff', [0x4d, 0x4d, 0x00, 0x2a]],
];

export interface FakeLarkUser {
  open_id: string;
  name: string;
  en_name?: string;
  time_zone?: string;
}
export interface FakeChat {
  chat_id: string;
  name: string;
  description: string;
  owner_id: string;
  chat_mode: 'group' | 'p2p';
  members: Set<string>; // open_ids, the bot included when it is in the chat
  /** the other party of a p2p chat with the bot */
  user?: string;
}
export interface FakeLarkMessage {
  message_id: string;
  chat_id: string;
  msg_type: string;
  content: unknown; // parsed
  deleted: boolean;
  updates: number;
}

type Q = Record<string, string>;
export type Body = Record<string, unknown>;
const ID_TYPES = ['open_id', 'union_id', 'user_id'];
const RECEIVE_ID_TYPES = ['open_id', 'union_id', 'user_id', 'email', 'chat_id'];
const CARD_TAGS = new Set([
  'markdown',
  'div',
  'hr',
  'column_set',
  'column',
  'button',
  'select_static',
  'note',
  'img',
  'collapsible_panel',
  'action',
]);
const MAX_CARD_BYTES = 30 * 1024; // https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure

function idType(q: Q, key: string, allowed = ID_TYPES) {
  const v = q[key];
  if (v !== undefined && !allowed.includes(v)) refuse(CODES.invalidParam, `field validation failed: ${key}=${v}`);
  return v ?? 'open_id';
}

/** Lark's checks of an interactive card (JSON 2.0) in the subset the app uses. */
export function cardErrors(content: string): string[] {
  let card: { schema?: string; header?: unknown; body?: { elements?: unknown } };
  try {
    card = JSON.parse(content);
  } catch {
    return ['content is not JSON'];
  }
  const errs: string[] = [];
  if (Buffer.byteLength(content) > MAX_CARD_BYTES) errs.push(`card larger than ${MAX_CARD_BYTES} bytes`);
  if (card.schema !== '2.0') errs.push('schema must be "2.0"');
  const walk = (els: unknown, at: string) => {
    if (!Array.isArray(els)) return void errs.push(`${at} must be an array`);
    els.forEach((e, i) => {
      const el = e as Record<string, unknown>;
      if (!el || typeof el.tag !== 'string' || !CARD_TAGS.has(el.tag)) errs.push(`${at}/${i}: unknown tag ${el?.tag}`);
      if (el?.tag === 'markdown' && (typeof el.content !== 'string' || !el.content)) errs.push(`${at}/${i}: empty`);
      if (el?.tag === 'column_set') walk(el.columns, `${at}/${i}/columns`);
      if (el?.tag === 'column') walk(el.elements, `${at}/${i}/elements`);
    });
  };
  walk(card.body?.elements, '/body/elements');
  return errs;
}

export class LarkState {
  readonly users = new Map<string, FakeLarkUser>();
  readonly chats = new Map<string, FakeChat>();
  readonly messages = new Map<string, FakeLarkMessage>();
  readonly pins = new Set<string>();
  readonly images = new Map<string, FakeLarkImage>();
  private readonly uuids = new Map<string, string>();
  private seq = 0;

  addUser(u: FakeLarkUser) {
    this.users.set(u.open_id, u);
    return u;
  }
  /** A group chat created by someone else (the bot is in it unless `bot: false`). */
  addChat(c: { name: string; members?: string[]; bot?: boolean }): FakeChat {
    const chat = this.newChat(c.name, '', c.members?.[0] ?? BOT_OPEN_ID, 'group');
    for (const m of c.members ?? []) chat.members.add(m);
    if (c.bot === false) chat.members.delete(BOT_OPEN_ID);
    return chat;
  }
  messagesIn(chatId: string) {
    return [...this.messages.values()].filter((m) => m.chat_id === chatId && !m.deleted);
  }
  /** The bot's p2p chat with a user (created on the first message, as in Lark). */
  p2p(openId: string) {
    return [...this.chats.values()].find((c) => c.chat_mode === 'p2p' && c.user === openId);
  }

  private newChat(name: string, description: string, owner: string, mode: FakeChat['chat_mode']): FakeChat {
    const chat: FakeChat = {
      chat_id: `oc_${String(++this.seq).padStart(6, '0')}`,
      name,
      description,
      owner_id: owner,
      chat_mode: mode,
      members: new Set([BOT_OPEN_ID]),
    };
    this.chats.set(chat.chat_id, chat);
    return chat;
  }
  private chat(id: string) {
    return this.chats.get(id) ?? refuse(CODES.chatNotFound, 'chat_id is invalid');
  }
  private user(id: string) {
    return this.users.get(id) ?? refuse(CODES.noAvailability, 'Bot has NO availability to this user.');
  }

  /** POST /open-apis/im/v1/chats https://open.feishu.cn/document/server-docs/group/chat/create */
  createChat(q: Q, b: Body) {
    idType(q, 'user_id_type');
    if (typeof b.name !== 'string' || b.name.length > 60)
      refuse(CODES.invalidParam, 'field validation failed: name (at most 60 characters)');
    const owner = typeof b.owner_id === 'string' ? b.owner_id : BOT_OPEN_ID;
    if (owner !== BOT_OPEN_ID) this.user(owner);
    const chat = this.newChat(b.name as string, String(b.description ?? ''), owner, 'group');
    for (const u of (b.user_id_list as string[] | undefined) ?? []) chat.members.add(this.user(u).open_id);
    chat.members.add(owner);
    return { chat_id: chat.chat_id, name: chat.name, description: chat.description, owner_id: chat.owner_id };
  }
  /** GET /open-apis/im/v1/chats: the groups the bot is in, a page at a time (`page_size` at most
   * 100, `page_token` from the last page). ByActiveTimeDesc: the newest first (the fake counts
   * creation as activity). https://open.feishu.cn/document/server-docs/group/chat/list */
  listChats(q: Q) {
    idType(q, 'user_id_type');
    const size = Number(q.page_size ?? 20);
    if (!Number.isInteger(size) || size < 1 || size > 100)
      refuse(CODES.invalidParam, 'field validation failed: page_size');
    if (q.sort_type && !['ByCreateTimeAsc', 'ByActiveTimeDesc'].includes(q.sort_type))
      refuse(CODES.invalidParam, 'field validation failed: sort_type');
    let chats = [...this.chats.values()].filter((c) => c.chat_mode === 'group' && c.members.has(BOT_OPEN_ID));
    if (q.sort_type === 'ByActiveTimeDesc') chats = chats.reverse();
    const from = q.page_token ? Number(q.page_token) : 0;
    const page = chats.slice(from, from + size);
    const more = from + size < chats.length;
    return {
      items: page.map((c) => ({ chat_id: c.chat_id, name: c.name, description: c.description, owner_id: c.owner_id })),
      page_token: more ? String(from + size) : '',
      has_more: more,
    };
  }
  getChat(id: string) {
    const c = this.chat(id);
    if (!c.members.has(BOT_OPEN_ID)) refuse(CODES.notInChat, 'The operator is not in the chat');
    return { name: c.name, description: c.description, owner_id: c.owner_id, chat_mode: c.chat_mode };
  }
  updateChat(id: string, b: Body) {
    const c = this.chat(id);
    if (!c.members.has(BOT_OPEN_ID)) refuse(CODES.notInChat, 'The operator is not in the chat');
    if (typeof b.name === 'string') c.name = b.name;
    if (typeof b.description === 'string') c.description = b.description;
    return {};
  }
  /** POST /open-apis/im/v1/chats/:chat_id/members (succeed_type=1: add who can be added, list the rest). */
  addMembers(id: string, q: Q, b: Body) {
    idType(q, 'member_id_type');
    const c = this.chat(id);
    if (!c.members.has(BOT_OPEN_ID)) refuse(CODES.notInChat, 'The operator is not in the chat');
    const missing: string[] = [];
    for (const u of (b.id_list as string[] | undefined) ?? []) {
      if (this.users.has(u) || u === BOT_OPEN_ID) c.members.add(u);
      else missing.push(u);
    }
    if (missing.length && q.succeed_type !== '1') refuse(CODES.invalidParam, `invalid id_list: ${missing.join(',')}`);
    return { invalid_id_list: [], not_existed_id_list: missing, pending_approval_id_list: [] };
  }
  /** POST /open-apis/im/v1/images (multipart: `image_type`, `image`): a message image, at most
   * 10 MB, in a format Lark recognises. https://open.feishu.cn/document/server-docs/im-v1/image/create */
  createImage(b: Body) {
    if (b.image_type !== 'message' && b.image_type !== 'avatar')
      refuse(CODES.uploadInvalid, 'Invalid request param. (image_type)');
    const part = b.image as UploadedPart | undefined;
    if (!part || !Buffer.isBuffer(part.bytes)) return refuse(CODES.uploadInvalid, 'Invalid request param. (image)');
    if (part.bytes.length === 0) refuse(CODES.uploadEmpty, "File's size can't be 0.");
    if (part.bytes.length > MAX_IMAGE_BYTES) refuse(CODES.uploadTooLarge, 'The file size exceed the max value.');
    if (!IMAGE_MAGIC.some(([, m]) => m.every((x, i) => part.bytes[i] === x)))
      refuse(CODES.uploadNotImage, "Can't regonige the image format.");
    const image: FakeLarkImage = {
      image_key: `img_v3_${String(++this.seq).padStart(6, '0')}`,
      image_type: String(b.image_type),
      bytes: part.bytes,
      filename: part.filename,
      mimeType: part.mimeType,
    };
    this.images.set(image.image_key, image);
    return { image_key: image.image_key };
  }
  /** POST /open-apis/im/v1/messages; a `uuid` seen before returns the first message (no new one). */
  createMessage(q: Q, b: Body) {
    const type = idType(q, 'receive_id_type', RECEIVE_ID_TYPES);
    if (typeof b.uuid === 'string' && this.uuids.has(b.uuid))
      return this.view(this.messages.get(this.uuids.get(b.uuid)!)!);
    const rid = String(b.receive_id ?? '');
    let chat: FakeChat;
    if (type === 'chat_id') {
      chat = this.chat(rid);
      if (!chat.members.has(BOT_OPEN_ID)) refuse(CODES.botNotInGroup, 'The bot can not be outside the group.');
    } else if (type === 'open_id') {
      this.user(rid);
      chat = this.p2p(rid) ?? Object.assign(this.newChat('', '', BOT_OPEN_ID, 'p2p'), { user: rid });
      chat.members.add(rid);
    } else return refuse(CODES.invalidParam, `the fake supports chat_id and open_id, not ${type}`);
    const content = this.content(b);
    const m: FakeLarkMessage = {
      message_id: `om_${String(++this.seq).padStart(6, '0')}`,
      chat_id: chat.chat_id,
      msg_type: String(b.msg_type),
      content,
      deleted: false,
      updates: 0,
    };
    this.messages.set(m.message_id, m);
    if (typeof b.uuid === 'string') this.uuids.set(b.uuid, m.message_id);
    return this.view(m);
  }
  /** PATCH /open-apis/im/v1/messages/:message_id: interactive cards sent by the bot only. */
  patchMessage(id: string, b: Body) {
    const m = this.messages.get(id) ?? refuse(CODES.invalidParam, 'message_id not found');
    if (m.deleted) refuse(CODES.recalled, 'The message was recalled.');
    if (!this.chats.get(m.chat_id)?.members.has(BOT_OPEN_ID))
      refuse(CODES.botNotInGroup, 'The bot can not be outside the group.');
    m.content = this.content({ ...b, msg_type: 'interactive' });
    m.updates++;
    return {};
  }
  pin(b: Body) {
    const m = this.messages.get(String(b.message_id)) ?? refuse(CODES.invalidParam, 'message_id not found');
    if (m.deleted) refuse(CODES.recalled, 'The message was recalled.');
    this.pins.add(m.message_id);
    return { pin: { message_id: m.message_id, chat_id: m.chat_id } };
  }
  /** GET /open-apis/contact/v3/users/:user_id https://open.feishu.cn/document/server-docs/contact-v3/user/get */
  getUser(id: string, q: Q) {
    idType(q, 'user_id_type');
    const u = this.users.get(id) ?? refuse(CODES.userNotFound, 'no user authority error');
    return { user: { open_id: u.open_id, name: u.name, en_name: u.en_name ?? '', time_zone: u.time_zone ?? '' } };
  }

  private content(b: Body) {
    if (typeof b.content !== 'string') return refuse(CODES.invalidParam, 'content must be a JSON string');
    if (b.msg_type === 'interactive') {
      const errs = cardErrors(b.content);
      if (errs.length) refuse(CODES.cardInvalid, `card invalid: ${errs.join('; ')}`);
    }
    const content = JSON.parse(b.content) as { image_key?: unknown };
    // An image message shows an image uploaded for messages before (im.v1.image.create).
    if (b.msg_type === 'image' && this.images.get(String(content.image_key))?.image_type !== 'message')
      refuse(CODES.invalidParam, `field validation failed: image_key ${String(content.image_key)}`);
    return content as unknown;
  }
  /** The images a chat shows (image messages, oldest first), with their bytes. */
  imagesIn(chatId: string) {
    return this.messagesIn(chatId)
      .filter((m) => m.msg_type === 'image')
      .map((m) => this.images.get((m.content as { image_key: string }).image_key)!);
  }
  private view(m: FakeLarkMessage) {
    return { message_id: m.message_id, chat_id: m.chat_id, msg_type: m.msg_type };
  }
}
