// The migrations are the schema: applying them produces exactly prisma/schema.prisma, on both
// databases, and applying them again is a no-op.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import {
  applyMigrations,
  diffMigrationsToSchema,
  engineStats,
  readMigrations,
  writeMigration,
} from '../../src/store/schema-engine.ts';
import { backends, openTestDb } from '../support/db.ts';

const BACKENDS = await backends();

/** Writes migration folders as `prisma/migrations` holds them. */
function writeMigrationDirs(dir: string, list: { name: string; sql: string }[]) {
  for (const m of list) {
    fs.mkdirSync(path.join(dir, m.name), { recursive: true });
    fs.writeFileSync(path.join(dir, m.name, 'migration.sql'), m.sql);
  }
}

describe('migrations', () => {
  it('produce exactly the schema (no pending diff)', async () => {
    expect(await diffMigrationsToSchema(new PrismaPGlite(new PGlite('memory://')))).toBe('');
  }, 180_000); // the WebAssembly schema engine and fresh databases: slow on a busy 2-core machine, not a speed test

  it("are folders in Prisma's format, in order", () => {
    const m = readMigrations();
    expect(m.length).toBeGreaterThan(0);
    for (const x of m) expect(x.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(fs.readFileSync(path.resolve('prisma/migrations/migration_lock.toml'), 'utf8')).toContain(
      'provider = "postgresql"',
    );
  });

  it('db:diff writes a new migration when the schema is ahead of the migrations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-mig-'));
    const sql = await diffMigrationsToSchema(new PrismaPGlite(new PGlite('memory://')), dir); // no migrations yet
    expect(sql).toContain('CREATE TABLE "Deal"');
    const folder = writeMigration('Add things!', sql, dir, new Date('2026-01-02T03:04:05Z'));
    expect(path.basename(folder)).toBe('20260102030405_add_things');
    expect(await diffMigrationsToSchema(new PrismaPGlite(new PGlite('memory://')), dir)).toBe('');
  }, 180_000); // the WebAssembly schema engine and fresh databases: slow on a busy 2-core machine, not a speed test

  it.each(BACKENDS)('apply once and record themselves like prisma migrate deploy (%s)', async (backend) => {
    const db = await openTestDb(backend);
    try {
      expect(db.applied).toEqual(readMigrations().map((m) => m.name));
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(
        'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY started_at',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(db.applied);
      expect(rows.every((r) => r.finished_at)).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it.each(BACKENDS)(
    'no column takes its time from the database: the app writes every timestamp from its clock (%s)',
    async (backend) => {
      expect(fs.readFileSync(path.resolve('prisma/schema.prisma'), 'utf8')).not.toMatch(
        /@default\(now\(\)\)|@updatedAt/,
      );
      const db = await openTestDb(backend);
      try {
        const rows = await db.prisma.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
          `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
           AND (column_default ILIKE '%now()%' OR column_default ILIKE '%current_timestamp%')`,
        );
        expect(rows).toEqual([]);
      } finally {
        await db.destroy();
      }
    },
  );

  it('a persisted embedded database is migrated once, then reopened as is, and locked against a second process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-data-'));
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect(first.applied.length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'dealroom.lock'), '1'); // pid 1 is alive: another process holds it
    await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(/in use by process 1/);
    fs.writeFileSync(path.join(dir, 'dealroom.lock'), String(process.pid));
    await first.close();
    const runs = engineStats.runs;
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect(again.applied).toEqual([]);
    expect(engineStats.runs).toBe(runs); // a restart does not start the migration engine
    await again.close();
    expect(fs.existsSync(path.join(dir, 'dealroom.lock'))).toBe(false);
  });

  it('workspace process files: existing workspaces keep the default processes (version 0); one row per version', async () => {
    // The migrations before this one, then a workspace, then this one: what a deployed database sees.
    const all = readMigrations();
    const at = all.findIndex((m) => m.name.endsWith('_workspace_process_files'));
    expect(at).toBeGreaterThan(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-mig-'));
    const pg = new PGlite('memory://');
    writeMigrationDirs(dir, all.slice(0, at));
    await applyMigrations(new PrismaPGlite(pg), dir);
    await pg.query(
      `INSERT INTO "Workspace" (id, platform, "externalId", "createdAt") VALUES ('00000000-0000-4000-8000-000000000001', 'slack', 'T1', '2026-01-01T00:00:00Z')`,
    );
    writeMigrationDirs(dir, all.slice(at, at + 1));
    expect(await applyMigrations(new PrismaPGlite(pg), dir)).toEqual([all[at].name]);
    const ws = await pg.query<{ processVersion: number }>('SELECT "processVersion" FROM "Workspace"');
    expect(ws.rows).toEqual([{ processVersion: 0 }]);
    const row = `('00000000-0000-4000-8000-000000000001', 1, 'processes: []', 'chat', '00000000-0000-4000-8000-000000000002', '2026-01-02T00:00:00Z')`;
    const insert = `INSERT INTO "ProcessFile" ("workspaceId", version, text, source, "loadedById", "loadedAt") VALUES ${row}`;
    await pg.query(insert);
    await expect(pg.query(insert)).rejects.toThrow(/duplicate key/);
    await expect(pg.query(insert.replace('-000000000001', '-000000000009'))).rejects.toThrow(/foreign key/);
  }, 180_000); // the WebAssembly schema engine: slow on a busy 2-core machine, not a speed test

  it('applying to an up-to-date database applies nothing', async () => {
    const pg = new PGlite('memory://');
    expect((await applyMigrations(new PrismaPGlite(pg))).length).toBeGreaterThan(0);
    expect(await applyMigrations(new PrismaPGlite(pg))).toEqual([]);
  });

  it.each(BACKENDS)(
    'a current database is opened without starting the migration engine; a failed or missing migration still goes to it (%s)',
    async (backend) => {
      // PGlite: a fresh in-thread database the adapter can use directly; PostgreSQL: a migrated test database.
      const pg = backend === 'pglite' ? new PGlite('memory://') : undefined;
      const db = pg ? undefined : await openTestDb(backend);
      const factory = () => (pg ? new PrismaPGlite(pg) : new PrismaPg({ connectionString: db!.url! }));
      const sql = (q: string) => (pg ? pg.query(q) : db!.prisma.$executeRawUnsafe(q));
      try {
        if (pg) expect((await applyMigrations(factory())).length).toBeGreaterThan(0);
        const runs = engineStats.runs;
        expect(await applyMigrations(factory())).toEqual([]);
        expect(engineStats.runs).toBe(runs); // nothing pending: the engine was not started

        // A migration recorded as started but never finished (it failed): deploy refuses to go on,
        // and skipping the engine must not hide that.
        const last = readMigrations().at(-1)!.name;
        await sql(`UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${last}'`);
        await expect(applyMigrations(factory())).rejects.toThrow(/failed migrations|P3009|${last}/);
        expect(engineStats.runs).toBe(runs + 1);

        // A migration on disk that the table does not list: the engine applies it.
        await sql(`UPDATE _prisma_migrations SET finished_at = started_at WHERE migration_name = '${last}'`);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-mig-'));
        writeMigrationDirs(dir, [
          ...readMigrations(),
          { name: '99990101000000_probe', sql: 'CREATE TABLE "Probe" (id int);' },
        ]);
        expect(await applyMigrations(factory(), dir)).toEqual(['99990101000000_probe']);
        expect(engineStats.runs).toBe(runs + 2);
        expect(await applyMigrations(factory(), dir)).toEqual([]);
        expect(engineStats.runs).toBe(runs + 2);
      } finally {
        await pg?.close();
        await db?.destroy();
      }
    },
    180_000, // the WebAssembly schema engine: slow on a busy 2-core machine, not a speed test
  );
});
