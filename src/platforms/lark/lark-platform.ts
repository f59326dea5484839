// ChatPlatform over the Lark/Feishu Open API (the SDK's Client). Rooms are private group chats,
// every message is an interactive card (./card.ts), DMs go to the person's p2p chat with the bot.
// Lark failures become PlatformError (./errors.ts); a short rate limit is waited out once.
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../app/logger.ts';
import type { Message } from '../../app/message.ts';
import {
  type ChatPlatform,
  type Clock,
  type ImageTarget,
  type ImageUpload,
  type PlatformCapabilities,
  type SharedFile,
  systemClock,
  type UserProfile,
  type WorkspaceRef,
} from '../../app/ports.ts';
import { PlatformError } from '../../domain/errors.ts';
import { readBounded } from '../bounded-read.ts';
import { type RenderOptions, toLarkCard } from './card.ts';
import { larkRefusal, toPlatformError } from './errors.ts';

/** Lark has no archive: a closed deal's group is renamed with this mark and stays readable. */
export const CLOSED_MARK = '🔒 ';
/** Group names are limited in length (https://open.feishu.cn/document/server-docs/group/chat/create). */
const MAX_CHAT_NAME = 60;
const PROFILE_TTL_MS = 3600_000;
/** Chats looked through by `findRoomByName` (most recently active first), 100 a page. */
const MAX_CHAT_PAGES = 5;

export interface LarkPlatformOptions {
  client: lark.Client;
  log: Logger;
  /** Rate-limit waits up to this long are retried once; longer ones are reported. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How cards link to chats (AppLink host of the tenant's cloud). */
  render?: RenderOptions;
  /** For the profile cache's age (the app's one clock). */
  clock?: Clock;
}

type LarkAnswer = { code?: number; msg?: string };

export class LarkPlatform implements ChatPlatform {
  readonly kind = 'lark' as const;
  /** Lark has no archive: "archive" renames the group with a closed mark (kept readable, people
   * stay), and unarchive takes the mark off, so a reopened deal keeps its group. No replies only
   * the speaker sees in a group (answers go to the person's chat with the bot), no forms, no home
   * tab. */
  readonly capabilities: PlatformCapabilities = {
    archive: 'mark',
    unarchive: true,
    privateReplies: false,
    forms: false,
    homeTab: false,
    pictures: true, // an image message
  };
  private botOpenId?: Promise<string>;
  private readonly profiles = new Map<string, { at: number; profile: UserProfile | null }>();
  constructor(private readonly o: LarkPlatformOptions) {}

  private get client() {
    return this.o.client;
  }

