// The workspace behind the fake Slack Web API (see ./fake-slack-api.ts): users, conversations,
// messages, pins and views kept in maps, and one handler per Web API method that answers the way
// Slack documents it. Handlers throw SlackRefusal('code') for `{ok:false, error:'code'}`.
// https://docs.slack.dev/reference/methods
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const APP_ID = 'ADEALROOM';

export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown>;

export class SlackRefusal extends Error {
  constructor(
    readonly code: string,
    readonly extra: Answer = {},
  ) {
    super(code);
  }
}
function refuse(code: string, extra?: Answer): never {
  throw new SlackRefusal(code, extra);
}
/** invalid_arguments with the `[ERROR] … [json-pointer:…]` messages Slack puts in response_metadata. */
function invalid(messages: string[]): never {
  return refuse('invalid_arguments', { response_metadata: { messages } });
}

export interface FakeUserSeed {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  tz?: string;
  locale?: string;
  is_bot?: boolean;
  email?: string;
  deleted?: boolean;
  /** The user's own workspace (default: the fake's team): a Slack Connect or stray id from elsewhere. */
  team_id?: string;
}
export interface FakeUser extends FakeUserSeed {
  real_name: string;
  display_name: string;
  tz: string;
  locale: string;
  is_bot: boolean;
  deleted: boolean;
}

export interface FakeChannel {
  id: string;
  /** '' for DMs */
  name: string;
  kind: 'channel' | 'im' | 'mpim';
  is_private: boolean;
  created: number;
  creator: string;
  topic: string;
  purpose: string;
  members: Set<string>;
  archived: boolean;
  /** the other party of a DM */
  user?: string;
}
export interface FakeChannelSeed {
  id?: string;
  name: string;
  is_private?: boolean;
  archived?: boolean;
  topic?: string;
  purpose?: string;
  creator?: string;
  /** Default [BOT_USER_ID]. Leave the bot out to get a channel the bot is not in. */
  members?: string[];
}

export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
  /** A file shared into the channel (files.completeUploadExternal): subtype `file_share`. */
  subtype?: string;
  files?: { id: string }[];
}
export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}
export type FakeView = Record<string, unknown> & { id: string; type: string; hash: string; user_id?: string };
/** A file uploaded the v2 way: announced (files.getUploadURLExternal), its bytes POSTed to the
 * upload URL, then completed (files.completeUploadExternal), which shares it into a channel. */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  alt_text?: string;
  /** The length announced before the upload. */
  length: number;
  /** What arrived at the upload URL (null until then). */
  bytes: Buffer | null;
  completed: boolean;
  /** Channels it was shared into. */
  channels: string[];
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const bool = (v: unknown): boolean => v === true || v === 'true' || v === 1 || v === '1';
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(str) : str(v).split(',')).map((s) => s.trim()).filter(Boolean);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack's rules for conversations.create/rename. */
function checkChannelName(name: string): void {
  if (!name) refuse('invalid_name_required');
  if (name.length > 80) refuse('invalid_name_maxlength');
  if (!/^[a-z0-9_-]+$/.test(name)) refuse('invalid_name_specials'); // also upper case, spaces, dots
  if (/^[-_]+$/.test(name)) refuse('invalid_name_punctuation');
}

