// ChatPlatform over Slack's Web API (the WebClient Bolt gives us). Slack errors become
// PlatformError with a code the app can explain; rate limits are retried once when short.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../app/logger.ts';
import type { Message } from '../../app/message.ts';
import type {
  ChatPlatform,
  Clock,
  ImageTarget,
  ImageUpload,
  PlatformCapabilities,
  SharedFile,
  UserProfile,
  WorkspaceRef,
} from '../../app/ports.ts';
import { PlatformError, type PlatformErrorCode } from '../../domain/errors.ts';
import { readBounded } from '../bounded-read.ts';
import { LIMITS, toBlockKit } from './block-kit.ts';

/** Slack channel names: lowercase letters, digits, hyphens and underscores, at most 80 chars.
 * https://api.slack.com/methods/conversations.create#naming */
export function slackChannelName(name: string, suffix = ''): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, '') || 'deal';
  return `${base.slice(0, 80 - suffix.length).replace(/-$/, '')}${suffix}`;
}

/** The metadata event type of keyed messages (digests, outbox posts and DMs). */
const DELIVERY_EVENT = 'dealroom_delivery';
/** A key rides along as message metadata, readable back from the history: https://api.slack.com/metadata/using */
const deliveryMetadata = (key?: string) =>
  key ? { metadata: { event_type: DELIVERY_EVENT, event_payload: { key } } } : {};

const CODE_OF: Record<string, PlatformErrorCode> = {
  ratelimited: 'rate_limited',
  not_in_channel: 'not_in_channel',
  channel_not_found: 'channel_not_found',
  is_archived: 'is_archived',
  name_taken: 'name_taken',
  message_not_found: 'message_not_found',
  missing_scope: 'missing_scope',
  not_authed: 'missing_scope',
  invalid_auth: 'missing_scope',
};

/** WebClient errors -> PlatformError. https://slack.dev/node-slack-sdk/web-api#handle-errors */
export function toPlatformError(e: unknown): PlatformError {
  const err = e as { code?: string; data?: { error?: string }; retryAfter?: number; message?: string };
  if (err.code === 'slack_webapi_rate_limited_error')
    return new PlatformError('rate_limited', 'ratelimited', 'Slack rate limit', err.retryAfter, { cause: e });
  if (err.code === 'slack_webapi_platform_error') {
    const slack = err.data?.error ?? 'unknown';
    return new PlatformError(CODE_OF[slack] ?? 'api_error', slack, `Slack refused: ${slack}`, undefined, { cause: e });
  }
  if (err.code === 'slack_webapi_request_error' || err.code === 'slack_webapi_http_error')
    return new PlatformError('network', err.code, `Slack unreachable: ${err.message}`, undefined, { cause: e });
  return new PlatformError('api_error', 'unknown', String(err.message ?? e), undefined, { cause: e });
}

export interface SlackPlatformOptions {
  client: WebClient;
  log: Logger;
  /** Rate-limit waits up to this long are retried once; longer ones are reported. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The app's clock, for the profile cache's age (default: the system clock). */
  clock?: Clock;
}

/** How long a file download may take (the inbox lease is a minute). */
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** How long a Slack profile (name, time zone, language) is reused before it is asked again. */
const PROFILE_TTL_MS = 3600_000;

export class SlackPlatform implements ChatPlatform {
  readonly kind = 'slack' as const;
  readonly capabilities: PlatformCapabilities = {
    archive: 'archive',
    // Bot tokens cannot unarchive: https://docs.slack.dev/reference/methods/conversations.unarchive
    unarchive: false,
    privateReplies: true, // ephemeral messages
    forms: true, // modals
    homeTab: true, // App Home
    pictures: true, // files.uploadV2
  };
  private botUserId?: Promise<string>;
  private readonly profiles = new Map<string, { at: number; profile: UserProfile | null }>();
  constructor(private readonly o: SlackPlatformOptions) {}
  private now = () => (this.o.clock ? this.o.clock.now().getTime() : Date.now());