  /** One Open API call: `code != 0` is an error too; a short rate limit is waited out once. The
   * same `fn` runs again, so a send keeps its uuid and Lark de-duplicates it. */
  async call<T extends LarkAnswer>(fn: () => Promise<T>): Promise<T> {
    const once = async () => {
      let res: T;
      try {
        res = await fn();
      } catch (e) {
        throw toPlatformError(e);
      }
      if (res && typeof res.code === 'number' && res.code !== 0) throw larkRefusal(res);
      return res;
    };
    try {
      return await once();
    } catch (e) {
      const pe = e as PlatformError;
      const waitMs = (pe.retryAfterSeconds ?? 0) * 1000;
      if (pe.code !== 'rate_limited' || waitMs > (this.o.maxRetryWaitMs ?? 5000)) throw pe;
      this.o.log.warn({ waitMs }, 'lark rate limited; retrying once');
      await (this.o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(waitMs);
      return once();
    }
  }

  /** The bot's own open_id, to recognise mentions of it. https://open.feishu.cn/document/client-docs/bot-v3/obtain-bot-info */
  botId(): Promise<string> {
    this.botOpenId ??= this.call(() =>
      this.client.request<LarkAnswer & { bot?: { open_id?: string } }>({
        method: 'GET',
        url: '/open-apis/bot/v3/info',
      }),
    )
      .then((r) => {
        if (!r.bot?.open_id) throw new PlatformError('api_error', 'no_bot', 'bot/v3/info has no open_id');
        return r.bot.open_id;
      })
      .catch((e) => {
        this.botOpenId = undefined;
        throw e;
      });
    return this.botOpenId;
  }

  async createRoom(_ws: WorkspaceRef, req: { name: string; topic: string }) {
    // Lark allows any text and duplicate names, so the room is named after the deal itself; the
    // bot creates it (and owns it) and the people are added by `invite`.
    const name = clipName(req.topic || req.name);
    const uuid = randomUUID(); // de-duplicates our own retry of this creation
    const r = await this.call(() =>
      this.client.im.chat.create({
        params: { user_id_type: 'open_id', set_bot_manager: true, uuid },
        data: { name, description: req.topic.slice(0, 100), chat_mode: 'group', chat_type: 'private' },
      }),
    );
    return { roomId: r.data!.chat_id!, name };
  }

  async invite(_ws: WorkspaceRef, roomId: string, userIds: string[]) {
    const bot = await this.botId();
    const users = [...new Set(userIds)].filter((u) => u !== bot);
    if (!users.length) return;
    // succeed_type=1: everyone who can be added is added; members already in are not an error.
    const r = await this.call(() =>
      this.client.im.chatMembers.create({
        path: { chat_id: roomId },
        params: { member_id_type: 'open_id', succeed_type: 1 },
        data: { id_list: users },
      }),
    );
    const missing = [...(r.data?.not_existed_id_list ?? []), ...(r.data?.invalid_id_list ?? [])];
    if (missing.length)
      throw new PlatformError('user_not_found', 'not_existed_id_list', `Lark does not know ${missing.join(', ')}`);
  }

  private async send(
    receiveIdType: 'chat_id' | 'open_id',
    receiveId: string,
    message: Message,
    uuid: string = randomUUID(),
  ) {
    const content = toLarkCard(message, this.o.render);
    const r = await this.call(() =>
      this.client.im.message.create({
        params: { receive_id_type: receiveIdType },
        data: { receive_id: receiveId, msg_type: 'interactive', content, uuid },
      }),
    );
    return { messageId: r.data!.message_id! };
  }

  /** A keyed post (an outbox step's room post or first card) is sent with a uuid made from its
   * key, so a retry after a lost answer does not post it twice within the hour Lark keeps uuids. */
  post(_ws: WorkspaceRef, roomId: string, message: Message, opts: { key?: string } = {}) {
    return this.send('chat_id', roomId, message, opts.key ? keyUuid(roomId, opts.key) : randomUUID());
  }

  async update(_ws: WorkspaceRef, _roomId: string, messageId: string, message: Message) {
    // Cards sent with update_multi are patched in place for everyone. https://open.feishu.cn/document/server-docs/im-v1/message-card/patch
    await this.call(() =>
      this.client.im.message.patch({
        path: { message_id: messageId },
        data: { content: toLarkCard(message, this.o.render) },
      }),
    );
  }

  async pin(_ws: WorkspaceRef, _roomId: string, messageId: string) {
    await this.call(() => this.client.im.pin.create({ data: { message_id: messageId } }));
  }

  async dm(_ws: WorkspaceRef, userId: string, message: Message, opts: { key?: string } = {}) {
    // Sending to an open_id lands in the person's p2p chat with the bot. A keyed DM (a digest) is
    // sent with a uuid made from its key: Lark sends at most one message per uuid within an hour
    // (https://open.feishu.cn/document/server-docs/im-v1/message/create, `uuid`), so sending it
    // again after an interruption cannot make a second copy within that hour.
    await this.send('open_id', userId, message, opts.key ? keyUuid(userId, opts.key) : randomUUID());
  }

  /** A picture is two calls (https://open.feishu.cn/document/server-docs/im-v1/image/create, then
   * .../im-v1/message/create with `msg_type: image`): the PNG is uploaded as a message image
   * (multipart, at most 10 MB, scope im:resource) for an `image_key`, which is then sent to the
   * room (chat_id) or the person's chat with the bot (open_id) under one uuid, so a retried send is
   * not shown twice. The bytes go as a stream named after the file: the SDK's form then carries
   * `filename="funnel-….png"` and `Content-Type: image/png`, as Lark's own examples do (a bare Buffer
   * goes without a name, which Lark has answered with 234001: larksuite/node-sdk#44). Lark shows an
   * image message without a caption, so `title` and `altText` stay with the text sent before it. */
  async postImage(_ws: WorkspaceRef, target: ImageTarget, image: ImageUpload) {
    // The SDK answers this call with the `data` part only ({image_key}); Lark's refusals throw.
    const up = await this.call(
      async (): Promise<LarkAnswer & { image_key?: string }> =>
        (await this.client.im.image.create({
          // A fresh stream per attempt: a rate-limited upload is sent again in full.
          data: { image_type: 'message', image: Object.assign(Readable.from([image.png]), { path: image.filename }) },
        } as unknown as Parameters<lark.Client['im']['image']['create']>[0])) ?? {},
    );
    const imageKey = up.image_key;
    if (!imageKey) throw new PlatformError('api_error', 'no_image_key', 'im.image.create gave no image_key');
    const [type, id] =
      'roomId' in target ? (['chat_id', target.roomId] as const) : (['open_id', target.userId] as const);
    const uuid = randomUUID();
    await this.call(() =>
      this.client.im.message.create({
        params: { receive_id_type: type },
        data: { receive_id: id, msg_type: 'image', content: JSON.stringify({ image_key: imageKey }), uuid },
      }),
    );
  }

  /** Lark cannot tell afterwards whether a keyed DM arrived (a card read back carries no key), so
   * this answers false ("not known to have arrived") and the app sends it again: the resend carries
   * the same uuid, which Lark de-duplicates for one hour. An interrupted digest is therefore
   * delivered exactly once when it is resent within the hour (the scheduler retries interrupted
   * sends after 15 minutes); a resend more than an hour later may duplicate it. */
  async wasDelivered(_ws: WorkspaceRef, _userId: string, _key: string): Promise<boolean> {
    return false;
  }

  /** The group `createRoom` made for a room of this name and topic (Lark names a deal's group after
   * its topic, and several groups may share a name): the bot's chats, most recently active first,
   * up to MAX_CHAT_PAGES pages of 100. https://open.feishu.cn/document/server-docs/group/chat/list */
  async findRoomByName(_ws: WorkspaceRef, name: string, topic?: string) {
    const wanted = clipName(topic || name);
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_CHAT_PAGES; page++) {
      const r = await this.call(() =>
        this.client.im.chat.list({
          params: {
            user_id_type: 'open_id',
            sort_type: 'ByActiveTimeDesc',
            page_size: 100,
            ...(pageToken ? { page_token: pageToken } : {}),
          },
        }),
      );
      const hit = r.data?.items?.find((c) => c.name === wanted && c.chat_id);
      if (hit) return { roomId: hit.chat_id!, name: hit.name!, topic: hit.description ?? '' };
      if (!r.data?.has_more || !r.data.page_token) return null;
      pageToken = r.data.page_token;
    }
    return null;
  }