/** tz_label / tz_offset (seconds) as users.info reports them, for the current instant. Throws on unknown zones. */
export function tzInfo(tz: string, at = new Date()): { tz_label: string; tz_offset: number } {
  const part = (timeZoneName: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const tz_offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  return { tz_label: part('long'), tz_offset };
}

/** Unpaired UTF-16 surrogates: not Unicode, so not valid UTF-8 once sent. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** In mrkdwn, `&` starts one of Slack's three entities; anything else is a broken (cut) one.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping */
const BROKEN_ENTITY = /&(?!amp;|lt;|gt;)/;

/** The Block Kit checks Slack makes, with its published limits; unknown block types pass.
 * https://docs.slack.dev/reference/block-kit/blocks (and each element's and object's page) */
export function blockErrors(blocks: unknown, max: number, at = '/blocks'): string[] {
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${at}]`];
  const errs: string[] = [];
  if (blocks.length > max) errs.push(`[ERROR] no more than ${max} items allowed [json-pointer:${at}]`);
  const ids = new Set<string>();
  for (const [i, b] of (blocks as unknown[]).entries()) {
    const e = (msg: string, p = '') => {
      errs.push(`[ERROR] ${msg} [json-pointer:${at}/${i}${p}]`);
    };
    if (!isObj(b) || typeof b.type !== 'string' || !b.type) {
      e('missing required field: type');
      continue;
    }
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length > 255)
        e('must be a string of at most 255 characters', '/block_id');
      else if (ids.has(b.block_id)) e('duplicate block_id', '/block_id');
      else ids.add(b.block_id);
    }
    const text = (o: unknown, p: string, maxLen: number, plainOnly = false) => {
      if (!isObj(o) || (o.type !== 'plain_text' && o.type !== 'mrkdwn')) return e('must be a text object', p);
      if (plainOnly && o.type !== 'plain_text') return e('must be plain_text', `${p}/type`);
      if (typeof o.text !== 'string' || !o.text) return e('must be more than 0 characters', `${p}/text`);
      if (o.text.length > maxLen) e(`must be less than ${maxLen + 1} characters`, `${p}/text`);
      if (LONE_SURROGATE.test(o.text)) e('must be valid unicode (unpaired surrogate)', `${p}/text`);
      if (o.type === 'mrkdwn' && BROKEN_ENTITY.test(o.text)) e('has an unescaped or cut entity (&)', `${p}/text`);
    };
    const maxString = (v: unknown, p: string, maxLen: number) => {
      if (v !== undefined && (typeof v !== 'string' || v.length > maxLen))
        e(`must be a string of at most ${maxLen} characters`, p);
    };
    const element = (x: unknown, p: string) => {
      if (!isObj(x)) return e('must be an object', p);
      maxString(x.action_id, `${p}/action_id`, 255);
      if (x.type === 'button') {
        text(x.text, `${p}/text`, 75, true);
        maxString(x.value, `${p}/value`, 2000);
        maxString(x.url, `${p}/url`, 3000);
      }
      if (x.type === 'static_select' || x.type === 'multi_static_select') {
        if (x.placeholder !== undefined) text(x.placeholder, `${p}/placeholder`, 150, true);
        if (!Array.isArray(x.options) || x.options.length === 0 || x.options.length > 100)
          e('must have 1 to 100 options', `${p}/options`);
        else
          for (const [k, o] of (x.options as unknown[]).entries()) {
            if (!isObj(o)) {
              e('must be an option object', `${p}/options/${k}`);
              continue;
            }
            text(o.text, `${p}/options/${k}/text`, 75);
            if (typeof o.value !== 'string' || !o.value || o.value.length > 150)
              e('must be a string of 1 to 150 characters', `${p}/options/${k}/value`);
          }
      }
    };
    const elements = (maxN: number, each: (x: unknown, p: string) => void) => {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > maxN)
        e(`must have 1 to ${maxN} elements`, '/elements');
      else for (const [k, x] of (b.elements as unknown[]).entries()) each(x, `/elements/${k}`);
    };
    switch (b.type) {
      case 'header':
        text(b.text, '/text', 150, true);
        break;
      case 'section':
        if (b.text === undefined && b.fields === undefined) e('must provide either text or fields');
        if (b.text !== undefined) text(b.text, '/text', 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) e('must be an array of at most 10 items', '/fields');
          else for (const [j, f] of (b.fields as unknown[]).entries()) text(f, `/fields/${j}`, 2000);
        }
        if (b.accessory !== undefined) element(b.accessory, '/accessory');
        break;
      case 'context':
        elements(10, (x, p) => {
          if (isObj(x) && (x.type === 'mrkdwn' || x.type === 'plain_text')) text(x, p, 3000);
        });
        break;
      case 'actions':
        elements(25, element);
        break;
      case 'input':
        text(b.label, '/label', 2000, true);
        if (!isObj(b.element)) e('missing required field: element', '/element');
        break;
    }
  }
  return errs;
}

export interface StateOptions {
  teamId: string;
  teamName: string;
  domain: string;
  singleUseTriggers: boolean;
}
type Handler = (a: Args) => Answer;

export class SlackState {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage[]>();
  readonly ephemerals = new Map<string, FakeEphemeral[]>();
  readonly pins = new Map<string, string[]>();
  /** published App Home per user id */
  readonly homeViews = new Map<string, FakeView>();
  /** every view (modal or home) by view id */
  readonly views = new Map<string, FakeView>();
  /** uploaded files by id (files.getUploadURLExternal / completeUploadExternal) */
  readonly files = new Map<string, FakeFile>();
  /** Where upload URLs point (the fake's own address, set when it listens). */
  uploadBase = 'http://127.0.0.1:0';
  private readonly dmByUser = new Map<string, string>();
  private readonly usedTriggers = new Set<string>();
  private idSeq = 0;
  private tsSeq = 0;
  readonly methods: Record<string, Handler>;

  constructor(readonly o: StateOptions) {
    this.addUser({ id: BOT_USER_ID, name: 'dealroom', real_name: 'Dealroom', is_bot: true });
    this.methods = this.table();
  }

  // ---- clocks and ids -------------------------------------------------------------------
  /** Unique, increasing message timestamps: 1700000000.000100, 1700000000.000200, … */
  nextTs(): string {
    const micros = ++this.tsSeq * 100;
    return `${1_700_000_000 + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }
  now(): number {
    return 1_700_000_000 + Math.floor((this.tsSeq * 100) / 1e6);
  }
  newId(prefix: string): string {
    let id: string;
    do id = `${prefix}${String(++this.idSeq).padStart(9, '0')}`;
    while (this.channels.has(id) || this.users.has(id) || this.views.has(id) || this.files.has(id));
    return id;
  }

  // ---- seeding --------------------------------------------------------------------------
  addUser(u: FakeUserSeed): FakeUser {
    const user: FakeUser = {
      ...u,
      real_name: u.real_name ?? u.name,
      display_name: u.display_name ?? '',
      tz: u.tz ?? 'UTC',
      locale: u.locale ?? 'en-US',
      is_bot: u.is_bot ?? false,
      deleted: u.deleted ?? false,
    };
    tzInfo(user.tz); // throws RangeError for an unknown zone
    this.users.set(u.id, user);
    return user;
  }
  addChannel(s: FakeChannelSeed): FakeChannel {
    checkChannelName(s.name);
    if (this.byName(s.name)) refuse('name_taken');
    const c: FakeChannel = {
      id: s.id ?? this.newId('C'),
      name: s.name,
      kind: 'channel',
      is_private: s.is_private ?? false,
      created: this.now(),
      creator: s.creator ?? BOT_USER_ID,
      topic: s.topic ?? '',
      purpose: s.purpose ?? '',
      members: new Set(s.members ?? [BOT_USER_ID]),
      archived: s.archived ?? false,
    };
    this.channels.set(c.id, c);
    return c;
  }
  /** Store a message as if someone (default: a user, not the bot) had posted it. */
  addMessage(
    channel: string,
    m: { text: string; user: string; ts?: string; blocks?: unknown[]; thread_ts?: string },
  ): FakeMessage {
    const c = this.lookup(channel) ?? refuse('channel_not_found');
    const msg: FakeMessage = {
      type: 'message',
      channel: c.id,
      ts: m.ts ?? this.nextTs(),
      text: m.text,
      user: m.user,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    };
    this.store(msg);
    return msg;
  }

  // ---- lookups ---------------------------------------------------------------------------
  byName(name: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.kind === 'channel' && c.name === name);
  }
  /** By id, by channel name ('#deal-x' or 'deal-x'), or a user id meaning that user's DM with the app. */
  lookup(ref: string): FakeChannel | undefined {
    if (!ref) return undefined;
    const dm = this.dmByUser.get(ref);
    return this.channels.get(ref) ?? (dm ? this.channels.get(dm) : undefined) ?? this.byName(ref.replace(/^#/, ''));
  }
  messagesOf(ref: string): FakeMessage[] {
    const c = this.lookup(ref);
    return c ? (this.messages.get(c.id) ?? []) : [];
  }

  /** Private conversations the bot is not in are invisible: channel_not_found, like Slack. */
  private visible(ref: unknown): FakeChannel {
    const c = this.lookup(str(ref));
    if (!c || (c.is_private && !c.members.has(BOT_USER_ID))) return refuse('channel_not_found');
    return c;
  }
  /** A conversation the bot may act in: visible, not archived, bot a member. */
  private joined(ref: unknown): FakeChannel {
    const c = this.visible(ref);
    if (c.archived) refuse('is_archived');
    if (!c.members.has(BOT_USER_ID)) refuse('not_in_channel');
    return c;
  }
  private onlyChannels(c: FakeChannel): FakeChannel {
    return c.kind === 'channel' ? c : refuse('method_not_supported_for_channel_type');
  }
  /** chat.* targets: a conversation, or a user id (U…/W…) which posts into the app's DM with them. */
  private postTarget(ref: unknown): FakeChannel {
    const id = str(ref);
    const u = this.users.get(id);
    if (u && !u.deleted) return this.openDm(id).c;
    return this.joined(ref);
  }
  private knownUser(id: string): FakeUser {
    const u = this.users.get(id);
    return u && !u.deleted ? u : refuse('user_not_found');
  }
  openDm(userId: string): { c: FakeChannel; existed: boolean } {
    const existing = this.dmByUser.get(userId);
    if (existing) return { c: this.channels.get(existing)!, existed: true };
    const c: FakeChannel = {
      id: this.newId('D'),
      name: '',
      kind: 'im',
      is_private: true,
      created: this.now(),
      creator: BOT_USER_ID,
      topic: '',
      purpose: '',
      members: new Set([BOT_USER_ID, userId]),
      archived: false,
      user: userId,
    };
    this.channels.set(c.id, c);
    this.dmByUser.set(userId, c.id);
    return { c, existed: false };
  }
  private message(c: FakeChannel, ts: unknown): FakeMessage {
    return (this.messages.get(c.id) ?? []).find((m) => m.ts === str(ts)) ?? refuse('message_not_found');
  }
  private store(m: FakeMessage): void {
    const all = this.messages.get(m.channel) ?? [];
    all.push(m);
    all.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    this.messages.set(m.channel, all);
    const parent = m.thread_ts && m.thread_ts !== m.ts ? all.find((x) => x.ts === m.thread_ts) : undefined;
    if (parent) {
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
    }
  }

  /** A file a person uploaded (in Slack's client) and shared in their DM with the bot: the file
   * object an Events API `file_share` message carries, with its private download URL.
   * https://docs.slack.dev/reference/objects/file-object */
  addUserFile(user: string, f: { name: string; bytes: Buffer; filetype?: string }): Answer {
    const id = this.newId('F');
    this.files.set(id, {
      id,
      name: f.name,
      title: f.name,
      length: f.bytes.length,
      bytes: f.bytes,
      completed: true,
      channels: [],
    });
    const path = `/files-pri/${this.o.teamId}-${id}`;
    return {
      id,
      name: f.name,
      title: f.name,
      user,
      size: f.bytes.length,
      filetype: f.filetype ?? (f.name.split('.').pop() ?? '').toLowerCase(),
      mode: 'hosted',
      url_private: `${this.uploadBase}${path}/${encodeURIComponent(f.name)}`,
      url_private_download: `${this.uploadBase}${path}/download/${encodeURIComponent(f.name)}`,
    };
  }

  /** The bytes POSTed to a file's upload URL; false when no upload is waiting under that id. */
  receiveUpload(id: string, bytes: Buffer): boolean {
    const f = this.files.get(id);
    if (!f || f.completed) return false;
    f.bytes = bytes;
    return true;
  }
  private fileObject(f: FakeFile): Answer {
    return {
      id: f.id,
      name: f.name,
      title: f.title,
      ...(f.alt_text ? { alt_txt: f.alt_text } : {}),
      size: f.bytes?.length ?? 0,
      channels: f.channels,
    };
  }

  // ---- wire shapes -----------------------------------------------------------------------
  channelObject(c: FakeChannel, withCount = false): Answer {
    if (c.kind === 'im')
      return {
        id: c.id,
        created: c.created,
        is_im: true,
        is_org_shared: false,
        user: c.user,
        is_user_deleted: false,
        priority: 0,
      };
    const text = (value: string) => ({ value, creator: value ? BOT_USER_ID : '', last_set: value ? this.now() : 0 });
    return {
      id: c.id,
      name: c.name,
      name_normalized: c.name,
      is_channel: c.kind === 'channel',
      is_group: false,
      is_im: false,
      is_mpim: c.kind === 'mpim',
      is_private: c.is_private,
      created: c.created,
      creator: c.creator,
      is_archived: c.archived,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: c.members.has(BOT_USER_ID),
      context_team_id: this.o.teamId,
      topic: text(c.topic),
      purpose: text(c.purpose),
      ...(withCount ? { num_members: c.members.size } : {}),
    };
  }
  userObject(u: FakeUser, withLocale: boolean): Answer {
    return {
      id: u.id,
      team_id: u.team_id ?? this.o.teamId,
      name: u.name,
      deleted: u.deleted,
      real_name: u.real_name,
      tz: u.tz,
      ...tzInfo(u.tz),
      is_admin: false,
      is_owner: false,
      is_bot: u.is_bot,
      is_app_user: false,
      updated: this.now(),
      ...(withLocale ? { locale: u.locale } : {}),
      profile: {
        display_name: u.display_name,
        display_name_normalized: u.display_name,
        real_name: u.real_name,
        real_name_normalized: u.real_name,
        team: this.o.teamId,
        ...(u.email ? { email: u.email } : {}),
        ...(u.id === BOT_USER_ID ? { bot_id: BOT_ID } : {}),
      },
    };
  }
  /** Slack returns a message's metadata from history only when asked (include_all_metadata). */
  private messageObject(m: FakeMessage, withMetadata = true): Answer {
    const { channel: _channel, metadata, ...rest } = m;
    return { ...rest, ...(withMetadata && metadata !== undefined ? { metadata } : {}), team: this.o.teamId };
  }
  private page<T>(items: T[], a: Args): { items: T[]; response_metadata: { next_cursor: string } } {
    const limit = Math.max(1, Math.min(Number(a.limit) || 100, 1000));
    const start = a.cursor
      ? Number(/^offset:(\d+)$/.exec(Buffer.from(str(a.cursor), 'base64').toString())?.[1] ?? NaN)
      : 0;
    if (!Number.isInteger(start)) refuse('invalid_cursor');
    const next = start + limit < items.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
    return { items: items.slice(start, start + limit), response_metadata: { next_cursor: next } };
  }
  private checkContent(a: Args, maxBlocks = 50): void {
    const hasBlocks = Array.isArray(a.blocks) ? a.blocks.length > 0 : a.blocks !== undefined && a.blocks !== '';
    const hasAttachments = Array.isArray(a.attachments) && a.attachments.length > 0;
    if (!str(a.text) && !hasBlocks && !hasAttachments) refuse('no_text');
    if (str(a.text).length > 40_000) refuse('msg_too_long');
    if (a.blocks !== undefined) {
      const errs = blockErrors(a.blocks, maxBlocks);
      if (errs.length) refuse('invalid_blocks', { errors: errs, response_metadata: { messages: errs } });
    }
  }
  private checkView(v: unknown, kinds: string[]): Record<string, unknown> {
    if (!isObj(v)) return invalid(['[ERROR] missing required field: view']);
    const errs: string[] = [];
    if (!kinds.includes(str(v.type)))
      errs.push(`[ERROR] must be one of [${kinds.join(', ')}] [json-pointer:/view/type]`);
    if (v.type === 'modal') {
      for (const k of ['title', 'submit', 'close'] as const) {
        const t = v[k];
        if (t === undefined) {
          if (k === 'title') errs.push('[ERROR] missing required field: title [json-pointer:/view/title]');
          continue;
        }
        if (!isObj(t) || t.type !== 'plain_text' || !str(t.text))
          errs.push(`[ERROR] must be a plain_text object [json-pointer:/view/${k}]`);
        else if (str(t.text).length > 24)
          errs.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${k}/text]`);
      }
    }
    if (v.blocks === undefined) errs.push('[ERROR] missing required field: blocks [json-pointer:/view/blocks]');
    else errs.push(...blockErrors(v.blocks, 100, '/view/blocks'));
    if (str(v.private_metadata).length > 3000)
      errs.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
    if (str(v.callback_id).length > 255)
      errs.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
    if (errs.length) invalid(errs);
    return v;
  }
  private useTrigger(a: Args): void {
    const t = str(a.trigger_id);
    if (!t) invalid(['[ERROR] missing required field: trigger_id']);
    if (this.o.singleUseTriggers && this.usedTriggers.has(t)) refuse('exchanged_trigger_id');
    this.usedTriggers.add(t);
  }
  private saveView(v: Record<string, unknown>, prev?: FakeView, userId?: string): FakeView {
    const id = prev?.id ?? this.newId('V');
    const view: FakeView = {
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...v,
      id,
      team_id: this.o.teamId,
      type: str(v.type),
      state: { values: {} },
      hash: `${this.nextTs()}.${id}`,
      root_view_id: prev?.root_view_id ?? id,
      previous_view_id: null,
      app_id: APP_ID,
      app_installed_team_id: this.o.teamId,
      bot_id: BOT_ID,
      ...((userId ?? prev?.user_id) ? { user_id: userId ?? prev?.user_id } : {}),
    };
    this.views.set(id, view);
    return view;
  }

  /** Answer one Web API call (auth already checked). */
  handle(method: string, a: Args): Answer {
    const fn = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!fn) return { ok: false, error: 'unknown_method', req_method: method };
    try {
      return { ok: true, ...fn(a) };
    } catch (e) {
      if (e instanceof SlackRefusal) return { ok: false, error: e.code, ...e.extra };
      throw e;
    }
  }

  // ---- the methods -----------------------------------------------------------------------
  private table(): Record<string, Handler> {
    const { teamId, teamName, domain } = this.o;
    return {
      'auth.test': () => ({
        url: `https://${domain}.slack.com/`,
        team: teamName,
        user: 'dealroom',
        team_id: teamId,
        user_id: BOT_USER_ID,
        bot_id: BOT_ID,
        is_enterprise_install: false,
      }),

      'users.info': (a) => ({
        user: this.userObject(this.users.get(str(a.user)) ?? refuse('user_not_found'), bool(a.include_locale)),
      }),
      'users.lookupByEmail': (a) => {
        const u = [...this.users.values()].find((x) => x.email && x.email === str(a.email) && !x.deleted);
        return { user: this.userObject(u ?? refuse('users_not_found'), false) };
      },

      'conversations.create': (a) => {
        const name = str(a.name);
        checkChannelName(name);
        if (this.byName(name)) refuse('name_taken'); // archived channels keep their names
        const c = this.addChannel({ name, is_private: bool(a.is_private) });
        return { channel: this.channelObject(c) };
      },
      'conversations.info': (a) => ({
        channel: this.channelObject(this.visible(a.channel), bool(a.include_num_members)),
      }),
      'conversations.members': (a) => {
        const { items, response_metadata } = this.page([...this.visible(a.channel).members], a);
        return { members: items, response_metadata };
      },
      'conversations.list': (a) => {
        const types = new Set(list(a.types ?? 'public_channel'));
        const all = [...this.channels.values()].filter((c) => {
          const type =
            c.kind === 'im' ? 'im' : c.kind === 'mpim' ? 'mpim' : c.is_private ? 'private_channel' : 'public_channel';
          return (
            types.has(type) &&
            !(bool(a.exclude_archived) && c.archived) &&
            (!c.is_private || c.members.has(BOT_USER_ID))
          );
        });
        const { items, response_metadata } = this.page(all, a);
        return { channels: items.map((c) => this.channelObject(c)), response_metadata };
      },
      'conversations.history': (a) => {
        const c = this.visible(a.channel);
        if (!c.members.has(BOT_USER_ID)) refuse('not_in_channel');
        const top = (this.messages.get(c.id) ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts).reverse();
        const { items, response_metadata } = this.page(top, a);
        return {
          messages: items.map((m) => this.messageObject(m, bool(a.include_all_metadata))),
          has_more: response_metadata.next_cursor !== '',
          response_metadata,
        };
      },
      'conversations.invite': (a) => {
        const c = this.onlyChannels(this.joined(a.channel));
        const ids = list(a.users);
        if (!ids.length) refuse('no_user');
        if (ids.length > 1000) refuse('too_many_users');
        // Slack fails the whole batch when any invitee fails, unless force=true. https://docs.slack.dev/reference/methods/conversations.invite
        const errors = ids.flatMap((user) => {
          const u = this.users.get(user);
          const error =
            user === BOT_USER_ID
              ? 'cant_invite_self'
              : !u || u.deleted
                ? 'user_not_found'
                : c.members.has(user)
                  ? 'already_in_channel'
                  : '';
          return error ? [{ user, ok: false, error }] : [];
        });
        const fresh = ids.filter((u) => !errors.some((e) => e.user === u));
        if (errors.length && (!bool(a.force) || fresh.length === 0)) refuse(errors[0].error, { errors });
        for (const u of fresh) c.members.add(u);
        return { channel: this.channelObject(c), ...(errors.length ? { errors } : {}) };
      },
      'conversations.kick': (a) => {
        const c = this.onlyChannels(this.joined(a.channel));
        const user = str(a.user);
        if (user === BOT_USER_ID) refuse('cant_kick_self');
        this.knownUser(user);
        if (!c.members.delete(user)) refuse('not_in_channel');
        return {};
      },
      'conversations.join': (a) => {
        const c = this.onlyChannels(this.visible(a.channel));
        if (c.is_private) refuse('method_not_supported_for_channel_type');
        if (c.archived) refuse('is_archived');
        const already = c.members.has(BOT_USER_ID);
        c.members.add(BOT_USER_ID);
        return {
          channel: this.channelObject(c),
          ...(already
            ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
            : {}),
        };
      },
      'conversations.leave': (a) => {
        const c = this.onlyChannels(this.visible(a.channel));
        if (c.archived) refuse('is_archived');
        if (!c.members.delete(BOT_USER_ID)) return { not_in_channel: true };
        return {};
      },
      'conversations.rename': (a) => {
        const c = this.onlyChannels(this.joined(a.channel));
        const name = str(a.name);
        checkChannelName(name);
        if (name !== c.name && this.byName(name)) refuse('name_taken');
        c.name = name;
        return { channel: this.channelObject(c) };
      },
      'conversations.setTopic': (a) => {
        const c = this.joined(a.channel);
        if (str(a.topic).length > 250) refuse('too_long');
        c.topic = str(a.topic);
        return { channel: this.channelObject(c) };
      },
      'conversations.setPurpose': (a) => {
        const c = this.joined(a.channel);
        if (str(a.purpose).length > 250) refuse('too_long');
        c.purpose = str(a.purpose);
        return { channel: this.channelObject(c), purpose: c.purpose };
      },
      'conversations.archive': (a) => {
        const c = this.onlyChannels(this.visible(a.channel));
        if (c.archived) refuse('already_archived');
        if (!c.members.has(BOT_USER_ID)) refuse('not_in_channel');
        c.archived = true;
        return {};
      },
      // Slack refuses conversations.unarchive for bot tokens: answer not_authorized.
      'conversations.unarchive': (a) => {
        this.onlyChannels(this.lookup(str(a.channel)) ?? refuse('channel_not_found'));
        return refuse('not_authorized');
      },
      // https://docs.slack.dev/reference/methods/files.getuploadurlexternal
      'files.getUploadURLExternal': (a) => {
        const name = str(a.filename);
        const length = Number(str(a.length));
        if (!name) invalid(['[ERROR] missing required field: filename']);
        if (!Number.isInteger(length) || length <= 0) invalid(['[ERROR] length must be a positive integer']);
        const id = this.newId('F');
        this.files.set(id, {
          id,
          name,
          title: name,
          ...(a.alt_text ? { alt_text: str(a.alt_text) } : {}),
          length,
          bytes: null,
          completed: false,
          channels: [],
        });
        return { upload_url: `${this.uploadBase}/upload/${id}`, file_id: id };
      },
      // https://docs.slack.dev/reference/methods/files.completeuploadexternal
      'files.completeUploadExternal': (a) => {
        const entries = Array.isArray(a.files) ? (a.files as { id?: unknown; title?: unknown }[]) : [];
        if (!entries.length) invalid(['[ERROR] missing required field: files']);
        const c = a.channel_id !== undefined ? this.joined(a.channel_id) : undefined;
        const files = entries.map((e) => {
          const f = this.files.get(str(e.id));
          // Nothing arrived at the upload URL: Slack has no file to complete.
          if (!f || f.completed || !f.bytes) return refuse('file_not_found');
          if (f.bytes.length !== f.length)
            invalid([`[ERROR] file ${f.id}: ${f.bytes.length} bytes uploaded, ${f.length} announced`]);
          return f;
        });
        for (const [i, f] of files.entries()) {
          f.completed = true;
          if (entries[i].title) f.title = str(entries[i].title);
          if (!c) continue;
          f.channels.push(c.id);
          this.store({
            type: 'message',
            subtype: 'file_share',
            channel: c.id,
            ts: this.nextTs(),
            text: '',
            user: BOT_USER_ID,
            bot_id: BOT_ID,
            app_id: APP_ID,
            files: [{ id: f.id }],
          });
        }
        return { files: files.map((f) => this.fileObject(f)) };
      },

      'conversations.open': (a) => {
        if (a.channel) return { channel: { id: this.visible(a.channel).id } };
        const ids = list(a.users);
        if (!ids.length) refuse('users_list_not_supplied');
        if (ids.length > 8) refuse('too_many_users');
        for (const u of ids) this.knownUser(u);
        let c: FakeChannel;
        let existed: boolean;
        if (ids.length === 1) ({ c, existed } = this.openDm(ids[0]));
        else {
          const want = [BOT_USER_ID, ...ids].sort().join(',');
          const found = [...this.channels.values()].find(
            (x) => x.kind === 'mpim' && [...x.members].sort().join(',') === want,
          );
          existed = Boolean(found);
          c = found ?? {
            id: this.newId('G'),
            name: `mpdm-${ids.join('--')}-1`,
            kind: 'mpim',
            is_private: true,
            created: this.now(),
            creator: BOT_USER_ID,
            topic: '',
            purpose: '',
            members: new Set([BOT_USER_ID, ...ids]),
            archived: false,
          };
          this.channels.set(c.id, c);
        }
        return {
          channel: bool(a.return_im) ? this.channelObject(c) : { id: c.id },
          ...(existed ? { no_op: true, already_open: true } : {}),
        };
      },

      'chat.postMessage': (a) => {
        const c = this.postTarget(a.channel);
        this.checkContent(a);
        const m: FakeMessage = {
          type: 'message',
          channel: c.id,
          ts: this.nextTs(),
          text: str(a.text),
          user: BOT_USER_ID,
          bot_id: BOT_ID,
          app_id: APP_ID,
          ...(a.blocks !== undefined ? { blocks: a.blocks as unknown[] } : {}),
          ...(Array.isArray(a.attachments) ? { attachments: a.attachments } : {}),
          ...(a.thread_ts ? { thread_ts: str(a.thread_ts) } : {}),
          ...(a.metadata !== undefined ? { metadata: a.metadata } : {}),
        };
        this.store(m);
        return { channel: c.id, ts: m.ts, message: this.messageObject(m) };
      },
      'chat.postEphemeral': (a) => {
        const c = this.postTarget(a.channel);
        const user = str(a.user);
        this.knownUser(user);
        if (!c.members.has(user)) refuse('user_not_in_channel');
        this.checkContent(a);
        const e: FakeEphemeral = {
          channel: c.id,
          user,
          message_ts: this.nextTs(),
          text: str(a.text),
          ...(Array.isArray(a.blocks) ? { blocks: a.blocks } : {}),
          ...(a.thread_ts ? { thread_ts: str(a.thread_ts) } : {}),
        };
        this.ephemerals.set(c.id, [...(this.ephemerals.get(c.id) ?? []), e]);
        return { message_ts: e.message_ts };
      },
      'chat.update': (a) => {
        const c = this.visible(a.channel);
        if (c.archived) refuse('is_archived');
        const m = this.message(c, a.ts);
        if (m.user !== BOT_USER_ID) refuse('cant_update_message');
        this.checkContent(a);
        // Fields left out keep their old value; blocks: [] removes the blocks.
        if (a.text !== undefined) m.text = str(a.text);
        if (a.blocks !== undefined) m.blocks = a.blocks as unknown[];
        if (Array.isArray(a.attachments)) m.attachments = a.attachments;
        if (a.metadata !== undefined) m.metadata = a.metadata;
        m.edited = { user: BOT_USER_ID, ts: this.nextTs() };
        return { channel: c.id, ts: m.ts, text: m.text, message: this.messageObject(m) };
      },
      'chat.delete': (a) => {
        const c = this.visible(a.channel);
        const m = this.message(c, a.ts);
        if (m.user !== BOT_USER_ID) refuse('cant_delete_message');
        this.messages.set(
          c.id,
          (this.messages.get(c.id) ?? []).filter((x) => x !== m),
        );
        this.pins.set(
          c.id,
          (this.pins.get(c.id) ?? []).filter((ts) => ts !== m.ts),
        );
        return { channel: c.id, ts: m.ts };
      },
      'chat.getPermalink': (a) => {
        const c = this.visible(a.channel);
        const m = this.message(c, a.message_ts);
        return { channel: c.id, permalink: `https://${domain}.slack.com/archives/${c.id}/p${m.ts.replace('.', '')}` };
      },

      'pins.add': (a) => {
        const c = this.joined(a.channel);
        const m = this.message(c, a.timestamp);
        const pinned = this.pins.get(c.id) ?? [];
        if (pinned.includes(m.ts)) refuse('already_pinned');
        this.pins.set(c.id, [...pinned, m.ts]);
        return {};
      },
      'pins.remove': (a) => {
        const c = this.joined(a.channel);
        const pinned = this.pins.get(c.id) ?? [];
        if (!pinned.includes(str(a.timestamp))) refuse('no_pin');
        this.pins.set(
          c.id,
          pinned.filter((ts) => ts !== str(a.timestamp)),
        );
        return {};
      },
      'pins.list': (a) => {
        const c = this.visible(a.channel);
        const items = (this.pins.get(c.id) ?? []).map((ts) => ({
          type: 'message',
          channel: c.id,
          created: this.now(),
          created_by: BOT_USER_ID,
          message: this.messageObject(this.message(c, ts)),
        }));
        return { items };
      },

      'views.open': (a) => {
        const v = this.checkView(a.view, ['modal']);
        this.useTrigger(a);
        return { view: this.saveView(v) };
      },
      'views.push': (a) => {
        const v = this.checkView(a.view, ['modal']);
        this.useTrigger(a);
        return { view: this.saveView(v) };
      },
      'views.update': (a) => {
        if (!a.view_id && !a.external_id) invalid(['[ERROR] either view_id or external_id is required']);
        const prev = a.view_id
          ? this.views.get(str(a.view_id))
          : [...this.views.values()].find((x) => x.external_id === str(a.external_id));
        if (!prev) refuse('not_found');
        if (a.hash && str(a.hash) !== prev.hash) refuse('hash_conflict');
        const v = this.checkView(a.view, [prev.type]);
        const view = this.saveView(v, prev);
        if (view.type === 'home' && view.user_id) this.homeViews.set(view.user_id, view);
        return { view };
      },
      'views.publish': (a) => {
        const userId = str(a.user_id);
        this.knownUser(userId);
        const v = this.checkView(a.view, ['home']);
        const prev = this.homeViews.get(userId);
        if (a.hash && prev && str(a.hash) !== prev.hash) refuse('hash_conflict');
        const view = this.saveView(v, prev, userId);
        this.homeViews.set(userId, view);
        return { view };
      },
    };
  }
}
