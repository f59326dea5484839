// An in-process fake of the Slack Web API for integration tests. Point the real WebClient at it:
//   new WebClient(token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } })
// It keeps a workspace's state (./fake-slack-state.ts) and answers like Slack does:
// - every method answers HTTP 200; refusals are {ok:false, error:'code'} (https://docs.slack.dev/apis/web-api/#responses)
// - no token -> not_authed, unknown token -> invalid_auth
// - rate limits are HTTP 429 + Retry-After (seconds) (https://docs.slack.dev/apis/web-api/rate-limits)
// Any POST to a path outside /api/ is a response_url: recorded as `response_url:<path>`, answered {ok:true};
// except /upload/<file id>, the upload URL files.getUploadURLExternal hands out (recorded as `upload_url:<id>`).
// GET /files-pri/<team>-<file id>/… serves a file's bytes (url_private / url_private_download) to the
// bot token only; like Slack, a missing or wrong token gets the sign-in page (HTTP 200, text/html),
// not an error (recorded as `file_download:<id>`). https://docs.slack.dev/messaging/working-with-files#authenticating
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Answer,
  type Args,
  BOT_ID,
  BOT_USER_ID,
  blockErrors,
  type FakeChannel,
  type FakeChannelSeed,
  type FakeEphemeral,
  type FakeMessage,
  type FakeUser,
  type FakeUserSeed,
  type FakeView,
  SlackState,
} from './fake-slack-state.ts';

export type {
  Answer,
  Args,
  FakeChannel,
  FakeChannelSeed,
  FakeEphemeral,
  FakeMessage,
  FakeUser,
  FakeUserSeed,
  FakeView,
} from './fake-slack-state.ts';
export { SlackState } from './fake-slack-state.ts';

export interface RecordedCall {
  /** 'chat.postMessage', … or 'response_url:/path', or 'upload_url:<file id>' (bytes of a file upload) */
  method: string;
  /** bearer token (or the form field `token`) */
  token?: string;
  /** JSON bodies parsed; form/query values kept as strings except JSON-looking ones ([…] / {…}), which are parsed */
  args: Args;
  contentType?: string;
  /** what the fake answered: HTTP status and body, or 'network' for a dropped connection */
  response?: { status: number; body: Answer } | { status: 'network' };
}

/**
 * Injected failure: a Slack error code (HTTP 200 {ok:false, error}), 'network' (the socket is destroyed
 * after the request is read), an HTTP 429 with Retry-After, or an HTTP 5xx.
 */
export type Failure =
  | string
  | 'network'
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 | 504 }
  /** Slack did the work, but its answer was lost (a 503 from a proxy, a timeout, a crash of ours
   * before we read it): the state changes, the caller sees the error. */
  | { status: 500 | 502 | 503 | 504; afterApplying: true };

/** Replaces a method's answer. Return undefined to fall through to the built-in behaviour; `ok` defaults to true. */
export type Responder = (call: RecordedCall, state: SlackState) => Answer | undefined | Promise<Answer | undefined>;

export interface FakeSlackOptions {
  /** the accepted bot token (default 'xoxb-test') */
  token?: string;
  /** default 'T1' */
  teamId?: string;
  /** default 'Acme' */
  teamName?: string;
  /** app-level token accepted by apps.* methods only (default 'xapp-test'); answer those with override() */
  appToken?: string;
  /** a trigger_id can be exchanged once, as in Slack (default false: tests often reuse trigger ids) */
  singleUseTriggers?: boolean;
  /** sees each call as it arrives (the bench timestamps answers with it) */
  onCall?: (call: RecordedCall) => void;
}

export interface FakeSlack {
  /** http://127.0.0.1:PORT/api/ — the WebClient's slackApiUrl */
  url: string;
  /** http://127.0.0.1:PORT — prefix for response_url values */
  base: string;
  token: string;
  teamId: string;
  botUserId: string;
  botId: string;
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** calls made to response_urls, optionally only those to `path` (query string ignored) */
  responses(path?: string): RecordedCall[];
  /** calls refused for their blocks (`invalid_blocks`, or a view's `invalid_arguments`): a test that
   * boots the app checks at the end that there were none, so every payload any test sends is checked */
  refusedBlocks(): RecordedCall[];
  /** forget the recorded calls; state, pending failures and overrides stay */
  reset(): void;
  close(): Promise<void>;

