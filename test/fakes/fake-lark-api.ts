// An in-process fake of the Lark/Feishu Open API for integration tests. Point the real SDK at it:
//   new lark.Client({ appId, appSecret, domain: fake.base, cache: new lark.DefaultCache() })
// It keeps a tenant's state (./fake-lark-state.ts) and answers like Lark does:
// - a self-built app first fetches POST /open-apis/auth/v3/tenant_access_token/internal; the answer
//   has `tenant_access_token` and `expire` at the top level (no `data`)
// - every other call needs `Authorization: Bearer <that token>` (99991661 missing, 99991663 invalid)
// - business errors are HTTP 400 with a non-zero `code` and a `msg`
// - rate limits are HTTP 429 with code 99991400 and `x-ogw-ratelimit-reset` (seconds)
// https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
// - GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file answers a file someone
//   sent (addMessageFile) as bytes (application/octet-stream); an unknown one is HTTP 400
//   code 234003 "File not in msg." https://open.feishu.cn/document/server-docs/im-v1/message/get-2
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Busboy } from '@fastify/busboy';
import { BOT_OPEN_ID, type Body, LarkRefusal, LarkState, type UploadedPart } from './fake-lark-state.ts';

export { BOT_OPEN_ID, LarkState } from './fake-lark-state.ts';

export interface LarkCall {
  /** route name, e.g. 'message.create' (see ROUTES), or 'unknown' */
  route: string;
  method: string;
  path: string;
  query: Record<string, string>;
  auth?: string;
  body: Body | undefined;
  headers: http.IncomingHttpHeaders;
  response?: { status: number; body: unknown };
}

/** An injected failure: a rate limit (429 / 99991400 with the reset header) or a business error. */
export type LarkFailure = { rateLimit: number } | { code: number; msg?: string; status?: number };

type Handler = (s: LarkState, p: string[], q: Record<string, string>, b: Body) => unknown;
/** Route name -> method, path pattern, handler. The answer's `data` is what the handler returns. */
const ROUTES: [string, string, RegExp, Handler][] = [
  ['chat.create', 'POST', /^\/open-apis\/im\/v1\/chats$/, (s, _p, q, b) => s.createChat(q, b)],
  ['chat.list', 'GET', /^\/open-apis\/im\/v1\/chats$/, (s, _p, q) => s.listChats(q)],
  ['chat.get', 'GET', /^\/open-apis\/im\/v1\/chats\/([^/]+)$/, (s, p) => s.getChat(p[0])],
  ['chat.update', 'PUT', /^\/open-apis\/im\/v1\/chats\/([^/]+)$/, (s, p, _q, b) => s.updateChat(p[0], b)],
  [
    'chatMembers.create',
    'POST',
    /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/,
    (s, p, q, b) => s.addMembers(p[0], q, b),
  ],
  ['image.create', 'POST', /^\/open-apis\/im\/v1\/images$/, (s, _p, _q, b) => s.createImage(b)],
  ['message.create', 'POST', /^\/open-apis\/im\/v1\/messages$/, (s, _p, q, b) => s.createMessage(q, b)],
  ['message.patch', 'PATCH', /^\/open-apis\/im\/v1\/messages\/([^/]+)$/, (s, p, _q, b) => s.patchMessage(p[0], b)],
  ['pin.create', 'POST', /^\/open-apis\/im\/v1\/pins$/, (s, _p, _q, b) => s.pin(b)],
  ['user.get', 'GET', /^\/open-apis\/contact\/v3\/users\/([^/]+)$/, (s, p, q) => s.getUser(p[0], q)],
];

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  tenantKey?: string;
}

export interface FakeLark {
  /** http://127.0.0.1:PORT — the SDK's `domain` */
  base: string;
  appId: string;
  appSecret: string;
  tenantKey: string;
  botOpenId: string;
  state: LarkState;
  calls: LarkCall[];
  callsOf(route: string): LarkCall[];
  reset(): void;
  /** queue `times` failures of a route ('*' = any API route after route-specific ones) */
  failNext(route: string, failure: LarkFailure, times?: number): void;
  /** a file sent in message `messageId` under `fileKey` (what a `file` message event names) */
  addMessageFile(messageId: string, fileKey: string, bytes: Buffer): void;
  /** replace a route's answer entirely: return [status, body] */
  override(route: string, fn: (c: LarkCall) => [number, unknown]): () => void;
  close(): Promise<void>;
}

