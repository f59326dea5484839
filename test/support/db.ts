// Test databases: embedded PGlite (in memory) always; PostgreSQL too when a server answers.
// CI sets DEALROOM_TEST_PG=required so a missing server fails the run instead of narrowing it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, type OpenOptions, openDatabase } from '../../src/store/database.ts';

export type Backend = 'pglite' | 'postgresql';

const ADMIN_URL = process.env.DEALROOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function pgAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

let cached: Promise<Backend[]> | undefined;
/** The backends this run covers. */
export function backends(): Promise<Backend[]> {
  cached ??= (async () => {
    const required = process.env.DEALROOM_TEST_PG === 'required';
    if (await pgAnswers()) return ['pglite', 'postgresql'];
    if (required)
      throw new Error(
        `DEALROOM_TEST_PG=required but PostgreSQL does not answer at ${ADMIN_URL}. Start it (see README) or unset DEALROOM_TEST_PG.`,
      );
    return ['pglite'];
  })();
  return cached;
}

export interface TestDb extends Database {
  backend: Backend;
  url?: string;
  destroy(): Promise<void>;
}

/** A fresh, migrated database of the given kind; `destroy` closes and (for PostgreSQL) drops it. */
export async function openTestDb(backend: Backend, opts: Pick<OpenOptions, 'onStatement'> = {}): Promise<TestDb> {
  if (backend === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, opts);
    return { ...db, backend, destroy: () => db.close() };
  }
  const name = `dealroom_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const db = await openDatabase({ kind: 'postgresql', url }, opts);
  return {
    ...db,
    backend,
    url,
    destroy: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
