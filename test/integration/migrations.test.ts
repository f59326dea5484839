// The migrations are the schema: applying them produces exactly prisma/schema.prisma, on both
// databases, and applying them again is a no-op.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import {
  applyMigrations,
  diffMigrationsToSchema,
  readMigrations,
  writeMigration,
} from '../../src/store/schema-engine.ts';
import { backends, openTestDb } from '../support/db.ts';

const BACKENDS = await backends();

describe('migrations', () => {
  it('produce exactly the schema (no pending diff)', async () => {
    expect(await diffMigrationsToSchema(new PrismaPGlite(new PGlite('memory://')))).toBe('');
  });

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
  });

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
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect(again.applied).toEqual([]);
    await again.close();
    expect(fs.existsSync(path.join(dir, 'dealroom.lock'))).toBe(false);
  });

  it('applying to an up-to-date database applies nothing', async () => {
    const pg = new PGlite('memory://');
    expect((await applyMigrations(new PrismaPGlite(pg))).length).toBeGreaterThan(0);
    expect(await applyMigrations(new PrismaPGlite(pg))).toEqual([]);
  });
});
