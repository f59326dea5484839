// Composition root: config → database → store → platforms → jobs. Nothing else lives here.

import fs from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import pino from 'pino';
import type { Deps } from './app/context.ts';
import type { InboxPool } from './app/inbox.ts';
import { PlatformRegistry } from './app/platforms.ts';
import { systemClock } from './app/ports.ts';
import { BUILT_IN, baseProcessesFromFile, ProcessCatalog } from './app/process-config.ts';
import { isDeadLocalClaim } from './app/process-id.ts';
import { housekeeping } from './app/rooms.ts';
import { loadConfig } from './config.ts';
import { keepServingOnStrayErrors, stopOnDatabaseLoss } from './crash-policy.ts';
import type { PlatformKind } from './domain/model.ts';
import { DigestScheduler } from './jobs/digest-scheduler.ts';
import { OutboxWorker } from './jobs/outbox-worker.ts';
import { ConsolePlatform } from './platforms/console/console-platform.ts';
import { CONSOLE_WORKSPACE, runRepl, TerminalWriter } from './platforms/console/repl.ts';
import { createLarkApp } from './platforms/lark/app.ts';
import { createSlackApp } from './platforms/slack/app.ts';
import { openDatabase } from './store/database.ts';
import { prismaStore } from './store/prisma-store.ts';

/** Pause between two digest DMs, per platform: Slack's chat.postMessage allows about one message
 * per second per channel (https://api.slack.com/methods/chat.postMessage#rate_limiting); Lark's
 * im.message.create 5 a second per person and 50 a second per app
 * (https://open.feishu.cn/document/server-docs/im-v1/message/create). */
const DIGEST_PACE_MS: Record<PlatformKind, number> = { slack: 250, lark: 200, console: 0 };

/** Digests every minute for every registered platform, each with its own scheduler and pacing; a
 * tick never overlaps the previous one. */
function startDigests(deps: Deps, log: pino.Logger) {
  return deps.platforms.all().map((p) => {
    const scheduler = new DigestScheduler({
      deps,
      platform: p.kind,
      paceMs: DIGEST_PACE_MS[p.kind],
      staleAfterMs: process.env.DEALROOM_DIGEST_STALE_MS ? Number(process.env.DEALROOM_DIGEST_STALE_MS) : undefined,
    });
    // Every minute; DEALROOM_DIGEST_EVERY_SECONDS (seconds, 1-59) ticks faster, for crash tests.
    const every = Number(process.env.DEALROOM_DIGEST_EVERY_SECONDS ?? 0);
    return cron.schedule(
      every >= 1 && every < 60 ? `*/${Math.floor(every)} * * * * *` : '* * * * *',
      async () => {
        try {
          const r = await scheduler.tick();
          if (r.sent || r.failed || r.abandoned || r.recovered) log.info({ platform: p.kind, ...r }, 'digests');
        } catch (e) {
          log.error({ err: e, platform: p.kind }, 'digest tick failed');
        }
      },
      { noOverlap: true },
    );
  });
}