  private get client() {
    return this.o.client;
  }

  /** One Web API call: a short rate limit is waited out once (Retry-After), everything else maps to PlatformError. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const pe = toPlatformError(e);
      const waitMs = (pe.retryAfterSeconds ?? 0) * 1000;
      if (pe.code !== 'rate_limited' || waitMs > (this.o.maxRetryWaitMs ?? 5000)) throw pe;
      this.o.log.warn({ waitMs }, 'slack rate limited; retrying once');
      await (this.o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(waitMs);
      try {
        return await fn();
      } catch (e2) {
        throw toPlatformError(e2);
      }
    }
  }

  private bot(): Promise<string> {
    this.botUserId ??= this.call(() => this.client.auth.test())
      .then((r) => String(r.user_id))
      .catch((e) => {
        this.botUserId = undefined;
        throw e;
      });
    return this.botUserId;
  }

  async createRoom(_ws: WorkspaceRef, req: { name: string; topic: string }) {
    // name_taken: another channel (even an archived one) holds the name; try -2, -3 …
    for (let n = 1; n <= 20; n++) {
      const name = slackChannelName(req.name, n === 1 ? '' : `-${n}`);
      try {
        const r = await this.call(() => this.client.conversations.create({ name, is_private: true }));
        const roomId = r.channel!.id!;
        await this.call(() =>
          this.client.conversations.setTopic({ channel: roomId, topic: req.topic.slice(0, 250) }),
        ).catch((e) => this.o.log.warn({ err: e }, 'setTopic failed'));
        return { roomId, name };
      } catch (e) {
        if (!(e instanceof PlatformError && e.platformCode === 'name_taken')) throw e;
      }
    }
    throw new PlatformError('name_taken', 'name_taken', `No free channel name for ${req.name}`);
  }

  /** The private channel the bot is in with this exact name (deal rooms are private), archived
   * included: Slack keeps an archived channel's name taken. Paged per
   * https://api.slack.com/methods/conversations.list#pagination */
  async findRoomByName(_ws: WorkspaceRef, name: string) {
    let cursor: string | undefined;
    do {
      const r = await this.call(() => this.client.conversations.list({ types: 'private_channel', limit: 200, cursor }));
      const c = r.channels?.find((x) => x.name === name);
      if (c?.id) return { roomId: c.id, name, topic: c.topic?.value ?? '' };
      cursor = r.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return null;
  }

  async invite(_ws: WorkspaceRef, roomId: string, userIds: string[]) {
    const bot = await this.bot();
    const users = [...new Set(userIds)].filter((u) => u !== bot);
    if (!users.length) return;
    try {
      await this.call(() => this.client.conversations.invite({ channel: roomId, users: users.join(',') }));
    } catch (e) {
      // Slack fails the whole batch when one person is already in: invite one by one then.
      if (!(e instanceof PlatformError && e.platformCode === 'already_in_channel')) throw e;
      for (const u of users) {
        await this.call(() => this.client.conversations.invite({ channel: roomId, users: u })).catch((x) => {
          if (!(x instanceof PlatformError && x.platformCode === 'already_in_channel')) throw x;
        });
      }
    }
  }

  /** One person per call: https://docs.slack.dev/reference/methods/conversations.kick — someone
   * already gone (`not_in_channel` for the user) is what we wanted. */
  async removeFromRoom(_ws: WorkspaceRef, roomId: string, userIds: string[]) {
    for (const user of new Set(userIds)) {
      await this.call(() => this.client.conversations.kick({ channel: roomId, user })).catch((e) => {
        if (!(e instanceof PlatformError && e.platformCode === 'not_in_channel')) throw e;
      });
    }
  }

  async post(_ws: WorkspaceRef, roomId: string, message: Message, opts: { key?: string } = {}) {
    const r = await this.call(() =>
      this.client.chat.postMessage({
        channel: roomId,
        ...toBlockKit(message),
        unfurl_links: false,
        ...deliveryMetadata(opts.key),
      } as any),
    );
    return { messageId: String(r.ts) };
  }

  /** Looks for the keyed message in the room's recent history (the bot's own posts: a step is
   * retried within minutes, so the last 100 messages hold it unless the room is very busy). */
  async findPosted(_ws: WorkspaceRef, roomId: string, key: string) {
    return this.findKeyed(roomId, key, 100);
  }

  private async findKeyed(channel: string, key: string, limit: number): Promise<string | null> {
    const r = await this.call(() => this.client.conversations.history({ channel, include_all_metadata: true, limit }));
    const m = (r.messages ?? []).find(
      (m: any) => m.metadata?.event_type === DELIVERY_EVENT && m.metadata?.event_payload?.key === key,
    );
    return m?.ts ?? null;
  }

  async update(_ws: WorkspaceRef, roomId: string, messageId: string, message: Message) {
    await this.call(() => this.client.chat.update({ channel: roomId, ts: messageId, ...toBlockKit(message) } as any));
  }

  async pin(_ws: WorkspaceRef, roomId: string, messageId: string) {
    await this.call(() => this.client.pins.add({ channel: roomId, timestamp: messageId })).catch((e) => {
      if (!(e instanceof PlatformError && e.platformCode === 'already_pinned')) throw e;
    });
  }

  async dm(_ws: WorkspaceRef, userId: string, message: Message, opts: { key?: string } = {}) {
    // Posting to a user id delivers into the app's DM with them. https://api.slack.com/methods/chat.postMessage#app_home
    await this.call(() =>
      this.client.chat.postMessage({ channel: userId, ...toBlockKit(message), ...deliveryMetadata(opts.key) } as any),
    );
  }

  /** Uploads a PNG with the SDK's files.uploadV2, which makes three calls
   * (https://docs.slack.dev/messaging/working-with-files#upload): files.getUploadURLExternal
   * (name, length, alt text) → POST of the bytes to the returned upload_url →
   * files.completeUploadExternal with the file id and `channel_id`, which shares it there. A DM
   * goes to the app's DM channel with the person (conversations.open): a file needs a channel id. */
  async postImage(_ws: WorkspaceRef, target: ImageTarget, image: ImageUpload) {
    let channel: string;
    if ('roomId' in target) channel = target.roomId;
    else {
      const open = await this.call(() => this.client.conversations.open({ users: target.userId }));
      channel = open.channel?.id ?? '';
      if (!channel) throw new PlatformError('channel_not_found', 'channel_not_found', 'No DM channel with the person');
    }
    await this.call(() =>
      this.client.files.uploadV2({
        channel_id: channel,
        file: image.png,
        filename: image.filename,
        title: image.title,
        alt_text: image.altText,
      }),
    );
  }

  /** A file a person shared with the bot, from its `url_private_download` with the bot token
   * (https://docs.slack.dev/messaging/working-with-files#authenticating). Slack answers a missing or
   * refused token with its sign-in page (HTTP 200, text/html), not an error: an HTML answer is a
   * refusal, never the file. The token goes only to Slack's file host (or the API URL's host: a
   * proxy, the tests' fake), whatever URL an event names. */
  async downloadFile(_ws: WorkspaceRef, file: SharedFile, o: { maxBytes: number }) {
    let url: URL;
    try {
      url = new URL(file.ref);
    } catch {
      throw new PlatformError('api_error', 'bad_file_url', 'The file has no download URL');
    }
    const api = new URL(this.client.slackApiUrl);
    if (!(url.protocol === 'https:' && url.hostname === 'files.slack.com') && url.origin !== api.origin)
      throw new PlatformError('api_error', 'foreign_file_url', `Not a Slack file URL: ${url.origin}`);
    let res: Response;
    try {
      // Bounded: a download that hangs must not hold an inbox worker past its lease.
      res = await fetch(url, {
        headers: { authorization: `Bearer ${this.client.token ?? ''}` },
        signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
      });
    } catch (e) {
      throw new PlatformError('network', 'fetch_failed', `Slack unreachable: ${String(e)}`, undefined, { cause: e });
    }
    if (res.status === 429)
      throw new PlatformError(
        'rate_limited',
        'ratelimited',
        'Slack rate limit',
        Number(res.headers.get('retry-after')) || 1,
      );
    if (res.status >= 500)
      throw new PlatformError('network', `http_${res.status}`, `Slack answered HTTP ${res.status}`);
    if (!res.ok) throw new PlatformError('api_error', `http_${res.status}`, `Slack answered HTTP ${res.status}`);
    if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
      await res.body?.cancel();
      throw new PlatformError('missing_scope', 'login_page', 'Slack answered with its sign-in page: token refused');
    }
    if (!res.body) return Buffer.alloc(0);
    const body = res.body;
    try {
      return await readBounded(body, o.maxBytes, () => void body.cancel().catch(() => {}));
    } catch (e) {
      throw new PlatformError('network', 'download_interrupted', `Slack download broke off: ${String(e)}`, undefined, {
        cause: e,
      });
    }
  }

