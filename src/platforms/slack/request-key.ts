// Idempotency keys of Slack deliveries. A retried delivery carries the same trigger_id (slash
// commands, interactions: https://api.slack.com/interactivity/handling#payloads), so it is the key.
// A delivery without one must never share a key with another: `slash:undefined` once made every
// later changing command of a workspace "already handled". The response_url is unique per
// invocation and repeated on a retry, so it is the fallback (hashed: it is a bearer URL); with
// neither, the delivery gets a key of its own (it cannot be matched with a retry, but it is received
// durably like every other one and never collides).
import { createHash, randomUUID } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function deliveryKey(
  kind: 'slash' | 'action',
  d: { trigger_id?: string | null; response_url?: string | null },
): string {
  if (d.trigger_id) return `${kind}:${d.trigger_id}`;
  if (d.response_url) return `${kind}-url:${digest(d.response_url)}`;
  return `${kind}-once:${randomUUID()}`;
}