  /** A file sent in a message, by message id and file key (the bot must be in that chat):
   * https://open.feishu.cn/document/server-docs/im-v1/message/get-2. The SDK asks for a stream, so a
   * refusal's body (HTTP 400 with Lark's `code`) arrives as a stream too and its error mapping sees
   * no code: the body is read here to map it like every other call. */
  async downloadFile(_ws: WorkspaceRef, file: SharedFile, o: { maxBytes: number }) {
    let ref: { messageId?: unknown; fileKey?: unknown };
    try {
      ref = JSON.parse(file.ref) as typeof ref;
    } catch {
      ref = {};
    }
    if (typeof ref.messageId !== 'string' || typeof ref.fileKey !== 'string')
      throw new PlatformError('api_error', 'bad_file_ref', 'Not a Lark file reference');
    const { messageId, fileKey } = ref;
    const res = await this.call(async () => {
      try {
        const r = await this.client.im.messageResource.get({
          path: { message_id: messageId, file_key: fileKey },
          params: { type: 'file' },
        });
        return { code: 0, stream: r.getReadableStream() };
      } catch (e) {
        throw await withStreamedBody(e);
      }
    });
    const stream = res.stream;
    return readBounded(stream, o.maxBytes, () => stream.destroy());
  }

  async resolveUser(_ws: WorkspaceRef, userId: string): Promise<UserProfile | null> {
    const cached = this.profiles.get(userId);
    const now = (this.o.clock ?? systemClock).now().getTime();
    if (cached && now - cached.at < PROFILE_TTL_MS) return cached.profile;
    let profile: UserProfile | null = null;
    try {
      // Names and time zones; Lark's contact API has no language field. https://open.feishu.cn/document/server-docs/contact-v3/user/get
      const r = await this.call(() =>
        this.client.contact.user.get({ path: { user_id: userId }, params: { user_id_type: 'open_id' } }),
      );
      const u = r.data?.user;
      if (u)
        profile = {
          externalId: userId,
          name: u.name || u.en_name || userId,
          displayName: u.name || u.en_name || '',
          timezone: validZone(u.time_zone),
        };
    } catch (e) {
      if (!(e instanceof PlatformError && e.code === 'user_not_found')) throw e;
    }
    this.profiles.set(userId, { at: now, profile });
    return profile;
  }

