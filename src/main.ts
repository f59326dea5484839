// Composition root: config → database → store → platform → jobs. Nothing else lives here.

import cron from 'node-cron';
import pino from 'pino';
import type { Deps } from './app/context.ts';
import { systemClock } from './app/ports.ts';
import { housekeeping } from './app/rooms.ts';
import { loadConfig } from './config.ts';
import { DigestScheduler } from './jobs/digest-scheduler.ts';
import { ConsolePlatform } from './platforms/console/console-platform.ts';
import { CONSOLE_WORKSPACE, runRepl } from './platforms/console/repl.ts';
import { createSlackApp } from './platforms/slack/app.ts';
import { openDatabase } from './store/database.ts';
import { prismaStore } from './store/prisma-store.ts';

/** Digests every minute; a tick never overlaps the previous one. */
function startDigests(deps: Deps, log: pino.Logger) {
  const scheduler = new DigestScheduler({ deps, paceMs: deps.platform.kind === 'slack' ? 250 : 0 });
  return cron.schedule(
    '* * * * *',
    async () => {
      try {
        const r = await scheduler.tick();
        if (r.sent || r.failed || r.abandoned) log.info(r, 'digests');
      } catch (e) {
        log.error({ err: e }, 'digest tick failed');
      }
    },
    { noOverlap: true },
  );
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const config = loadConfig();
  const interactive = Boolean(process.stdin.isTTY);
  // The console prints the conversation on stdout; logs go to stderr so a piped transcript stays clean.
  const log = pino({ level: config.slack ? config.logLevel : (process.env.LOG_LEVEL ?? 'warn') }, pino.destination(2));
  const db = await openDatabase(config.database);
  if (db.applied.length) log.info({ applied: db.applied }, 'migrations applied');
  const clock = systemClock;
  const store = prismaStore(db.prisma, clock);
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    await db.close().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (config.slack) {
    const slack = createSlackApp({ ...config.slack, port: config.port, store, clock, log, defaults: config.defaults });
    await slack.start();
    log.info({ mode: config.slack.appToken ? 'socket' : `http :${config.port}` }, 'Dealroom on Slack');
    startDigests(slack.deps, log);
    cron.schedule(
      '*/10 * * * *',
      () =>
        void housekeeping(slack.deps, config.archiveAfterMs, async (id) => {
          const ws = await store.repos.findWorkspaceById(id);
          return ws && { platform: ws.platform, externalId: ws.externalId };
        }).catch((e) => log.error({ err: e }, 'housekeeping failed')),
    );
    process.on('SIGTERM', () => void slack.stop());
    return;
  }

  const write = (line: string) => process.stdout.write(`${line}\n`);
  const platform = new ConsolePlatform({
    // Console people speak the language they type in, unless --lang says otherwise.
    write,
    timezone: config.defaults.timezone,
    locale: arg('lang'),
    isTaken: async (roomId) => {
      const ws = await store.repos.findWorkspace('console', CONSOLE_WORKSPACE.externalId);
      return ws ? (await store.repos.findDealByRoom(ws.id, roomId)) !== null : false;
    },
  });
  const deps: Deps = { store, platform, clock, log, defaults: config.defaults };
  const digests = startDigests(deps, log);
  const sweep = cron.schedule(
    '*/10 * * * *',
    () =>
      void housekeeping(deps, config.archiveAfterMs, async () => CONSOLE_WORKSPACE).catch((e) =>
        log.error({ err: e }, 'housekeeping failed'),
      ),
  );
  await runRepl(deps, {
    input: process.stdin,
    output: process.stdout,
    write,
    interactive,
    as: arg('as') ?? process.env.USER ?? 'me',
    findRoom: async (n) => {
      const ws = await store.repos.findWorkspace('console', CONSOLE_WORKSPACE.externalId);
      const deal = ws && (await store.repos.findDealByNumber(ws.id, n));
      return deal?.roomId ?? null;
    },
    listRooms: async () => {
      const ws = await store.repos.findWorkspace('console', CONSOLE_WORKSPACE.externalId);
      if (!ws) return [];
      return (await store.repos.listDeals(ws.id, {}))
        .filter((d) => d.roomId)
        .map((d) => ({ number: d.number, roomId: d.roomId!, title: d.title }));
    },
  });
  await sweep.stop();
  await digests.stop();
  await shutdown(0);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