  /** the whole workspace, for anything the helpers below do not cover */
  state: SlackState;
  addUser(u: FakeUserSeed): FakeUser;
  /** a file `user` uploaded to share with the bot; returns the file object of its `file_share` event */
  addUserFile(user: string, f: { name: string; bytes: Buffer; filetype?: string }): Answer;
  /** seed a channel; members default to [botUserId] (leave the bot out for a channel it is not in) */
  addChannel(c: FakeChannelSeed): FakeChannel;
  /** seed a message from a user (the bot may not chat.update it: cant_update_message) */
  addMessage(
    channel: string,
    m: { text: string; user: string; ts?: string; blocks?: unknown[]; thread_ts?: string },
  ): FakeMessage;
  /** by id (C…/D…/G…), by name ('deal-acme' or '#deal-acme'), or a user id for the app's DM with them */
  channel(idOrName: string): FakeChannel | undefined;
  /** current (post-update, minus deleted) messages, oldest first, thread replies included */
  messages(channel: string): FakeMessage[];
  ephemerals(channel: string): FakeEphemeral[];
  /** pinned message timestamps */
  pins(channel: string): string[];
  /** the App Home view published per user id */
  views: Map<string, FakeView>;
  /** any view (modal or home) by view id */
  view(id: string): FakeView | undefined;

  /** queue `times` failures for `method`; '*' fails the next call of any Web API method (after method-specific ones) */
  failNext(method: string, failure: Failure, times?: number): void;
  /** replace `method`'s answer (also 'response_url:/path'); returns a function that removes the override */
  override(method: string, fn: Responder): () => void;
}

function decodeValue(v: string): unknown {
  if (/^\s*[[{]/.test(v)) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      /* keep the string */
    }
  }
  return v;
}

