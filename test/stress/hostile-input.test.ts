// Property-based fuzzing of everything a person or a network can send (issue 11), through the
// real dispatcher on the embedded database and the real Bolt app over signed HTTP. For every
// text: no exception, a reply in words, and a refused command changes no row. Counts are printed
// at the end (texts tried, failures).
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE, VERB_ALIASES } from '../../src/commands/usage.ts';
import { toBlockKit } from '../../src/platforms/slack/block-kit.ts';
import { blockErrors } from '../fakes/fake-slack-state.ts';
import { bootSlack, SECRET, slashBody } from '../platforms/slack/helpers.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const TEXTS = Number(process.env.FUZZ_TEXTS ?? 100_000);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2_000);
const LEAKS =
  /\bundefined\b|\bNaN\b|\[object |\bfunction\b|native code|Invalid input|expected string|Too big|must match|^\s*[{[]"|"\w+":/g;
/** Such words that earlier accepted commands stored (a deal titled "NaN" is shown as "NaN"). */
const stored = new Set<string>();
/** Internal words in a reply that people did not type themselves (a refusal quotes them). */
const leaks = (reply: string, typed: string) =>
  [...reply.matchAll(LEAKS)].map((m) => m[0]).filter((w) => !typed.includes(w) && !stored.has(w));

// Every verb the grammar knows, in both languages (one source: the grammar's own tables).
const VERBS = [...Object.keys(USAGE), ...VERB_ALIASES.keys()];
const PROTO = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf'];
const INJECT = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U1|<!channel>>',
  '<#C1|<https://evil|click>>',
  '<https://evil.example|x>',
  '${process.exit()}',
  '\'; DROP TABLE "Deal"; --',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '%s%n',
  '\\u0000',
  '&amp;&lt;&gt;',
  '*bold* _it_ ~s~ `code`',
  '```',
  'null',
  '{"a":1}',
  '[]',
];
const OPTIONS = [
  'amount:',
  'close:',
  'due:',
  'next:',
  'role:',
  'title:',
  'email:',
  'phone:',
  'override:',
  'as:',
  'stage:',
  '截止:',
  '金额:',
];
const DATES = [
  '2026-12-31',
  '0000-01-01',
  '9999-12-31',
  '2026-02-30',
  'friday',
  '下周五',
  '+3d',
  '+99999y',
  '明天',
  '12/31',
  'in 3 weeks',
];
const AMOUNTS = [
  '120k',
  '$1.2m',
  '12万',
  '99999999999999.99',
  '1e309',
  '-5',
  '0.001',
  'NaN',
  'Infinity',
  '120k EUR',
  '¥5',
];
const VALID = [
  'new Acme | ERP amount:120k close:2026-12-31',
  'log called the CFO next:friday',
  'action <@UBOB|bob> send the deck due:+3d',
  'contact "Jane Doe" role:decision-maker title:CFO email:jane@acme.com',
  'set close 2026-12-31',
  'set amount 50k',
  'stage qualified override:signed LOI',
  'invite <@UCAROL|carol> as:se',
  'list mine stage:proposal',
  'digest time 07:45',
  '记录 客户来电 下次:周五',
  '#1 info',
];

const unicodeChunk = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }), // includes lone surrogates
  fc.constantFrom('\u200b', '\u200d', '\u202e', '\u2066', '\ufeff', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t'),
  fc.constantFrom('שלום', 'مرحبا', '你好', '👩‍👩‍👧‍👦', '🇨🇳', 'é', '\ud83d', '\ude00'),
  fc.constantFrom(...PROTO, ...INJECT, ...DATES, ...AMOUNTS),
  fc.constantFrom(...OPTIONS).chain((o) => fc.constantFrom(...PROTO, ...DATES, ...AMOUNTS, '').map((v) => o + v)),
  fc.constantFrom(
    '<@',
    '<@U',
    '<@UBOB|',
    '<',
    '>',
    '"',
    '“',
    '「',
    '|',
    '｜',
    '#',
    '#1',
    '#0',
    '#99999999999',
    ':',
    '@',
    '@bob',
  ),
);
const words = fc.array(unicodeChunk, { maxLength: 12 }).map((xs) => xs.join(' '));
const corrupted = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat({ max: 6 }), unicodeChunk)
  .map(([v, at, cut, chunk]) => {
    const i = at % (v.length + 1);
    return v.slice(0, i) + chunk + v.slice(i + cut);
  });
const huge = fc
  .tuple(
    fc.constantFrom('<@', 'a ', '“ ', '<', '@,', 'k:"', '🎉', '\u202e', '\ud83d'),
    fc.integer({ min: 1_000, max: 50_000 }),
  )
  .map(([unit, n]) => unit.repeat(n)); // up to 100 KB
const text = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...VERBS, ...PROTO, ''), words).map(([v, w]) => `${v} ${w}`) },
  { weight: 2, arbitrary: corrupted },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('#1 ', '#2 ', ''), fc.constantFrom(...PROTO), words).map((x) => x.join(' ')),
  },
  { weight: 1, arbitrary: huge },
);

