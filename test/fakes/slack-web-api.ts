// An in-process fake of the Slack Web API that the real WebClient talks to (via slackApiUrl).
// It keeps state like Slack does (users, private channels and their members, messages, pins,
// published views) and answers like Slack: HTTP 200 with {ok:false, error} for refusals, 429 with
// Retry-After for rate limits, not_authed / invalid_auth for bad tokens.
// https://api.slack.com/web#responses  https://api.slack.com/docs/rate-limits
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQs } from 'node:querystring';

export interface RecordedCall { method: string; token?: string; args: Record<string, any>; contentType?: string }
export interface FakeUser { id: string; name: string; real_name?: string; display_name?: string; tz?: string; locale?: string; is_bot?: boolean }
export interface FakeChannel { id: string; name: string; is_private: boolean; topic: string; members: Set<string>; archived: boolean }
export interface FakeMessage { ts: string; text: string; blocks: any[]; user: string }
export type Failure = string | 'network' | { status: 429; retryAfter: number } | { status: 500 };
type Answer = Record<string, unknown>;

export interface FakeSlack {
  url: string;
  base: string;
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  addUser(u: FakeUser): void;
  channel(idOrName: string): FakeChannel | undefined;
  messages(channel: string): FakeMessage[];
  pins(channel: string): string[];
  views: Map<string, any>;
  failNext(method: string, failure: Failure, times?: number): void;
  override(method: string, fn: (c: RecordedCall) => Answer | undefined): void;
  close(): Promise<void>;
}

const BOT = 'UBOT';
const decode = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v) ? (() => { try { return JSON.parse(v); } catch { return v; } })() : v);
const bool = (v: unknown) => v === true || v === 'true';