  async archiveRoom(_ws: WorkspaceRef, roomId: string) {
    // No archive on Lark: mark the group closed by its name. Twice is harmless.
    const name = await this.chatName(roomId);
    if (name.startsWith(CLOSED_MARK)) return;
    await this.rename(roomId, clipName(`${CLOSED_MARK}${name}`));
  }

  /** Reopening a deal takes the closed mark off its group: the same group serves it again. */
  async unarchiveRoom(_ws: WorkspaceRef, roomId: string) {
    const name = await this.chatName(roomId);
    if (name.startsWith(CLOSED_MARK)) await this.rename(roomId, name.slice(CLOSED_MARK.length));
  }

  private async chatName(roomId: string) {
    const r = await this.call(() => this.client.im.chat.get({ path: { chat_id: roomId } }));
    return r.data?.name ?? '';
  }

  private async rename(roomId: string, name: string) {
    await this.call(() => this.client.im.chat.update({ path: { chat_id: roomId }, data: { name } }));
  }
}

/** Lark's `uuid` is at most 50 characters: a digest of the receiver (person or chat) and the key. */
const keyUuid = (receiver: string, key: string) =>
  `k-${createHash('sha256').update(`${receiver}\n${key}`).digest('hex').slice(0, 40)}`;

const clipName = (s: string) => ([...s].length > MAX_CHAT_NAME ? `${[...s].slice(0, MAX_CHAT_NAME - 1).join('')}…` : s);

function validZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

/** An axios error whose body is still a stream (a `responseType: 'stream'` call) with the body read
 * and parsed, so toPlatformError sees Lark's `code` like on any other call. */
async function withStreamedBody(e: unknown): Promise<unknown> {
  const r = (e as { response?: { data?: unknown } }).response;
  const data = r?.data as (AsyncIterable<Uint8Array> & { readable?: boolean }) | undefined;
  if (!r || !data || typeof data !== 'object' || !(Symbol.asyncIterator in data)) return e;
  try {
    const text = await readBounded(data, 64 * 1024);
    r.data = text === 'too_big' ? {} : JSON.parse(text.toString('utf8'));
  } catch {
    r.data = {};
  }
  return e;
}
