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
import { createLarkApp } from './platforms/lark/app.ts';
import { createSlackApp } from './platforms/slack/app.ts';
import { openDatabase } from './store/database.ts';
import { prismaStore } from './store/prisma-store.ts';

/** Pause between two digest sends: Slack allows about one message a second per channel
 * (https://api.slack.com/apis/rate-limits); Lark 5 per second per person (https://open.feishu.cn/document/server-docs/im-v1/message/create). */
const DIGEST_PACE_MS = { slack: 250, lark: 200, console: 0 } as const;

/** Digests every minute; a tick never overlaps the previous one. */
function startDigests(deps: Deps, log: pino.Logger) {
  const scheduler = new DigestScheduler({ deps, paceMs: DIGEST_PACE_MS[deps.platform.kind] });
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
  const log = pino(
    { level: config.slack || config.lark ? config.logLevel : (process.env.LOG_LEVEL ?? 'warn') },
    pino.destination(2),
  );
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

  // Every configured chat platform runs side by side in this one process, each with its own
  // digests and housekeeping (each job only touches its own platform's workspaces).
  const running: { deps: Deps; stop: () => Promise<unknown> }[] = [];
  if (config.slack) {
    const slack = createSlackApp({ ...config.slack, port: config.port, store, clock, log, defaults: config.defaults });
    await slack.start();
    log.info({ mode: config.slack.appToken ? 'socket' : `http :${config.port}` }, 'Dealroom on Slack');
    running.push(slack);
  }
  if (config.lark) {
    const lark = createLarkApp({ ...config.lark, store, clock, log, defaults: config.defaults });
    const url = await lark.start();
    log.info({ mode: config.lark.mode, domain: config.lark.domain, url }, 'Dealroom on Lark/Feishu');
    running.push(lark);
  }
  if (running.length) {
    for (const app of running) {
      startDigests(app.deps, log);
      cron.schedule(
        '*/10 * * * *',
        () =>
          void housekeeping(app.deps, config.archiveAfterMs, async (id) => {
            const ws = await store.repos.findWorkspaceById(id);
            return ws && { platform: ws.platform, externalId: ws.externalId };
          }).catch((e) => log.error({ err: e }, 'housekeeping failed')),
      );
      process.on('SIGTERM', () => void app.stop());
    }
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