export async function startFakeLark(o: FakeLarkOptions = {}): Promise<FakeLark> {
  const appId = o.appId ?? 'cli_a1b2c3d4e5f60718';
  const appSecret = o.appSecret ?? 'lark-secret';
  const tenantKey = o.tenantKey ?? 'tenant-acme';
  const state = new LarkState();
  const calls: LarkCall[] = [];
  const failures = new Map<string, LarkFailure[]>();
  const overrides = new Map<string, (c: LarkCall) => [number, unknown]>();
  const tokens = new Set<string>();
  const messageFiles = new Map<string, Buffer>();
  let tokenSeq = 0;

  const answer = (call: LarkCall): [number, unknown, Record<string, string>?] => {
    const own = overrides.get(call.route);
    if (own) return own(call);
    if (call.route === 'token') {
      if (call.body?.app_id !== appId || call.body?.app_secret !== appSecret)
        return [400, { code: 10014, msg: 'app secret invalid' }];
      const t = `t-${++tokenSeq}-${appId}`;
      tokens.add(t);
      return [200, { code: 0, msg: 'ok', tenant_access_token: t, expire: 7200 }];
    }
    const bearer = /^Bearer (.+)$/.exec(call.auth ?? '')?.[1];
    if (!bearer) return [400, { code: 99991661, msg: 'Missing access token for authorization.' }];
    if (!tokens.has(bearer)) return [400, { code: 99991663, msg: 'Invalid access token for authorization.' }];
    const failure =
      failures.get(call.route)?.shift() ?? (call.route !== 'unknown' ? failures.get('*')?.shift() : undefined);
    if (failure && 'rateLimit' in failure)
      return [
        429,
        { code: 99991400, msg: 'request trigger frequency limit' },
        { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(failure.rateLimit) },
      ];
    if (failure)
      return [failure.status ?? 400, { code: failure.code, msg: failure.msg ?? `fake failure ${failure.code}` }];
    if (call.route === 'messageResource.get') {
      const [, mid, key] = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(call.path) ?? [];
      if (call.query.type !== 'file' && call.query.type !== 'image')
        return [400, { code: 234001, msg: 'Invalid request param.' }];
      const bytes = messageFiles.get(`${decodeURIComponent(mid ?? '')}/${decodeURIComponent(key ?? '')}`);
      return bytes ? [200, bytes] : [400, { code: 234003, msg: 'File not in msg.' }];
    }
    if (call.route === 'bot.info')
      return [200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: 'Dealroom', open_id: BOT_OPEN_ID } }];
    const route = ROUTES.find(([name]) => name === call.route);
    if (!route) return [404, { code: 404, msg: `fake: no route ${call.method} ${call.path}` }];
    const params = route[2].exec(call.path)!.slice(1).map(decodeURIComponent);
    try {
      return [200, { code: 0, msg: 'success', data: route[3](state, params, call.query, call.body ?? {}) }];
    } catch (e) {
      if (e instanceof LarkRefusal) return [e.status, { code: e.code, msg: e.message }];
      throw e;
    }
  };

  const routeOf = (method: string, path: string) => {
    if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') return 'token';
    if (method === 'GET' && path === '/open-apis/bot/v3/info') return 'bot.info';
    if (method === 'GET' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/resources\/[^/]+$/.test(path))
      return 'messageResource.get';
    if (method === 'POST' && path === '/callback/ws/endpoint') return 'ws.endpoint';
    return ROUTES.find(([, m, re]) => m === method && re.test(path))?.[0] ?? 'unknown';
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const bytes = Buffer.concat(chunks);
      let body: Body | undefined;
      try {
        body = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')
          ? await parseMultipart(req.headers, bytes)
          : bytes.length
            ? (JSON.parse(bytes.toString('utf8')) as Body)
            : undefined;
      } catch {
        body = undefined;
      }
      const method = req.method ?? 'GET';
      const call: LarkCall = {
        route: routeOf(method, u.pathname),
        method,
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        auth: req.headers.authorization,
        body,
        headers: req.headers,
      };
      calls.push(call);
      let status: number;
      let out: unknown;
      let headers: Record<string, string> | undefined;
      try {
        [status, out, headers] = answer(call);
      } catch (e) {
        [status, out] = [500, { code: 500, msg: `fake_lark_crashed: ${e instanceof Error ? e.stack : String(e)}` }];
      }
      if (Buffer.isBuffer(out)) {
        call.response = { status, body: { bytes: out.length } };
        res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
        res.end(out);
        return;
      }
      call.response = { status, body: out };
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    appId,
    appSecret,
    tenantKey,
    botOpenId: BOT_OPEN_ID,
    state,
    calls,
    callsOf: (route) => calls.filter((c) => c.route === route),
    reset: () => {
      calls.length = 0;
    },
    failNext: (route, failure, times = 1) => {
      failures.set(route, [...(failures.get(route) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    addMessageFile: (messageId, fileKey, bytes) => {
      messageFiles.set(`${messageId}/${fileKey}`, bytes);
    },
    override: (route, fn) => {
      overrides.set(route, fn);
      return () => {
        if (overrides.get(route) === fn) overrides.delete(route);
      };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A multipart body (an upload) as fields: text parts as strings, file parts as UploadedPart. A
 * part named `image` or `file` is binary even without a filename (the SDK sends a bare Buffer
 * that way), so its bytes are kept as they came. */
function parseMultipart(headers: http.IncomingHttpHeaders, bytes: Buffer): Promise<Body> {
  return new Promise((resolve, reject) => {
    const out: Body = {};
    const bb = Busboy({
      headers: { ...headers, 'content-type': String(headers['content-type']) },
      limits: { fileSize: 64 * 1024 * 1024 },
      isPartAFile: (name, _type, filename) => filename !== undefined || name === 'image' || name === 'file',
    });
    bb.on('field', (name, value) => {
      out[name] = value;
    });
    bb.on('file', (name, stream, filename, _encoding, mimeType) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        out[name] = { bytes: Buffer.concat(parts), filename: filename || undefined, mimeType } satisfies UploadedPart;
      });
    });
    bb.on('finish', () => resolve(out));
    bb.on('error', reject);
    bb.end(bytes);
  });
}
