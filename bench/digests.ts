// `npm run bench`: the time to compute every digest of one morning for a large org, measured on
// the embedded database and on PostgreSQL side by side in one run. Not a test: numbers to read.
//   npm run bench                 full size: 100 managers, 800 reps, 120,000 deals, 1,000,000 events
//   npm run bench -- --scale 0.1  a tenth of that (CI runs this to prove the benchmark works)
//   --only pglite | postgresql    one database (bench/main.ts runs each in its own process)
// Each database is migrated and seeded by a child process (initdb, the migration engine and the bulk
// load cost memory the morning does not); this process then opens it as the bot does on a normal
// start (PGlite on a data directory; the migrations already applied, so the engine is not started)
// and measures the morning.
// BENCH_MEMORY_TRACE=1 prints RSS and heap after every manager digest (=gc: after a forced GC,
// with node --expose-gc: what stays alive, not what the GC has yet to collect).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Deps } from '../src/app/context.ts';
import { composeManagerDigest, composeRepNudge } from '../src/app/digests.ts';
import { silentLogger } from '../src/app/logger.ts';
import { PlatformRegistry } from '../src/app/platforms.ts';
import { ProcessCatalog } from '../src/app/process-config.ts';
import { ConsolePlatform } from '../src/platforms/console/console-platform.ts';
import { textOf } from '../src/platforms/console/render-text.ts';
import { type Database, openDatabase } from '../src/store/database.ts';
import { prismaStore } from '../src/store/prisma-store.ts';
import { FULL, type OrgSize, scaled, seedOrg } from './seed.ts';

