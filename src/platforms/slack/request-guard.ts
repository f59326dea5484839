// What Bolt 5.1's HTTPReceiver does not check, checked before it sees a request
// (https://api.slack.com/authentication/verifying-requests-from-slack):
// - a timestamp more than 5 minutes in the FUTURE is refused like a stale one (Bolt only refuses
//   old ones; Slack's own SDKs refuse both directions);
// - `application/x-www-form-urlencoded; charset=utf-8` is the same content type (Bolt compares the
//   header exactly and answers 400);
// - a validly signed body that is not a JSON object (`payload=null`, `null`, `42`) gets a 400 and a
//   log line: Bolt reads `body.ssl_check` of it in a detached async function, and the TypeError
//   ended the process.
// Bolt still does its own checks afterwards on the buffered body (defence in depth).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, type HTTPReceiver, verifySlackRequest } from '@slack/bolt';
import type { Logger } from '../../app/logger.ts';

const MAX_SKEW_SEC = 5 * 60;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export interface GuardOptions {
  signingSecret: string;
  endpoints: string[];
  log: Logger;
  /** Transport time, for the replay window only (wall-clock by default, like Slack's SDKs). */
  nowMs?: () => number;
  bodyLimit?: number;
}

type Verdict = { ok: true } | { ok: false; status: number; reason: string };

const refuse = (status: number, reason: string): Verdict => ({ ok: false, status, reason });

/** The body as Bolt will read it, or why it cannot be an event at all. */
function readBody(type: string, text: string): unknown {
  if (type === FORM) {
    const q = parseQuery(text);
    return typeof q.payload === 'string' ? JSON.parse(q.payload) : q;
  }
  return JSON.parse(text);
}

/** Checks one buffered request; normalises its content type for Bolt when it passes. */
export function checkSlackRequest(
  req: IncomingMessage & { rawBody: Buffer },
  o: Pick<GuardOptions, 'signingSecret' | 'nowMs'>,
): Verdict {
  const header = String(req.headers['content-type'] ?? '');
  const type = header.split(';')[0].trim().toLowerCase();
  if (type !== FORM && type !== JSON_TYPE) return refuse(415, `unsupported content type "${header.slice(0, 80)}"`);
  req.headers['content-type'] = type;
  const text = req.rawBody.toString('utf8');
  // Slack's unsigned SSL check; Bolt strips anything else from such a body.
  if (type === FORM && parseQuery(text).ssl_check === '1') return { ok: true };

  const tsHeader = String(req.headers['x-slack-request-timestamp'] ?? '');
  if (!/^\d{1,12}$/.test(tsHeader)) return refuse(401, 'missing or malformed x-slack-request-timestamp');
  const nowSec = Math.floor((o.nowMs?.() ?? Date.now()) / 1000);
  if (Math.abs(nowSec - Number(tsHeader)) > MAX_SKEW_SEC)
    return refuse(401, 'x-slack-request-timestamp is more than 5 minutes from now');
  try {
    verifySlackRequest({
      signingSecret: o.signingSecret,
      body: text,
      headers: {
        'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
        'x-slack-request-timestamp': Number(tsHeader),
      },
      nowMilliseconds: nowSec * 1000,
    });
  } catch {
    return refuse(401, 'signature mismatch');
  }
  let body: unknown;
  try {
    body = readBody(type, text);
  } catch {
    return refuse(400, 'signed body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return refuse(400, 'signed body is not a JSON object');
  return { ok: true };
}

/** Puts the checks in front of the receiver's own request listener. */
export function guardHttpReceiver(receiver: HTTPReceiver, o: GuardOptions) {
  const inner = receiver.requestListener;
  const answer = (res: ServerResponse, status: number) => {
    if (res.headersSent) return;
    res.writeHead(status);
    res.end();
  };
  receiver.requestListener = (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || !o.endpoints.includes(path)) return inner(req, res);
    (async () => {
      let buffered: IncomingMessage & { rawBody: Buffer };
      try {
        buffered = await HTTPModuleFunctions.bufferIncomingMessage(
          req,
          o.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit,
        );
      } catch (e) {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(e) && (e as { statusCode?: number }).statusCode === 413;
        o.log.warn({ err: e }, 'slack request: body could not be read');
        return answer(res, tooLarge ? 413 : 400);
      }
      const verdict = checkSlackRequest(buffered, o);
      if (!verdict.ok) {
        o.log.warn({ status: verdict.status, reason: verdict.reason }, 'slack request refused');
        return answer(res, verdict.status);
      }
      inner(buffered, res);
    })().catch((e) => {
      o.log.error({ err: e }, 'slack request failed before dispatch');
      answer(res, 500);
    });
  };
}
