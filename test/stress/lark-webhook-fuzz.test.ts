// Fuzz of the Lark webhook: thousands of hostile or malformed deliveries (random bytes, random
// JSON, mutated encrypted envelopes, correctly signed events with garbage inside) never take the
// bot down, never get a 500, and never change data. Seeded: a failure reproduces.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Logger } from '../../src/app/logger.ts';
import { ENCRYPT_KEY, encryptLark, larkRequest, messageEvent, VERIFICATION_TOKEN } from '../fakes/lark-events.ts';
import { ALICE, bootLark } from '../platforms/lark/helpers.ts';

const ROUNDS = Number(process.env.LARK_FUZZ_ROUNDS ?? 3000);
let seed = Number(process.env.LARK_FUZZ_SEED ?? 20261124);
const rnd = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256))).toString('latin1');
const value = (depth = 0): unknown =>
  depth > 3
    ? null
    : pick<() => unknown>([
        () => null,
        () => rnd() * 1e6,
        () => junk(Math.floor(rnd() * 20)),
        () => pick(['2.0', 'url_verification', VERIFICATION_TOKEN, 'im.message.receive_v1', 'card.action.trigger']),
        () => Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1)),
        () =>
          Object.fromEntries(
            Array.from({ length: Math.floor(rnd() * 5) }, () => [
              pick([
                'schema',
                'header',
                'event',
                'token',
                'type',
                'challenge',
                'encrypt',
                'message',
                'action',
                junk(3),
              ]),
              value(depth + 1),
            ]),
          ),
      ])();

const errors: unknown[] = [];
const log: Logger = { info() {}, debug() {}, warn() {}, error: (o) => errors.push(o) };
let s: Awaited<ReturnType<typeof bootLark>>;
beforeAll(async () => {
  s = await bootLark('webhook', { log });
});
afterAll(() => s.stop());

it(`${ROUNDS} hostile deliveries: no 500, no crash, nothing written`, async () => {
  const statuses = new Map<number, number>();
  for (let i = 0; i < ROUNDS; i++) {
    const kind = Math.floor(rnd() * 6);
    let body: string;
    let headers: Record<string, string> = { 'content-type': 'application/json' };
    if (kind === 0) body = junk(Math.floor(rnd() * 200));
    else if (kind === 1) body = JSON.stringify(value());
    else if (kind === 2) {
      // a genuine envelope, bit-flipped
      const r = larkRequest(
        encryptLark(ENCRYPT_KEY, messageEvent('new Fuzz | Corp', { from: ALICE, chatId: 'oc_p', chatType: 'p2p' })),
        ENCRYPT_KEY,
      );
      const chars = [...r.body];
      const at = Math.floor(rnd() * chars.length);
      const flipped = String.fromCharCode(32 + Math.floor(rnd() * 90));
      chars[at] = flipped === chars[at] ? '~' : flipped; // always a real change
      body = chars.join('');
      headers = r.headers;
    } else if (kind === 3) {
      // correctly encrypted and signed, with garbage where the event should be
      const env = {
        schema: '2.0',
        header: {
          event_id: `fz${i}`,
          token: VERIFICATION_TOKEN,
          event_type: pick(['im.message.receive_v1', 'card.action.trigger', 'application.bot.menu_v6', junk(5)]),
        },
        event: value(),
      };
      ({ body, headers } = larkRequest(encryptLark(ENCRYPT_KEY, env), ENCRYPT_KEY));
    } else if (kind === 4) {
      ({ body, headers } = larkRequest(encryptLark(ENCRYPT_KEY, value()), pick([ENCRYPT_KEY, 'wrong', undefined])));
    } else {
      body = JSON.stringify({ encrypt: junk(Math.floor(rnd() * 64)) });
      headers = { ...headers, 'x-lark-signature': Buffer.from(junk(10), 'latin1').toString('hex') };
    }
    const res = await fetch(`${s.url}${pick(['/lark/events', '/lark/card'])}`, { method: 'POST', body, headers });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  await s.app.idle();
  expect([...statuses.keys()].every((k) => k === 200 || k === 400)).toBe(true);
  expect(errors).toEqual([]); // nothing reached a handler in a shape it could not take
  expect(statuses.get(400)).toBeGreaterThan(0);
  expect(await s.db.prisma.deal.count()).toBe(0);
  expect(s.fake.callsOf('chat.create')).toHaveLength(0);
  // Still up, and still right.
  await s.deliver(messageEvent('new Acme | ERP', { from: ALICE, chatId: 'oc_p', chatType: 'p2p' }));
  expect(await s.db.prisma.deal.count()).toBe(1);
});