  /** Looks for the keyed DM in the recent history of the app's DM with the person. */
  async wasDelivered(_ws: WorkspaceRef, userId: string, key: string) {
    const open = await this.call(() => this.client.conversations.open({ users: userId }));
    const channel = open.channel?.id;
    if (!channel) return false;
    return (await this.findKeyed(channel, key, 50)) !== null;
  }

  async resolveUser(_ws: WorkspaceRef, userId: string): Promise<UserProfile | null> {
    const cached = this.profiles.get(userId);
    if (cached && this.now() - cached.at < PROFILE_TTL_MS) return cached.profile;
    let profile: UserProfile | null = null;
    try {
      const r = await this.call(() => this.client.users.info({ user: userId, include_locale: true }));
      const u = r.user!;
      profile = {
        externalId: userId,
        name: u.name ?? userId,
        displayName: u.profile?.display_name || u.real_name || u.name || userId,
        timezone: u.tz ?? undefined,
        locale: u.locale ?? undefined,
        isBot: Boolean(u.is_bot),
        // https://api.slack.com/methods/users.info: `team_id` is the user's own workspace.
        teamId: u.team_id ?? undefined,
      };
    } catch (e) {
      if (!(e instanceof PlatformError && e.platformCode === 'user_not_found')) throw e;
    }
    this.profiles.set(userId, { at: this.now(), profile });
    return profile;
  }

  async archiveRoom(_ws: WorkspaceRef, roomId: string) {
    await this.call(() => this.client.conversations.archive({ channel: roomId })).catch((e) => {
      // Archived already (by a person, or by us before a crash): the port asks for no error then.
      if (!(e instanceof PlatformError && e.platformCode === 'already_archived')) throw e;
    });
  }

  /** Posts to a response_url: ephemeral, never replacing the message the button was on.
   * https://api.slack.com/interactivity/handling#message_responses */
  async respond(_ws: WorkspaceRef, handle: string, message: Message) {
    let res: Response;
    try {
      res = await fetch(handle, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...toBlockKit(message) }),
      });
    } catch (e) {
      throw new PlatformError('network', 'response_url', `response_url unreachable: ${String(e)}`, undefined, {
        cause: e,
      });
    }
    if (!res.ok) throw new PlatformError('network', `http_${res.status}`, `response_url answered ${res.status}`);
  }

  async publishHome(_ws: WorkspaceRef, userId: string, message: Message) {
    await this.call(() =>
      this.client.views.publish({
        user_id: userId,
        view: { type: 'home', blocks: toBlockKit(message, LIMITS.blocksPerView).blocks as any },
      }),
    );
  }
}
