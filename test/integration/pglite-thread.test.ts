// The embedded database in its own thread (issue 10): queries leave the event loop free, keep
// PGlite's behaviour (errors with their SQLSTATE, parsers, one transaction at a time), and a worker
// that dies fails every call instead of leaving it waiting.
import { messages } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/store/database.ts';
import { PGliteThread } from '../../src/store/pglite-thread.ts';

// Opening PGlite takes seconds on a busy 2-core machine (not a speed test): one database serves the
// tests that only query; the ones that end a worker start their own.
const SLOW_OPEN = 120_000;
let db: Database;
let t: PGliteThread;
beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrate: false });
  t = await PGliteThread.open('memory://');
}, SLOW_OPEN);
afterAll(async () => {
  await db?.close();
  await t?.close();
});

describe('PGlite in a worker thread', () => {
  it('leaves the event loop free while a query runs', async () => {
    // The database stamps its clock before and after a 1 s sleep; this thread stamps its own every
    // few ms meanwhile. In-thread, PostgreSQL holds the thread between the two database stamps,
    // so no stamp of ours can fall between them (whatever the machine's speed).
    const ticks: number[] = [];
    const every = setInterval(() => ticks.push(Date.now()), 5);
    const [row] = await db.prisma.$queryRawUnsafe<{ a: Date; b: Date }[]>(
      'SELECT clock_timestamp() AS a, (SELECT 1 FROM pg_sleep(1)) AS s, clock_timestamp() AS b',
    );
    clearInterval(every);
    const [from, to] = [row.a.getTime() + 10, row.b.getTime() - 10];
    expect(to - from).toBeGreaterThan(900);
    expect(ticks.filter((t) => t > from && t < to).length).toBeGreaterThan(0);
  });

  it("keeps PostgreSQL's errors (class and SQLSTATE), so Prisma still reports a unique violation", async () => {
    await t.exec('CREATE TABLE u (a int UNIQUE)');
    await t.query('INSERT INTO u VALUES ($1)', [1]);
    const e = await t.query('INSERT INTO u VALUES ($1)', [1]).catch((x) => x);
    expect(e).toBeInstanceOf(messages.DatabaseError);
    expect(e).toMatchObject({ code: '23505', table: 'u', detail: 'Key (a)=(1) already exists.' });
  });

  it("applies the caller's parsers on this thread and PGlite's own to the other types", async () => {
    const r = await t.query("SELECT 7::int AS n, ARRAY['x','y'] AS a, 12345678901::bigint AS b", [], {
      rowMode: 'array',
      parsers: { 20: (x: string) => `int8:${x}` },
    });
    expect(r.rows).toEqual([[7, ['x', 'y'], 'int8:12345678901']]);
  });

  it('runs one transaction at a time: a statement from outside waits for the commit', async () => {
    await t.exec('CREATE TABLE v (a int)');
    let outside: Promise<unknown> | undefined;
    const inside = await t.transaction(async (tx) => {
      await tx.query('INSERT INTO v VALUES (1)');
      outside = t.query<{ n: number }>('SELECT count(*)::int AS n FROM v');
      await tx.query('INSERT INTO v VALUES (2)');
      return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM v')).rows[0].n;
    });
    expect(inside).toBe(2);
    expect(((await outside) as { rows: { n: number }[] }).rows[0].n).toBe(2);
  });

  it('rolls back when the work throws, and rethrows its error', async () => {
    await t.exec('CREATE TABLE w (a int)');
    const e = await t
      .transaction(async (tx) => {
        await tx.query('INSERT INTO w VALUES (1)');
        throw new Error('changed my mind');
      })
      .catch((x) => x);
    expect(e.message).toBe('changed my mind');
    expect((await t.query<{ n: number }>('SELECT count(*)::int AS n FROM w')).rows[0].n).toBe(0);
  });

  it(
    'a worker that dies fails the query in flight and every later one, and says so once',
    async () => {
      const fatal: Error[] = [];
      const t = await PGliteThread.open('memory://', (e) => fatal.push(e));
      const inFlight = t.query('SELECT 1 FROM pg_sleep(30)').catch((x) => x);
      await t.thread.terminate(); // as if the thread had crashed
      const e = await inFlight;
      expect(e).toMatchObject({ code: 'database_worker_died' });
      expect(e.message).toContain('restart Dealroom');
      await expect(t.query('SELECT 1')).rejects.toMatchObject({ code: 'database_worker_died' });
      expect(fatal).toHaveLength(1);
      await t.close(); // a dead worker closes without complaint
    },
    SLOW_OPEN,
  );

  it(
    'close() ends the worker; later calls are refused, and closing is not a death',
    async () => {
      const fatal: Error[] = [];
      const t = await PGliteThread.open('memory://', (e) => fatal.push(e));
      const exited = new Promise((r) => t.thread.once('exit', r));
      await t.close();
      await exited;
      await expect(t.query('SELECT 1')).rejects.toMatchObject({ code: 'database_closed' });
      expect(fatal).toEqual([]);
    },
    SLOW_OPEN,
  );
});