/** Archiving and pruning every ten minutes, for every registered platform. */
function startHousekeeping(deps: Deps, archiveAfterMs: number, log: pino.Logger) {
  return cron.schedule(
    '*/10 * * * *',
    () =>
      void housekeeping(deps, archiveAfterMs, async (id) => {
        const ws = await deps.store.repos.findWorkspaceById(id);
        return ws && { platform: ws.platform, externalId: ws.externalId };
      }).catch((e) => log.error({ err: e }, 'housekeeping failed')),
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
  keepServingOnStrayErrors(process, log);
  const db = await openDatabase(config.database, {
    onFatal: stopOnDatabaseLoss(log, (code) => shutdown(code)),
  });
  if (db.applied.length) log.info({ applied: db.applied }, 'migrations applied');
  const clock = systemClock;
  const store = prismaStore(db.prisma, clock);
  // The processes of workspaces that loaded none of their own (`/deal process load`): the config
  // file's, refused at start (with the line and field, or the deals it would orphan) rather than
  // run with a process the stored deals do not fit; else the shipped ones.
  const base = config.processFile
    ? await baseProcessesFromFile(store.repos, fs.readFileSync(config.processFile, 'utf8'), config.processFile)
    : BUILT_IN;
  if (config.processFile) log.info({ processes: base.set.list.map((p) => p.key) }, 'process file loaded');
  const processes = new ProcessCatalog(base);
  // Every configured platform registers here: Slack and Lark side by side in one process (one
  // Deps, one inbox pool, one outbox worker; digests per platform), the console when neither is.
  const platforms = new PlatformRegistry();
  // Work claimed by a dead process resumes at once instead of after its lease: on the embedded
  // database every claim is a dead process's (one process per data directory, a lock guards it);
  // on PostgreSQL, those of this host's dead processes (other hosts' wait for their lease).
  const claimers = await store.repos.listClaimers();
  await store.repos.releaseClaims(db.kind === 'pglite' ? claimers : claimers.filter(isDeadLocalClaim));
  // What runs, stopped in order on SIGTERM/SIGINT (a deploy): first stop accepting, then finish.
  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping: no new work; finishing what is in progress');
    // A stuck platform call must not keep a deploy waiting forever; the leases hand its work on.
    setTimeout(() => process.exit(code), Number(process.env.DEALROOM_STOP_TIMEOUT_MS ?? 25_000)).unref();
    for (const stop of stops) await stop().catch((e) => log.error({ err: e }, 'stop step failed'));
    await db.close().catch(() => {});
    log.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const leaseMs = process.env.DEALROOM_LEASE_MS ? Number(process.env.DEALROOM_LEASE_MS) : undefined;

  let deps: Deps | undefined;
  let inbox: InboxPool | undefined;
  if (config.slack) {
    const slack = createSlackApp({
      ...config.slack,
      port: config.port,
      store,
      clock,
      log,
      defaults: config.defaults,
      platforms,
      leaseMs,
      processes,
    });
    await slack.start();
    log.info({ mode: config.slack.appToken ? 'socket' : `http :${config.port}` }, 'Dealroom on Slack');
    deps = slack.deps;
    inbox = slack.inbox;
    stops.push(() => slack.stop()); // refuses new requests (503), finishes the commands in progress, closes
  }
  if (config.lark) {
    deps ??= { store, platforms, clock, log, defaults: config.defaults, processes };
    const lark = createLarkApp({ ...config.lark, deps, inbox, leaseMs });
    const url = await lark.start();
    log.info({ mode: config.lark.mode, domain: config.lark.domain, url }, 'Dealroom on Lark/Feishu');
    // Lark stops taking events before the shared inbox drains (Slack's stop drains it).
    stops.unshift(() => lark.stop());
  }
  if (deps) {
    const outbox = new OutboxWorker({ deps, leaseMs }).start();
    const digests = startDigests(deps, log);
    const sweep = startHousekeeping(deps, config.archiveAfterMs, log);
    stops.push(
      () => outbox.stop(), // lets the step in progress finish
      async () => {
        for (const d of digests) await d.stop();
        await sweep.stop();
      },
    );
    return;
  }

  const terminal = new TerminalWriter(process.stdout);
  const write = terminal.write;
  const platform = new ConsolePlatform({
    // --lang is every console person's profile language (else the workspace's); `lang zh|en` sets one's own.
    write,
    timezone: config.defaults.timezone,
    locale: arg('lang'),
    // Funnel pictures go next to the data (a throwaway memory:// database: the OS temp dir).
    ...(config.dataDir.startsWith('memory://') ? {} : { pictureDir: path.join(config.dataDir, 'pictures') }),
    isTaken: async (roomId) => {
      const ws = await store.repos.findWorkspace('console', CONSOLE_WORKSPACE.externalId);
      return ws ? (await store.repos.findDealByRoom(ws.id, roomId)) !== null : false;
    },
  });
  platforms.register(platform);
  const consoleDeps: Deps = { store, platforms, clock, log, defaults: config.defaults, processes };
  const outbox = new OutboxWorker({ deps: consoleDeps, leaseMs }).start();
  const digests = startDigests(consoleDeps, log);
  const sweep = startHousekeeping(consoleDeps, config.archiveAfterMs, log);
  stops.push(
    () => outbox.stop(),
    async () => {
      for (const d of digests) await d.stop();
      await sweep.stop();
    },
  );
  await runRepl(consoleDeps, {
    input: process.stdin,
    output: process.stdout,
    write,
    terminal,
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
  await shutdown(0);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