const arg = (n: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scale = Number(arg('scale') ?? 1);
const size: OrgSize = scale === 1 ? FULL : scaled(scale);
const only = arg('only');
const TUESDAY = new Date('2026-11-24T00:30:00Z');
const MONDAY = new Date('2026-11-23T00:30:00Z');

const pct = (xs: number[], p: number) =>
  xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

const mb = (b: number) => Math.round(b / 2 ** 20);

/** Seeds the org; returns the workspace and how long it took. */
async function seed(db: Database) {
  const t0 = performance.now();
  const wsId = await seedOrg(db.prisma, size, TUESDAY);
  return { wsId, seedMs: performance.now() - t0 };
}

async function measure(label: string, db: Database, seeded: { wsId: string; seedMs: number }) {
  const { wsId, seedMs } = seeded;
  const rssBeforeMb = mb(process.memoryUsage().rss);
  const clock = { now: () => TUESDAY };
  const store = prismaStore(db.prisma, clock);
  const deps: Deps = {
    store,
    platforms: new PlatformRegistry([new ConsolePlatform({ write: () => {}, isTaken: async () => false })]),
    clock,
    log: silentLogger,
    defaults: { currency: 'USD', timezone: 'UTC', locale: 'en' },
    processes: new ProcessCatalog(),
  };
  const ws = (await store.repos.findWorkspaceById(wsId))!;
  const members = await store.repos.listMembers(ws.id);
  const managers = members.filter((m) => m.role === 'manager');
  const reps = members.filter((m) => m.role === 'rep');
  const rows: string[] = [];
  const json: { database: string; morning: string; digestsMs: number; nudgesMs: number; totalMs: number }[] = [];
  for (const [morning, now, weekly] of [
    ['Tuesday (daily)', TUESDAY, false],
    ['Monday (daily + weekly)', MONDAY, true],
  ] as const) {
    const times: number[] = [];
    let chars = 0;
    const start = performance.now();
    for (const m of managers) {
      const t = performance.now();
      const msg = await composeManagerDigest(deps, ws, m, new Date(now.getTime() - 86_400_000), now, {
        members,
        weekly,
      });
      times.push(performance.now() - t);
      if (process.env.BENCH_MEMORY_TRACE === 'gc') (globalThis as { gc?: () => void }).gc?.();
      if (process.env.BENCH_MEMORY_TRACE) {
        const u = process.memoryUsage();
        console.error(
          `${morning} ${m.name}: rss ${mb(u.rss)} heap ${mb(u.heapUsed)} external ${mb(u.external)} arrayBuffers ${mb(u.arrayBuffers)}`,
        );
      }
      chars += textOf(msg.text).length; // the text as a reader sees it (its parts rendered)
    }
    const managersMs = performance.now() - start;
    const nudgeStart = performance.now();
    for (const r of reps) await composeRepNudge(deps, ws, r, now, { members });
    const repsMs = performance.now() - nudgeStart;
    json.push({ database: label, morning, digestsMs: managersMs, nudgesMs: repsMs, totalMs: managersMs + repsMs });
    rows.push(
      `| ${label} | ${morning} | ${managers.length} digests: ${fmt(managersMs)} (p50 ${fmt(pct(times, 0.5))}, p95 ${fmt(pct(times, 0.95))}) | ${reps.length} nudges: ${fmt(repsMs)} | ${fmt(managersMs + repsMs)} | ${Math.round(chars / managers.length)} chars |`,
    );
  }
  return { seedMs, rows, json, rssBeforeMb };
}

async function main() {
  console.log(
    `Org: ${size.managers} managers, ${size.managers * size.repsPerManager} reps, ${size.deals.toLocaleString('en')} open deals, ${size.events.toLocaleString('en')} events, ${size.actions.toLocaleString('en')} open actions (scale ${scale})`,
  );
  const results: { label: string; seedMs: number; rows: string[]; json: object[]; rssBeforeMb: number }[] = [];
  if (only !== 'postgresql') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-bench-'));
    try {
      const seeded = seedInChild('pglite', dir);
      const db = await openDatabase({ kind: 'pglite', dataDir: dir });
      try {
        results.push({ label: 'PGlite (embedded)', ...(await measure('PGlite (embedded)', db, seeded)) });
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only !== 'pglite') {
    const admin = process.env.DEALROOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const name = `dealroom_bench_${randomBytes(4).toString('hex')}`;
    const url = admin.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    try {
      const seeded = seedInChild('postgresql', url);
      const db = await openDatabase({ kind: 'postgresql', url });
      try {
        results.push({ label: 'PostgreSQL 15', ...(await measure('PostgreSQL 15', db, seeded)) });
      } finally {
        await db.close();
      }
    } finally {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }
  }
  console.log(
    '\n| database | morning | manager digests | rep nudges | whole morning | avg digest size |\n|---|---|---|---|---|---|',
  );
  for (const r of results) for (const row of r.rows) console.log(row);
  console.log('');
  for (const r of results)
    console.log(`seeding ${r.label}: ${fmt(r.seedMs)}; RSS before the mornings ${r.rssBeforeMb} MB`);
  // For bench/main.ts, which runs each database in a process of its own to read its peak RSS.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`peak RSS of this process: ${peakRssMb} MB`);
  console.log(
    `BENCH_JSON ${JSON.stringify({
      scale,
      rows: results.flatMap((r) => r.json),
      peakRssMb,
      seedMs: results.map((r) => ({ database: r.label, seedMs: Math.round(r.seedMs), rssBeforeMb: r.rssBeforeMb })),
    })}`,
  );
}

/** Migrates and seeds a database in a child process (see the top): this process then opens a
 * current database, as the bot does on every start but the first after an upgrade. */
function seedInChild(kind: 'pglite' | 'postgresql', target: string): { wsId: string; seedMs: number } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--scale', String(scale), '--seed', kind, target],
    { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 26 },
  ).toString();
  return JSON.parse(
    out
      .split('\n')
      .find((l) => l.startsWith('SEEDED '))!
      .slice('SEEDED '.length),
  );
}

async function seedChild(kind: string, target: string) {
  const db = await openDatabase(
    kind === 'pglite' ? { kind: 'pglite', dataDir: target } : { kind: 'postgresql', url: target },
  );
  try {
    console.log(`SEEDED ${JSON.stringify(await seed(db))}`);
  } finally {
    await db.close();
  }
}

const seedKind = arg('seed');
(seedKind ? seedChild(seedKind, process.argv[process.argv.indexOf('--seed') + 2]) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
