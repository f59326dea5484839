// `npm run import -- <folder> [--dry-run]` and `npm run export -- <folder>`: accounts.csv,
// contacts.csv and deals.csv in a folder, for the configured database (embedded unless
// DATABASE_URL is set; the embedded one cannot be open in the bot at the same time).
// `--workspace slack:T0123` picks a workspace when the database holds more than one;
// `--lang zh` answers in Chinese; `--rooms` has the bot create the open deals' rooms (paced by its
// outbox). An import is all or nothing, and a dry run writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COLUMNS, type CsvFiles, type CsvKind, importCsv } from '../app/csv.ts';
import { exportCsv } from '../app/csv-export.ts';
import { systemClock } from '../app/ports.ts';
import { BUILT_IN, baseProcessesFromFile, ProcessCatalog } from '../app/process-config.ts';
import { loadConfig } from '../config.ts';
import type { PlatformKind, Workspace } from '../domain/model.ts';
import { csvText } from '../i18n/csv-messages.ts';
import { textOf } from '../platforms/console/render-text.ts';
import { openDatabase } from './database.ts';
import { prismaStore } from './prisma-store.ts';

const USAGE = `Usage: npm run import -- <folder> [--dry-run] [--rooms] [--workspace <platform>:<id>] [--lang en|zh]
       npm run export -- <folder> [--workspace <platform>:<id>]`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      rooms: { type: 'boolean', default: false },
      workspace: { type: 'string' },
      lang: { type: 'string', default: 'en' },
    },
  });
  const [verb, dir] = positionals;
  if ((verb !== 'import' && verb !== 'export') || !dir || positionals.length > 2) {
    console.error(USAGE);
    return 2;
  }
  const locale = values.lang === 'zh' ? 'zh' : 'en';
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const store = prismaStore(db.prisma, systemClock);
    const ws = await pickWorkspace(db.prisma, values.workspace);
    if (verb === 'export') {
      const files = await exportCsv(store.repos, ws);
      fs.mkdirSync(dir, { recursive: true });
      for (const [kind, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${kind}.csv`), text);
      const where = { where: { workspaceId: ws.id } };
      const counts = {
        accounts: await db.prisma.account.count(where),
        contacts: await db.prisma.contact.count(where),
        deals: await db.prisma.deal.count(where),
      };
      console.log(textOf(csvText(locale, 'csv.exported', { ...counts, dir })));
      return 0;
    }
    const files: CsvFiles = {};
    for (const kind of Object.keys(COLUMNS) as CsvKind[]) {
      const f = path.join(dir, `${kind}.csv`);
      if (fs.existsSync(f)) files[kind] = fs.readFileSync(f, 'utf8');
    }
    if (!Object.keys(files).length) {
      console.error(`No accounts.csv, contacts.csv or deals.csv in ${dir}.`);
      return 2;
    }
    // The workspace's own processes (`/deal process load`), else the config file's, else the shipped ones.
    const base = config.processFile
      ? await baseProcessesFromFile(store.repos, fs.readFileSync(config.processFile, 'utf8'), config.processFile)
      : BUILT_IN;
    const processes = (await new ProcessCatalog(base).forWorkspace(store.repos, ws)).set.list;
    const r = await importCsv(store, ws, files, {
      processes,
      dryRun: values['dry-run'],
      rooms: values.rooms,
      locale,
      now: systemClock.now(),
    });
    (r.rejections.length ? console.error : console.log)(textOf(r.report));
    return r.rejections.length ? 1 : 0;
  } finally {
    await db.close();
  }
}

async function pickWorkspace(
  prisma: Awaited<ReturnType<typeof openDatabase>>['prisma'],
  wanted?: string,
): Promise<Workspace> {
  const rows = await prisma.workspace.findMany({ orderBy: { createdAt: 'asc' } });
  const name = (w: { platform: string; externalId: string }) => `${w.platform}:${w.externalId}`;
  const found = wanted ? rows.filter((w) => name(w) === wanted) : rows;
  if (found.length !== 1 || !found[0]) {
    const known = rows.map(name).join(', ') || 'none yet (use Dealroom once first)';
    throw new Error(
      wanted
        ? `No workspace ${wanted}. Workspaces: ${known}.`
        : `Pick a workspace with --workspace <platform>:<id>. Workspaces: ${known}.`,
    );
  }
  const w = found[0];
  return { ...w, platform: w.platform as PlatformKind };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
}