describe('fuzz: texts through the real dispatcher on the embedded database', () => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  const tally = { tried: 0, refused: 0, accepted: 0, failures: 0 };
  beforeAll(async () => {
    db = await openTestDb('pglite');
    h = harness(db);
    room = (await h.run('alice', `new Acme | ERP amount:10k close:2026-12-31 ${h.mention('bob')}`)).roomId!;
  });
  afterAll(async () => {
    console.log(
      `fuzz texts: tried ${tally.tried}, refused ${tally.refused}, accepted ${tally.accepted}, failures ${tally.failures}`,
    );
    await db.destroy();
  });

  /** One query for every table's row count: a refusal must leave the fingerprint unchanged. */
  const fingerprint = async () =>
    JSON.stringify(
      await db.prisma.$queryRawUnsafe(
        `SELECT (SELECT count(*) FROM "Workspace") w, (SELECT count(*) FROM "Member") m, (SELECT count(*) FROM "Account") a,
         (SELECT count(*) FROM "Contact") c, (SELECT count(*) FROM "Deal") d, (SELECT count(*) FROM "DealMember") dm,
         (SELECT count(*) FROM "ActionItem") ai, (SELECT count(*) FROM "DealEvent") e,
         (SELECT coalesce(max("updatedAt"), 'epoch') FROM "Deal") du`,
      ),
      (_k, v) => (typeof v === 'bigint' ? String(v) : v),
    );

  let last = '';
  it(
    `${TEXTS} generated texts: no exception, a reply in words, refusals write nothing`,
    async () => {
      last = await fingerprint();
      await fc.assert(
        fc.asyncProperty(text, fc.constantFrom('alice', 'bob', 'carol'), fc.boolean(), async (input, who, inRoom) => {
          tally.tried++;
          // The fingerprint after one command is the one before the next: one query per text.
          const before = last;
          let r: Awaited<ReturnType<typeof h.run>>;
          try {
            r = await h.run(who, input, inRoom ? room : undefined, `fuzz-${tally.tried}`);
          } catch (e) {
            tally.failures++;
            throw e;
          }
          const ok = r.ok;
          if (ok) {
            tally.accepted++;
            for (const m of input.matchAll(LEAKS)) stored.add(m[0]);
          } else tally.refused++;
          const words = r.text;
          last = await fingerprint();
          // Everything the command showed, as Slack would receive it: the reply and every room post,
          // card and DM it caused must pass Slack's Block Kit checks (lengths, counts, entities).
          const shown = [r.message, ...h.platform.calls.splice(0).map((c) => c.message)].filter((m) => m !== undefined);
          const refused = shown.flatMap((m) => blockErrors(toBlockKit(m).blocks, 50));
          const bad =
            (!ok && !words) ||
            leaks(words, input).length > 0 ||
            /went wrong on our side/.test(words) ||
            (!ok && last !== before) ||
            refused.length > 0;
          if (bad) tally.failures++;
          expect(bad ? { input, words, ok, leaked: leaks(words, input), refused } : null).toBeNull();
        }),
        { numRuns: TEXTS, seed: Number(process.env.FUZZ_SEED ?? 11), endOnFailure: true },
      );
      expect(tally.failures).toBe(0);
      // ~11 ms a text on PGlite here (two reads and the fingerprint): 100,000 take ~18 minutes.
    },
    TEXTS * 30 + 60_000,
  );
});

describe('fuzz: signed random and malformed HTTP requests against the real Bolt app', () => {
  let s: Awaited<ReturnType<typeof bootSlack>>;
  const tally = { sent: 0, statuses: new Map<number, number>() };
  beforeAll(async () => {
    s = await bootSlack();
  });
  afterAll(async () => {
    console.log(`fuzz requests: sent ${tally.sent}, statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}`);
    await s.stop();
  });

  const signed = (body: string, ts = Math.floor(Date.now() / 1000)) =>
    `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null');
  const body = fc.oneof(
    text.map((t) => slashBody(s.fake, t.slice(0, 5000))),
    json.map((j) => `payload=${encodeURIComponent(j)}`),
    json,
    fc.constantFrom(
      'payload=null',
      'null',
      '',
      'payload=',
      'ssl_check=1',
      'ssl_check=1&payload=null',
      '{"type":"url_verification"}',
    ),
    fc
      .record({
        type: fc.constantFrom('block_actions', 'view_submission', 'event_callback', 'shortcut'),
        user: json,
        team: json,
        actions: json,
        view: json,
        event: json,
      })
      .map((p) => `payload=${encodeURIComponent(JSON.stringify(p))}`),
    fc.string({ unit: 'binary', maxLength: 300 }),
  );
  const headers = fc.record({
    type: fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/json',
      'APPLICATION/JSON; charset=UTF-8',
      'text/plain',
      '',
    ),
    skew: fc.constantFrom(0, 0, 0, 0, 299, -299, 301, -301, 86_400, -86_400),
    sign: fc.constantFrom('good', 'good', 'good', 'good', 'bad', 'none'),
  });

  it(`${REQUESTS} requests: every answer a 2xx/4xx, and the app still serves`, async () => {
    // Sampled up front and sent 16 at a time: unmatched events wait out Bolt's 3 s before a 404.
    const cases = fc.sample(fc.tuple(body, headers), { numRuns: REQUESTS, seed: Number(process.env.FUZZ_SEED ?? 11) });
    const bad: unknown[] = [];
    const send = async ([b, hd]: (typeof cases)[number]) => {
      tally.sent++;
      const ts = Math.floor(Date.now() / 1000) + hd.skew;
      const h: Record<string, string> = { 'x-slack-request-timestamp': String(ts) };
      if (hd.type) h['content-type'] = hd.type;
      if (hd.sign !== 'none') h['x-slack-signature'] = hd.sign === 'good' ? signed(b, ts) : signed(`${b}x`, ts);
      const r = await s.post(b, h);
      await r.arrayBuffer();
      tally.statuses.set(r.status, (tally.statuses.get(r.status) ?? 0) + 1);
      if (r.status < 200 || r.status >= 500) bad.push({ body: b.slice(0, 200), headers: hd, status: r.status });
    };
    for (let k = 0; k < cases.length; k += 16) await Promise.all(cases.slice(k, k + 16).map(send));
    expect(bad).toEqual([]);
    expect((await s.slash('help')).status).toBe(200);
  });
});
