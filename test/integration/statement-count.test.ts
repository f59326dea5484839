// The SQL statements each changing command sends (a count is deterministic; a time is not). The
// command's own part is the speaker lookup and its transaction; its platform steps (room post,
// card, DMs) run after the commit. BEGIN/COMMIT are not counted. Ceilings, not exact values: a
// change that reads a row twice again, or re-selects after a write, fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROCESSES } from '../../src/domain/process.ts';
import { processFileText } from '../../src/domain/process-file.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const CONTROL = /^(BEGIN|COMMIT|ROLLBACK)\b/;
const CLAIM_STEP = /^\s*UPDATE "OutboxStep" s SET "claimedBy"/;

// [command, ceiling for the command, ceiling with its platform steps]; run in this order in the
// deal's room by alice (the owner, an admin). Before this test existed (same commands, same
// counting): stage qualified 19 / 33, log 14 / 28, set 14 / 28, contact 14 / 28, stage proposal
// 19 / 33, action 19 / 36, done 14 / 28, undo 14 / 28, invite 19 / 37, won 15 / 29.
// A stage with a playbook reads the deal's actions once, so a re-entered stage does not repeat its
// playbook while the earlier actions exist (issue 12): one statement more than the bare move.
const TABLE: [string, number, number][] = [
  ['stage qualified', 9, 16],
  ['log called them next:friday', 6, 13],
  ['set amount 130k', 6, 13],
  ['contact "Jane Doe" role:decision-maker title:CFO', 7, 14],
  ['stage proposal', 10, 17],
  ['action @bob send the deck due:friday', 9, 18],
  ['done 3', 7, 14],
  ['undo 3', 7, 14],
  ['invite @carol', 11, 21],
  ['won signed', 7, 14],
];

describe.each(BACKENDS)('statements per command on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let log: string[] = [];
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend, { onStatement: (sql) => log.push(sql) });
    h = harness(db);
    const r = await h.run('alice', `new Acme | ERP rollout amount:120k close:2026-12-31 ${h.mention('bob')}`);
    room = r.roomId!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  const measure = async (user: string, text: string, key: string) => {
    log = [];
    const r = await h.run(
      user,
      text.replace(/@(\w+)/g, (_, u) => h.mention(u)),
      room,
      key,
    );
    const data = log.filter((s) => !CONTROL.test(s));
    const firstStep = data.findIndex((s) => CLAIM_STEP.test(s));
    return { r, command: firstStep < 0 ? data.length : firstStep, total: data.length, sql: data };
  };

  it.each(TABLE)('%s', async (text, commandCeiling, totalCeiling) => {
    const m = await measure('alice', text, `key:${text}`);
    expect(m.r.ok, m.r.text).toBe(true);
    if (process.env.SHOW_COUNTS) console.log(`COUNT ${backend} ${text}: ${m.command} / ${m.total}`); // read by npm run bench
    const shown = m.sql.map((s) => s.trim().slice(0, 90)).join('\n');
    expect(m.command, shown).toBeLessThanOrEqual(commandCeiling);
    expect(m.total, shown).toBeLessThanOrEqual(totalCeiling);
  });

  it('a redelivery writes nothing and answers from its receipt in a few statements', async () => {
    const first = await measure('alice', 'log second call', 'key:redelivered');
    const again = await measure('alice', 'log second call', 'key:redelivered');
    expect(first.r.ok && again.r.ok).toBe(true);
    expect(again.sql.filter((s) => /^\s*(INSERT|UPDATE|DELETE)/.test(s) && !/WITH r AS/.test(s))).toEqual([]);
    expect(again.total).toBeLessThanOrEqual(4);
  });

  it('a workspace with its own process file: the same ceilings once this replica has parsed it', async () => {
    expect((await h.run('alice', `process load ${processFileText(DEFAULT_PROCESSES)}`)).ok).toBe(true);
    // The first command after a load reads the file (once per replica and version); then none do.
    room = (await h.run('alice', 'new Beta | CRM amount:10k close:2026-12-31')).roomId!;
    for (const [text, commandCeiling, totalCeiling] of TABLE.slice(0, 3)) {
      const m = await measure('alice', text, `key:own:${text}`);
      expect(m.r.ok, m.r.text).toBe(true);
      const shown = m.sql.map((s) => s.trim().slice(0, 90)).join('\n');
      expect(shown).not.toContain('ProcessFile');
      expect(m.command, shown).toBeLessThanOrEqual(commandCeiling);
      expect(m.total, shown).toBeLessThanOrEqual(totalCeiling);
    }
  });
});
