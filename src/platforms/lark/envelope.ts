// Checks of an inbound Lark delivery the SDK (1.74) does not make, in one place for both modes.
// - The verification token is never checked by the SDK: compare it ourselves (schema 2.0 puts it
//   in `header.token`; the URL-verification challenge and 1.0 events at the top level).
// - The signature is checked here over the RAW body, as Lark computes it:
//   sha256(timestamp + nonce + encryptKey + body). The SDK re-serialises the parsed body instead,
//   which fails on bodies with JSON escapes.
//   https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case
// - Decryption failures are an answer, not an exception (the SDK's adaptDefault lets them escape
//   and the process exits).
import { createHash, timingSafeEqual } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';

export interface Envelope {
  schema?: string;
  type?: string;
  challenge?: string;
  token?: string;
  header?: { event_id?: string; token?: string; event_type?: string; tenant_key?: string };
  event?: unknown;
}

export type Checked = { ok: true; envelope: Envelope } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The plain envelope of a parsed body (decrypted when it is `{encrypt}`), with the token checked. */
export function openEnvelope(body: unknown, o: { encryptKey?: string; verificationToken?: string }): Checked {
  if (!isObject(body)) return { ok: false, reason: 'not a JSON object' };
  let envelope: unknown = body;
  if ('encrypt' in body) {
    if (!o.encryptKey || typeof body.encrypt !== 'string') return { ok: false, reason: 'encrypted, but no key' };
    try {
      envelope = JSON.parse(new AESCipher(o.encryptKey).decrypt(body.encrypt));
    } catch {
      return { ok: false, reason: 'cannot decrypt (another key?)' };
    }
    if (!isObject(envelope)) return { ok: false, reason: 'decrypted body is not an object' };
  }
  const env = envelope as Envelope;
  const token = env.header?.token ?? env.token;
  if (o.verificationToken && !safeEqual(String(token ?? ''), o.verificationToken))
    return { ok: false, reason: 'wrong verification token' };
  return { ok: true, envelope: env };
}

/** Lark's request signature over the raw body bytes. */
export function signatureValid(raw: string, headers: Record<string, unknown>, encryptKey: string): boolean {
  const ts = headers['x-lark-request-timestamp'];
  const nonce = headers['x-lark-request-nonce'];
  const sig = headers['x-lark-signature'];
  if (typeof ts !== 'string' || typeof nonce !== 'string' || typeof sig !== 'string') return false;
  const expected = createHash('sha256')
    .update(ts + nonce + encryptKey + raw)
    .digest('hex');
  return safeEqual(sig, expected);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
