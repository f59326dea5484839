// Webhook mode: Lark POSTs events and card callbacks to /lark/events (and /lark/card, if the card
// request URL is configured separately). This replaces the SDK's adaptDefault, which never answers
// a path it does not know, lets a body encrypted with another key escape as an unhandled rejection
// (the process exits), does not check the verification token, and verifies the signature over a
// re-serialised body. Here every request gets an answer and a log line, and nothing a request
// carries can end the process:
//   garbage / not JSON / too large        -> 400 (413)
//   undecryptable, wrong token, bad sig   -> 400, nothing dispatched
//   url_verification with the right token -> {challenge}
//   a verified event                      -> the SDK's EventDispatcher (handlers in ./app.ts)
// https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case
import type http from 'node:http';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../app/logger.ts';
import { openEnvelope, signatureValid } from './envelope.ts';

export const LARK_PATHS = ['/lark/events', '/lark/card'] as const;
const MAX_BODY = 1024 * 1024;

export interface WebhookOptions {
  dispatcher: lark.EventDispatcher;
  encryptKey: string;
  verificationToken: string;
  log: Logger;
  /** GET /healthz: database reachable and queues moving (src/app/health.ts); 200 or 503. */
  health?: () => Promise<{ ok: boolean }>;
}

export function larkWebhookHandler(o: WebhookOptions) {
  const answer = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, status: number, reason: string) => {
    o.log.warn({ reason }, 'lark request refused');
    answer(res, status, { error: reason });
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const h = o.health ? await o.health() : { ok: true };
      return answer(res, h.ok ? 200 : 503, h);
    }
    if (!(LARK_PATHS as readonly string[]).includes(path)) return answer(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return answer(res, 405, { error: 'POST only' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) {
        // Stop reading: answer, then drop the connection (the rest of the body is never read).
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy());
        return refuse(res, 413, 'body too large');
      }
      chunks.push(c as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(res, 400, 'body is not JSON');
    }
    const checked = openEnvelope(body, o);
    if (!checked.ok) return refuse(res, 400, checked.reason);
    if (checked.envelope.type === 'url_verification')
      return answer(res, 200, { challenge: String(checked.envelope.challenge ?? '') });
    if (!signatureValid(raw, req.headers, o.encryptKey)) return refuse(res, 400, 'missing or wrong signature');
    // Signature and token verified: the SDK decrypts and dispatches (its own check would redo ours
    // over a re-serialised body, so it is skipped).
    const data = Object.assign(Object.create({ headers: req.headers }), body as object);
    const result = await o.dispatcher.invoke(data, { needCheck: false });
    answer(res, 200, result ?? {});
  }

  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e) => {
      o.log.error({ err: e }, 'lark webhook failed');
      answer(res, 500, { error: 'internal' });
    });
  };
}
