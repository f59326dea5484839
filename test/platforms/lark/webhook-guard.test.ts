// Nothing a request carries can change data or end the process: forged, unsigned, wrongly
// encrypted, wrong-token and garbage deliveries are refused with an answer and a log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/app/logger.ts';
import { ENCRYPT_KEY, encryptLark, larkRequest, messageEvent, VERIFICATION_TOKEN } from '../../fakes/lark-events.ts';
import { ALICE, bootLark } from './helpers.ts';

const warnings: string[] = [];
const log: Logger = {
  info() {},
  debug() {},
  error: (o) => warnings.push(`error ${JSON.stringify(o)}`),
  warn: (o, m) => warnings.push(`${m}: ${JSON.stringify(o)}`),
};
let s: Awaited<ReturnType<typeof bootLark>>;
beforeAll(async () => {
  s = await bootLark('webhook', { log });
});
afterAll(() => s.stop());

const newDeal = (o: { token?: string } = {}) =>
  messageEvent('new Evil | Corp', { from: ALICE, chatId: 'oc_p2p', chatType: 'p2p', ...o });
const post = (path: string, body: string, headers: Record<string, string> = {}, method = 'POST') =>
  fetch(`${s.url}${path}`, { method, body: method === 'GET' ? undefined : body, headers });

describe('Lark webhook guard', () => {
  it.each([
    ['unsigned', () => larkRequest(encryptLark(ENCRYPT_KEY, newDeal()))],
    ['signed with another key', () => larkRequest(encryptLark(ENCRYPT_KEY, newDeal()), 'not-the-key')],
    ['encrypted with another key', () => larkRequest(encryptLark('not-the-key', newDeal()), ENCRYPT_KEY)],
    [
      'the wrong verification token',
      () => larkRequest(encryptLark(ENCRYPT_KEY, newDeal({ token: 'forged' })), ENCRYPT_KEY),
    ],
    ['plaintext, signed, wrong token', () => larkRequest(newDeal({ token: 'forged' }), ENCRYPT_KEY)],
    ['not JSON', () => ({ body: '{"encrypt": ', headers: { 'content-type': 'application/json' } })],
    ['JSON null', () => ({ body: 'null', headers: {} })],
    ['an encrypt field that is not base64 AES', () => larkRequest({ encrypt: 'AAAA' }, ENCRYPT_KEY)],
    ['an encrypt field that is a number', () => larkRequest({ encrypt: 42 }, ENCRYPT_KEY)],
  ])('a delivery %s is refused (400), changes nothing, and is logged', async (_name, build) => {
    const before = { calls: s.fake.calls.length, deals: await s.db.prisma.deal.count(), logs: warnings.length };
    const { body, headers } = build();
    const res = await post('/lark/events', body, headers);
    expect(res.status).toBe(400);
    await s.app.idle();
    expect(s.fake.calls.length).toBe(before.calls);
    expect(await s.db.prisma.deal.count()).toBe(before.deals);
    expect(warnings.length).toBeGreaterThan(before.logs);
  });

  it('answers the URL-verification challenge (plain and encrypted) only with the right token', async () => {
    const challenge = (o: object) => ({ type: 'url_verification', challenge: 'ch-1', ...o });
    let res = await post('/lark/events', JSON.stringify(challenge({ token: VERIFICATION_TOKEN })));
    expect(await res.json()).toEqual({ challenge: 'ch-1' });
    res = await post(
      '/lark/events',
      JSON.stringify(encryptLark(ENCRYPT_KEY, challenge({ token: VERIFICATION_TOKEN }))),
    );
    expect(await res.json()).toEqual({ challenge: 'ch-1' });
    res = await post('/lark/events', JSON.stringify(challenge({ token: 'forged' })));
    expect(res.status).toBe(400);
    res = await post(
      '/lark/events',
      JSON.stringify(encryptLark('not-the-key', challenge({ token: VERIFICATION_TOKEN }))),
    );
    expect(res.status).toBe(400);
  });

  it('answers every path and method (the SDK adapter leaves unknown paths hanging)', async () => {
    expect((await post('/elsewhere', '{}')).status).toBe(404);
    expect((await post('/lark/events', '', {}, 'GET')).status).toBe(405);
    expect((await post('/healthz', '', {}, 'GET')).status).toBe(200);
  });

  it('refuses an oversized body without reading it all', async () => {
    const res = await post('/lark/events', JSON.stringify({ encrypt: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('is still up: a genuine delivery after all of the above is handled', async () => {
    const r = await s.deliver(
      messageEvent('new Acme | ERP rollout', { from: ALICE, chatId: 'oc_p2p', chatType: 'p2p' }),
    );
    expect(r.status).toBe(200);
    expect(await s.db.prisma.deal.count()).toBe(1);
    expect(s.fake.callsOf('chat.create')).toHaveLength(1);
  });

  it('a signed plaintext body with JSON escapes verifies over the raw bytes', async () => {
    const deals = await s.db.prisma.deal.count();
    const ev = messageEvent('new Beta | Pilot', { from: ALICE, chatId: 'oc_p2p', chatType: 'p2p' });
    const raw = JSON.stringify(ev).replace('new Beta', '\\u006eew Beta'); // as Lark may escape
    const { headers } = larkRequest(ev, ENCRYPT_KEY);
    const { createHash } = await import('node:crypto');
    headers['x-lark-signature'] = createHash('sha256')
      .update(headers['x-lark-request-timestamp'] + headers['x-lark-request-nonce'] + ENCRYPT_KEY + raw)
      .digest('hex');
    const res = await post('/lark/events', raw, headers);
    expect(res.status).toBe(200);
    await s.app.idle();
    expect(await s.db.prisma.deal.count()).toBe(deals + 1);
  });
});

describe('Lark long connection guard', () => {
  it('an event with the wrong verification token changes nothing and the connection stays usable', async () => {
    const w = await bootLark('ws', { log });
    try {
      const bad = await w.gateway!.push(newDeal({ token: 'forged' }));
      expect(bad.resp.code).toBe(200);
      expect(bad.data).toBeUndefined();
      await w.app.idle();
      expect(await w.db.prisma.deal.count()).toBe(0);
      expect(w.fake.callsOf('chat.create')).toHaveLength(0);
      await w.deliver(messageEvent('new Acme | ERP', { from: ALICE, chatId: 'oc_p2p', chatType: 'p2p' }));
      expect(await w.db.prisma.deal.count()).toBe(1);
    } finally {
      await w.stop();
    }
  });
});
