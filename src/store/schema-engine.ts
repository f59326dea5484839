// Migrations through Prisma's official WebAssembly schema engine (@prisma/schema-engine-wasm).
// Prisma's CLI needs a native engine binary that it downloads on first use; air-gapped machines
// (and this project's CI) cannot, so we drive the same engine compiled to WebAssembly. It writes
// the `_prisma_migrations` table exactly like `prisma migrate deploy`, so the normal CLI works
// on the same folder wherever the native engine is available.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');
const LOCKFILE = 'migration_lock.toml';
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type Engine = {
  diff(p: unknown): Promise<{ exitCode: number; stdout: string }>;
  applyMigrations(p: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
};

let bgModule: Promise<any> | undefined;
/** Loads the wasm engine once per process. Its ESM entry imports a `.wasm` file, which Node 20
 * refuses, so we instantiate the module by hand (files resolved by path: they are not exported). */
function loadEngineModule(): Promise<any> {
  bgModule ??= (async () => {
    // The package's exports map hides its files; find the folder from its main entry instead.
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm'));
    const bg = await import(pathToFileURL(path.join(pkgDir, 'schema_engine_bg.js')).href);
    const wasm = new WebAssembly.Module(fs.readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm')));
    const instance = new WebAssembly.Instance(wasm, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as any).__wbindgen_start?.();
    return bg;
  })();
  return bgModule;
}

async function newEngine(schema: string, factory: SqlMigrationAwareDriverAdapterFactory): Promise<Engine> {
  engineStats.runs++;
  const bg = await loadEngineModule();
  return bg.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(wholeScripts(factory)),
  );
}

/** Migration scripts must reach the database whole. @prisma/adapter-pg splits a script on every
 * `;` (breaking PL/pgSQL bodies such as the event log's append-only trigger), and
 * pglite-prisma-adapter does not await its exec (errors escape, later statements race). Both
 * clients run a multi-statement script natively, so we hand it to them in one call. */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = async <A extends { executeScript(s: string): Promise<void> }>(adapter: A): Promise<A> => {
    const raw = adapter as unknown as {
      client?: { query?: (s: string) => Promise<unknown>; exec?: (s: string) => Promise<unknown> };
      onError?: (e: unknown) => never;
    };
    const run = raw.client?.exec
      ? (s: string) => raw.client!.exec!(s)
      : raw.client?.query
        ? (s: string) => raw.client!.query!(s)
        : null;
    if (run) {
      adapter.executeScript = async (script: string) => {
        try {
          await run(script);
        } catch (e) {
          raw.onError
            ? raw.onError(e)
            : (() => {
                throw e;
              })();
        }
      };
    }
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

export interface MigrationDir {
  name: string;
  sql: string;
}

/** The migrations on disk, oldest first (folder names sort by their timestamp/number prefix). */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationDir[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => ({ name: d.name, sql: fs.readFileSync(path.join(dir, d.name, 'migration.sql'), 'utf8') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function migrationsList(migrations: MigrationDir[], dir: string) {
  return {
    baseDir: dir,
    lockfile: { path: LOCKFILE, content: 'provider = "postgresql"\n' },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
}

/** How many times this process started the engine (tests: a current database must not start it). */
export const engineStats = { runs: 0 };

/** True when `_prisma_migrations` records every migration on disk as finished and none as failed:
 * then there is nothing for the engine to do. That is every start but the first after an upgrade,
 * and the engine (about 30 MB of WebAssembly memory, which a process never gives back) is not
 * loaded at all. Anything unexpected (no table yet, a failed or rolled-back row, a query error)
 * answers false, and the engine decides as `prisma migrate deploy` would. */
async function upToDate(factory: SqlMigrationAwareDriverAdapterFactory, migrations: MigrationDir[]): Promise<boolean> {
  const conn = await factory.connect();
  try {
    const { rows } = await conn.queryRaw({
      sql: 'SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done FROM _prisma_migrations',
      args: [],
      argTypes: [],
    });
    if (rows.some((r) => r[1] !== true)) return false; // a failed or rolled-back migration: the engine reports it
    const done = new Set(rows.map((r) => r[0]));
    return migrations.every((m) => done.has(m.name));
  } catch {
    return false; // no table yet (a new database), or it cannot be read: the engine decides
  } finally {
    await conn.dispose();
  }
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrations = readMigrations(dir);
  if (await upToDate(factory, migrations)) return [];
  const schema = fs.readFileSync(SCHEMA_PATH, 'utf8');
  const engine = await newEngine(schema, factory);
  try {
    const out = await engine.applyMigrations({
      migrationsList: migrationsList(migrations, dir),
      filters: NO_FILTERS,
    });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that takes a database built by the migrations on disk to the current schema ('' when in sync).
 * `factory` must offer a shadow database (PGlite's adapter gives an in-memory one). */
export async function diffMigrationsToSchema(
  factory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<string> {
  const schema = fs.readFileSync(SCHEMA_PATH, 'utf8');
  const engine = await newEngine(schema, factory);
  try {
    const migrations = readMigrations(dir);
    const from = migrations.length ? { tag: 'migrations', ...migrationsList(migrations, dir) } : { tag: 'empty' };
    const r = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(r.stdout) ? '' : r.stdout;
  } finally {
    engine.free();
  }
}

/** Writes `prisma/migrations/<timestamp>_<name>/migration.sql` the way `prisma migrate dev` names it. */
export function writeMigration(name: string, sql: string, dir = MIGRATIONS_DIR, now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'migration';
  const folder = path.join(dir, `${stamp}_${slug}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'migration.sql'), sql);
  const lock = path.join(dir, LOCKFILE);
  if (!fs.existsSync(lock))
    fs.writeFileSync(
      lock,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  return folder;
}