async function parseBody(
  raw: Buffer,
  contentType: string,
  query: URLSearchParams,
): Promise<{ args: Args; error?: string }> {
  const args: Args = {};
  for (const [k, v] of query) args[k] = decodeValue(v);
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!raw.length) return { args };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return { args, error: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return { args, error: 'json_not_object' };
    return { args: { ...args, ...(parsed as Args) } };
  }
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    for (const [k, v] of form) args[k] = typeof v === 'string' ? decodeValue(v) : { filename: v.name, size: v.size };
    return { args };
  }
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) args[k] = decodeValue(v);
  return { args };
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = opts.token ?? 'xoxb-test';
  const appToken = opts.appToken ?? 'xapp-test';
  const teamId = opts.teamId ?? 'T1';
  const teamName = opts.teamName ?? 'Acme';
  const state = new SlackState({
    teamId,
    teamName,
    domain: teamName.toLowerCase().replace(/[^a-z0-9-]/g, '') || 'acme',
    singleUseTriggers: opts.singleUseTriggers ?? false,
  });
  const calls: RecordedCall[] = [];
  const failures = new Map<string, Failure[]>();
  const overrides = new Map<string, Responder>();

  const takeFailure = (method: string): Failure | undefined => {
    const own = failures.get(method);
    if (own?.length) return own.shift();
    return method.startsWith('response_url:') ? undefined : failures.get('*')?.shift();
  };

  /** Slack's checks of the token, before the method runs. */
  const authError = (method: string, tok: string | undefined): string | undefined => {
    if (!tok) return 'not_authed';
    if (tok === appToken) return method.startsWith('apps.') ? undefined : 'not_allowed_token_type';
    if (tok !== token) return 'invalid_auth';
    if (method === 'apps.connections.open') return 'not_allowed_token_type';
    return undefined;
  };

  /** A file's private URL: the bytes for the bot token, Slack's sign-in page for anything else. */
  function download(req: http.IncomingMessage, pathname: string, res: http.ServerResponse) {
    const id = /^\/files-pri\/[^/]+-(F[^/]+)\//.exec(pathname)?.[1] ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const f = state.files.get(id);
    const call: RecordedCall = { method: `file_download:${id}`, args: {}, ...(bearer ? { token: bearer } : {}) };
    calls.push(call);
    if (bearer !== token) {
      call.response = { status: 200, body: { html: 'sign-in page' } };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in to Slack</body></html>');
      return;
    }
    if (!f?.bytes) {
      call.response = { status: 404, body: {} };
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    call.response = { status: 200, body: { size: f.bytes.length } };
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(f.bytes.length) });
    res.end(f.bytes);
  }

  /** A file's upload URL (files.getUploadURLExternal): takes the bytes, raw or as the one file of a
   * multipart form (the SDK sends the latter), and answers 200 `OK - <length>` like Slack's; no
   * token needed (the URL is the secret). An unknown or finished upload: 404. */
  async function upload(pathname: string, raw: Buffer, contentType: string, res: http.ServerResponse) {
    let bytes = raw;
    if (contentType.toLowerCase().startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((v): v is File => typeof v !== 'string');
      bytes = file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
    }
    const id = pathname.slice('/upload/'.length);
    const ok = state.receiveUpload(id, bytes);
    calls.push({
      method: `upload_url:${id}`,
      args: { size: bytes.length },
      contentType,
      response: ok ? { status: 200, body: {} } : { status: 404, body: {} },
    });
    res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(ok ? `OK - ${bytes.length}` : 'Not Found');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const contentType = req.headers['content-type'] ?? '';
    if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) return download(req, url.pathname, res);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/'))
      return upload(url.pathname, Buffer.concat(chunks), req.headers['content-type'] ?? '', res);
    const { args, error: bodyError } = await parseBody(Buffer.concat(chunks), contentType, url.searchParams);
    const method = url.pathname.startsWith('/api/')
      ? url.pathname.slice('/api/'.length)
      : `response_url:${url.pathname}`;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // A token in the body counts for form posts, not for JSON ones.
    const tok =
      bearer ??
      (!contentType.startsWith('application/json') && typeof args.token === 'string' ? args.token : undefined);
    const call: RecordedCall = { method, args, contentType, ...(tok ? { token: tok } : {}) };
    calls.push(call);
    opts.onCall?.(call);

    const send = (status: number, body: Answer, headers: Record<string, string> = {}) => {
      call.response = { status, body };
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };

    const failure = takeFailure(method);
    if (failure === 'network') {
      call.response = { status: 'network' };
      req.socket.destroy();
      return;
    }
    if (typeof failure === 'string') return send(200, { ok: false, error: failure });
    if (failure?.status === 429)
      return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
    if (failure && !('afterApplying' in failure)) return send(failure.status, { ok: false, error: 'internal_error' });

    if (method.startsWith('response_url:')) {
      const fn = overrides.get(method);
      const custom = fn && (await fn(call, state));
      if (custom) return send(200, custom);
      // A response_url refuses bad blocks like chat.postMessage does (HTTP 400, `invalid_blocks`).
      // https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
      const errors = args.blocks === undefined ? [] : blockErrors(args.blocks, 50);
      if (errors.length) return send(400, { ok: false, error: 'invalid_blocks', errors });
      return send(200, { ok: true });
    }
    if (bodyError) return send(200, { ok: false, error: bodyError });
    const denied = authError(method, tok);
    if (denied) return send(200, { ok: false, error: denied });

    const fn = overrides.get(method);
    const custom = fn ? await fn(call, state) : undefined;
    const answer = custom ? { ok: true, ...custom } : state.handle(method, args);
    if (failure) return send(failure.status, { ok: false, error: 'internal_error' }); // applied, answer lost
    send(200, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // A bug in the fake (or an override): make it loud, as an HTTP 500 carrying the message.
      const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'fake_slack_crashed', detail }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.uploadBase = base;

  return {
    url: `${base}/api/`,
    base,
    token,
    teamId,
    botUserId: BOT_USER_ID,
    botId: BOT_ID,
    calls,
    state,
    callsOf: (m) => calls.filter((c) => c.method === m),
    responses: (path) =>
      calls.filter((c) =>
        path === undefined ? c.method.startsWith('response_url:') : c.method === `response_url:${path.split('?')[0]}`,
      ),
    refusedBlocks: () =>
      calls.filter((c) => {
        const body = c.response && c.response.status !== 'network' ? c.response.body : undefined;
        const messages = (body?.response_metadata as { messages?: string[] } | undefined)?.messages ?? [];
        return body?.error === 'invalid_blocks' || messages.some((m) => m.includes('blocks'));
      }),
    reset: () => {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),

    addUser: (u) => state.addUser(u),
    addUserFile: (user, f) => state.addUserFile(user, f),
    addChannel: (c) => state.addChannel(c),
    addMessage: (channel, m) => state.addMessage(channel, m),
    channel: (ref) => state.lookup(ref),
    messages: (ref) => state.messagesOf(ref),
    ephemerals: (ref) => {
      const c = state.lookup(ref);
      return c ? (state.ephemerals.get(c.id) ?? []) : [];
    },
    pins: (ref) => {
      const c = state.lookup(ref);
      return c ? (state.pins.get(c.id) ?? []) : [];
    },
    views: state.homeViews,
    view: (id) => state.views.get(id),

    failNext: (method, failure, times = 1) => {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    override: (method, fn) => {
      overrides.set(method, fn);
      return () => {
        if (overrides.get(method) === fn) overrides.delete(method);
      };
    },
  };
}
