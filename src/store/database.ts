// Opens the database: embedded PGlite under a data directory by default, PostgreSQL when a
// DATABASE_URL is given. Both run the same migrations (prisma/migrations) at open.
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { DealroomError } from '../domain/errors.ts';
import { PrismaClient } from './generated/client.ts';
import { observeStatements, type StatementObserver } from './observe.ts';
import { PGliteThread } from './pglite-thread.ts';
import { applyMigrations } from './schema-engine.ts';

export type Db = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Db;
  kind: 'pglite' | 'postgresql';
  /** Migrations applied while opening (empty when the database was current). */
  applied: string[];
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string } // a folder, or 'memory://' for a throwaway database
  | { kind: 'postgresql'; url: string };

export interface OpenOptions {
  migrate?: boolean;
  /** Sees every statement the client sends (not the migrations'): tests and the bench count them. */
  onStatement?: StatementObserver;
  /** Told when the embedded database's worker thread stops on its own (every call then fails with
   * `database_worker_died`): the bot cannot serve without it and should stop (src/crash-policy.ts). */
  onFatal?: (error: Error) => void;
}

export async function openDatabase(target: DatabaseTarget, opts: OpenOptions = {}): Promise<Database> {
  const migrate = opts.migrate ?? true;
  const observed = <F extends PrismaPg | PrismaPGlite>(f: F) =>
    opts.onStatement ? observeStatements(f, opts.onStatement) : f;
  if (target.kind === 'postgresql') {
    const factory = new PrismaPg({ connectionString: target.url });
    const applied = migrate ? await applyMigrations(factory) : [];
    const prisma = new PrismaClient({ adapter: observed(factory) });
    return { prisma, kind: 'postgresql', applied, close: () => prisma.$disconnect() };
  }
  const inMemory = target.dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataDir(target.dataDir);
  let pg: PGliteThread | undefined;
  try {
    // PGlite runs in its own thread so that queries never block the event loop (acks, timers).
    pg = await PGliteThread.open(inMemory ? target.dataDir : path.resolve(target.dataDir), opts.onFatal);
    // The adapter uses query, exec and transaction (query, rollback): PGliteThread has exactly those.
    const factory = new PrismaPGlite(pg as unknown as PGlite);
    const applied = migrate ? await applyMigrations(factory) : [];
    const prisma = new PrismaClient({ adapter: observed(factory) });
    return {
      prisma,
      kind: 'pglite',
      applied,
      close: async () => {
        await prisma.$disconnect();
        await pg!.close();
        release();
      },
    };
  } catch (e) {
    await pg?.close().catch(() => {});
    release();
    throw e;
  }
}

/** PGlite is one process per data directory: a second process (a CLI run while the bot runs)
 * would corrupt it. A pid lock file refuses that with a clear sentence; a stale lock is taken over. */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'dealroom.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DealroomError(
          'database_locked',
          `The embedded database in ${path.resolve(dataDir)} is in use by process ${pid}. Stop that process first, or point DEALROOM_DATA_DIR at another folder.`,
        );
      }
      fs.rmSync(lock, { force: true }); // stale: its process is gone
    }
  }
  throw new DealroomError('database_locked', `Could not lock ${lock}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}