export async function startFakeSlack(o: { token?: string; teamId?: string } = {}): Promise<FakeSlack> {
  const token = o.token ?? 'xoxb-test';
  const team = o.teamId ?? 'T1';
  const calls: RecordedCall[] = [];
  const users = new Map<string, FakeUser>([[BOT, { id: BOT, name: 'dealroom', is_bot: true }]]);
  const channels = new Map<string, FakeChannel>();
  const msgs = new Map<string, FakeMessage[]>();
  const pins = new Map<string, string[]>();
  const views = new Map<string, any>();
  const failures = new Map<string, Failure[]>();
  const overrides = new Map<string, (c: RecordedCall) => Answer | undefined>();
  let seq = 0;
  let clock = 1_700_000_000;
  const nextTs = () => `${clock++}.${String(++seq).padStart(6, '0')}`;
  const fail = (error: string): Answer => ({ ok: false, error });
  const byIdOrName = (x: string) => channels.get(x) ?? [...channels.values()].find((c) => c.name === x);

  /** Where a message may go: a channel the bot is in (not archived), or a user id (the app's DM). */
  const postable = (id: unknown): FakeChannel | string | Answer => {
    if (typeof id !== 'string' || !id) return fail('channel_not_found');
    if (users.has(id)) return id;
    const c = channels.get(id);
    if (!c) return fail('channel_not_found');
    if (c.archived) return fail('is_archived');
    if (!c.members.has(BOT)) return fail('not_in_channel');
    return c;
  };
  const isAnswer = (x: unknown): x is Answer => typeof x === 'object' && x !== null && 'ok' in x;

  const methods: Record<string, (a: Record<string, any>) => Answer> = {
    'auth.test': () => ({ ok: true, user_id: BOT, bot_id: 'BBOT', team_id: team, team: 'Acme', url: 'https://acme.slack.com/' }),
    'users.info': (a) => {
      const u = users.get(a.user);
      if (!u) return fail('user_not_found');
      return { ok: true, user: { id: u.id, team_id: team, name: u.name, real_name: u.real_name ?? u.name, tz: u.tz, tz_offset: 0, is_bot: Boolean(u.is_bot), ...(bool(a.include_locale) ? { locale: u.locale } : {}), profile: { display_name: u.display_name ?? '', real_name: u.real_name ?? u.name } } };
    },
    'conversations.create': (a) => {
      const name = String(a.name ?? '');
      if (!name) return fail('invalid_name_required');
      if (name.length > 80) return fail('invalid_name_maxlength');
      if (!/^[a-z0-9_-]+$/.test(name)) return fail('invalid_name_specials');
      if ([...channels.values()].some((c) => c.name === name)) return fail('name_taken'); // archived channels keep their names
      const c: FakeChannel = { id: `C${String(++seq).padStart(8, '0')}`, name, is_private: bool(a.is_private), topic: '', members: new Set([BOT]), archived: false };
      channels.set(c.id, c);
      return { ok: true, channel: { id: c.id, name, is_private: c.is_private, created: clock, creator: BOT } };
    },
    'conversations.setTopic': (a) => {
      const c = postable(a.channel);
      if (isAnswer(c)) return c;
      if (typeof c === 'string') return fail('channel_not_found');
      c.topic = String(a.topic ?? '');
      return { ok: true, channel: { id: c.id, topic: { value: c.topic } } };
    },
    'conversations.invite': (a) => {
      const c = postable(a.channel);
      if (isAnswer(c)) return c;
      if (typeof c === 'string') return fail('channel_not_found');
      const ids = String(a.users ?? '').split(',').filter(Boolean);
      if (!ids.length) return fail('no_user');
      if (ids.includes(BOT)) return fail('cant_invite_self');
      if (ids.some((u) => !users.has(u))) return fail('user_not_found');
      if (ids.every((u) => c.members.has(u)) || ids.some((u) => c.members.has(u))) return fail('already_in_channel');
      for (const u of ids) c.members.add(u);
      return { ok: true, channel: { id: c.id } };
    },
    'conversations.archive': (a) => {
      const c = channels.get(a.channel);
      if (!c) return fail('channel_not_found');
      if (c.archived) return fail('already_archived');
      c.archived = true;
      return { ok: true };
    },
    // Bot tokens cannot unarchive. https://api.slack.com/methods/conversations.unarchive
    'conversations.unarchive': () => fail('not_authorized'),
    'chat.postMessage': (a) => {
      const where = postable(a.channel);
      if (isAnswer(where)) return where;
      if (!a.text && !a.blocks) return fail('no_text');
      const id = typeof where === 'string' ? where : where.id;
      const m: FakeMessage = { ts: nextTs(), text: String(a.text ?? ''), blocks: (a.blocks as any[]) ?? [], user: BOT };
      msgs.set(id, [...(msgs.get(id) ?? []), m]);
      return { ok: true, channel: id, ts: m.ts, message: { text: m.text, ts: m.ts } };
    },
    'chat.postEphemeral': (a) => {
      const where = postable(a.channel);
      if (isAnswer(where)) return where;
      return { ok: true, message_ts: nextTs() };
    },
    'chat.update': (a) => {
      const where = postable(a.channel);
      if (isAnswer(where)) return where;
      const m = (msgs.get(typeof where === 'string' ? where : where.id) ?? []).find((x) => x.ts === a.ts);
      if (!m) return fail('message_not_found');
      m.text = String(a.text ?? m.text);
      m.blocks = (a.blocks as any[]) ?? m.blocks;
      return { ok: true, channel: a.channel, ts: m.ts, text: m.text };
    },
    'pins.add': (a) => {
      const where = postable(a.channel);
      if (isAnswer(where)) return where;
      const id = typeof where === 'string' ? where : where.id;
      if (!(msgs.get(id) ?? []).some((m) => m.ts === a.timestamp)) return fail('message_not_found');
      if ((pins.get(id) ?? []).includes(a.timestamp)) return fail('already_pinned');
      pins.set(id, [...(pins.get(id) ?? []), a.timestamp]);
      return { ok: true };
    },
    'views.open': (a) => (a.trigger_id ? { ok: true, view: { id: `V${++seq}`, ...(a.view as object) } } : fail('invalid_trigger_id')),
    'views.publish': (a) => {
      if (!users.has(a.user_id)) return fail('user_not_found');
      views.set(a.user_id, a.view);
      return { ok: true, view: { id: `V${++seq}`, ...(a.view as object) } };
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const ct = req.headers['content-type'] ?? '';
      const args: Record<string, any> = ct.startsWith('application/json') ? (raw ? JSON.parse(raw) : {}) : Object.fromEntries(Object.entries(parseQs(raw)).map(([k, v]) => [k, decode(v)]));
      const url = req.url ?? '/';
      const method = url.startsWith('/api/') ? url.slice(5).split('?')[0] : `response_url:${url}`;
      const auth = req.headers.authorization?.replace(/^Bearer /, '') ?? (typeof args.token === 'string' ? args.token : undefined);
      const call: RecordedCall = { method, args, contentType: ct, token: auth };
      calls.push(call);
      const send = (status: number, body: Answer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (method.startsWith('response_url:')) return send(200, { ok: true });
      const f = failures.get(method)?.shift();
      if (f === 'network') { req.socket.destroy(); return; }
      if (typeof f === 'object' && f.status === 429) return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(f.retryAfter) });
      if (typeof f === 'object' && f.status === 500) return send(500, { ok: false, error: 'internal_error' });
      if (typeof f === 'string') return send(200, fail(f));
      if (!auth) return send(200, fail('not_authed'));
      const appLevel = method === 'apps.connections.open';
      if (!appLevel && auth !== token) return send(200, fail('invalid_auth'));
      const answer = overrides.get(method)?.(call) ?? methods[method]?.(args) ?? fail('unknown_method');
      send(200, answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/api/`, base, calls, views,
    callsOf: (m) => calls.filter((c) => c.method === m),
    addUser: (u) => { users.set(u.id, u); },
    channel: byIdOrName,
    messages: (id) => msgs.get(byIdOrName(id)?.id ?? id) ?? [],
    pins: (id) => pins.get(byIdOrName(id)?.id ?? id) ?? [],
    failNext: (m, f, times = 1) => failures.set(m, [...(failures.get(m) ?? []), ...Array(times).fill(f)]),
    override: (m, fn) => { overrides.set(m, fn); },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
