// Hostile input through the real dispatcher on a real database (issue 11): a sentence in words,
// nothing written by a refusal, exact money, no outsiders, and a reference for the unexpected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/app/logger.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const LEAKS = /undefined|NaN|\[object |function |native code|Invalid input|expected string|Too big|must match|\{"/;

describe.each(BACKENDS)('hostile input on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    room = (await h.run('alice', `new Acme | ERP amount:10k ${h.mention('bob')}`)).roomId!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    ['#1 __proto__', /__proto__/],
    ['#1 constructor', /constructor/],
    ['toString', /toString/],
    ['action <@UBOB|bob> call due:constructor', /constructor/],
    ['action <@UBOB|bob> call due:__proto__', /__proto__/],
    ['set currency constructor', /constructor/],
    ['set constructor x', /constructor/],
    ['contact Jane role:__proto__', /__proto__/],
    ['log call\u0000 them', /NUL/],
    ['log broken \ud83d emoji', /broken emoji half/],
    ['set close 0000-01-01', /1900–2200/],
    [`log ${'x'.repeat(4001)}`, /note is too long: 4001 characters, and the limit is 4000/],
    [`set title ${'t'.repeat(201)}`, /title is too long.*limit is 200/],
    [`stage won override:${'o'.repeat(501)}`, /override: is too long.*limit is 500/],
    [`action ${Array.from({ length: 200 }, (_, i) => `<@U${i}>`).join(' ')} go`, /too long|at most/],
  ])('%s: a sentence, nothing written', async (text, pattern) => {
    const before = await h.counts();
    const posts = h.platform.calls.length;
    const r = await h.run('alice', text, room);
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(pattern);
    expect(r.text).not.toMatch(LEAKS);
    expect(r.text).not.toMatch(/went wrong on our side/);
    expect(await h.counts()).toEqual(before);
    expect(h.platform.calls.length).toBe(posts);
  });

  it('a prototype word as option key stays in the text instead of being dropped', async () => {
    const r = await h.run('alice', 'log call constructor:foo bar', room);
    expect(r.ok).toBe(true);
    const ev = await h.prisma.dealEvent.findFirstOrThrow({
      where: { type: 'contact_logged' },
      orderBy: { at: 'desc' },
    });
    expect(JSON.stringify(ev.data)).toContain('constructor:foo bar');
  });

  it('pipeline sums amounts as exact decimals', async () => {
    for (const n of [1, 2, 3]) {
      const r = await h.run('alice', `new Big${n} | Huge amount:99999999999999.99`);
      expect(r.ok).toBe(true);
    }
    const r = await h.run('alice', 'pipeline');
    expect(r.text).toContain('$300,000,000,009,999.97'); // 3 × 99,999,999,999,999.99 + the 10k deal
  });

  it('a mention of a user of another workspace is refused in words, and nobody is DMed', async () => {
    h.platform.addUser({ externalId: 'UACMEX', name: 'stranger', teamId: 'T0ACME' });
    const before = await h.counts();
    const posts = h.platform.calls.length;
    for (const text of ['invite <@UACMEX>', 'action <@UACMEX> call them', 'team <@UALICE> <@UACMEX>']) {
      const r = await h.run('alice', text, room);
      expect(r.ok).toBe(false);
      expect(r.text).toMatch(/belongs to another workspace/);
    }
    expect(await h.counts()).toEqual(before);
    expect(h.platform.calls.length).toBe(posts);
    expect(await h.prisma.member.count({ where: { externalId: 'UACMEX' } })).toBe(0);
    // Someone of this workspace (teamId T1) is welcome.
    h.platform.addUser({ externalId: 'UHOME', name: 'homie', teamId: 'T1' });
    expect((await h.run('alice', 'invite <@UHOME>', room)).ok).toBe(true);
  });

  it('an unexpected error tells a short reference that is also in the log line', async () => {
    const logged: Record<string, unknown>[] = [];
    const log: Logger = {
      info() {},
      warn() {},
      debug() {},
      error: (o) => void logged.push(o as Record<string, unknown>),
    };
    const store = h.deps.store;
    h.deps.log = log;
    h.deps.store = { ...store, transaction: () => Promise.reject(new Error('disk on fire')) };
    try {
      const r = await h.run('alice', 'log a call', room);
      expect(r.ok).toBe(false);
      const ref = /reference ([0-9a-f]{8})/.exec(r.text)?.[1];
      expect(ref).toBeDefined();
      expect(logged).toHaveLength(1);
      expect(logged[0].ref).toBe(ref);
      expect(String(logged[0].err)).toContain('disk on fire');
    } finally {
      h.deps.store = store;
    }
  });
});
