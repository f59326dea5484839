// The command path under load: signed `/deal #n log …` requests from this process (autocannon)
// against four targets, interleaved over rounds: floor A (a Bolt app that only acks), floor B (Bolt
// plus the Web API calls the bot makes for that command, no logic), and the real bot (`src/main.ts`
// in HTTP mode) on PostgreSQL and on PGlite, each seeded with 10,000 deals. The fake Slack Web API
// runs in its own process; a command is complete when the fake receives its answer on the
// response_url (its last call). Each target is driven by 1 connection (the sustainable rate) and
// by a burst of N connections; every acked command must complete.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { type Database, openDatabase } from '../src/store/database.ts';
import { scaled, seedOrg } from './seed.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'bench-signing-secret';
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CommandBenchOptions {
  rounds: number;
  /** seconds of load per phase: one connection, then the burst */
  seconds: { single: number; burst: number };
  connections: number;
  deals: number;
  adminUrl: string;
  log: (line: string) => void;
}

export interface PhaseResult {
  target: string;
  connections: number;
  round: number;
  sent: number;
  acked: number;
  refused: number;
  completed: number;
  ackMs: number[];
  completionMs: number[];
  completionsPerSec: number;
  cpuMsPerCommand: number;
  webApiCallsPerCommand: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** User + system CPU of a process so far, in ms (Linux /proc; clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}

function signed(body: string) {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

const forkTs = (file: string, args: string[]) =>
  fork(path.join(ROOT, file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const message = <T>(cp: ChildProcess, pred: (m: any) => boolean) =>
  new Promise<T>((resolve, reject) => {
    const exit = (code: number | null) => reject(new Error(`${cp.spawnargs.join(' ')} exited (${code})`));
    const on = (m: any) => {
      if (!pred(m)) return;
      cp.off('message', on);
      cp.off('exit', exit);
      resolve(m as T);
    };
    cp.on('message', on);
    cp.once('exit', exit);
  });

/** 10,000 deals (and their org) for workspace T1, speakers r1…rN admins, no digest due. */
async function seed(db: Database, deals: number, connections: number) {
  const size = scaled(deals / 120_000);
  await seedOrg(db.prisma, size, new Date());
  await db.prisma.$executeRawUnsafe(`UPDATE "Workspace" SET platform = 'slack', "externalId" = 'T1'`);
  // No digest or nudge falls due in the middle of a run.
  await db.prisma.$executeRawUnsafe(
    `UPDATE "Member" SET "nudgeOptOut" = true, role = CASE WHEN role = 'manager' THEN 'rep' ELSE role END`,
  );
  const speakers = Array.from({ length: connections }, (_, c) => `'r${c + 1}'`).join(',');
  await db.prisma.$executeRawUnsafe(`UPDATE "Member" SET role = 'admin' WHERE "externalId" IN (${speakers})`);
}

interface Target {
  key: string;
  url: string;
  pid: number;
  /** floor A answers nothing: its ack is its completion */
  ackIsCompletion: boolean;
  stop(): Promise<void>;
}

async function startFloor(mode: 'A' | 'B', apiUrl: string): Promise<Target> {
  const port = await freePort();
  const cp = forkTs('bench/procs/floor.ts', [mode, String(port), apiUrl, SECRET]);
  await message(cp, (m) => m?.ready);
  return {
    key: `floor ${mode}`,
    url: `http://127.0.0.1:${port}`,
    pid: cp.pid!,
    ackIsCompletion: mode === 'A',
    stop: async () => {
      cp.send('stop');
      await new Promise((r) => cp.once('exit', r));
    },
  };
}

/** The V8 flags `npm start` gives the bot (package.json is the one place they are written): the bench
 * runs the bot, and the digest mornings, under the same heap ceiling. */
export function botNodeFlags(): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const m = start.match(/--max-old-space-size=\$\{DEALROOM_HEAP_MB:-(\d+)\}/);
  if (!m) throw new Error(`package.json's start script has no heap ceiling the bench can copy: ${start}`);
  return [`--max-old-space-size=${process.env.DEALROOM_HEAP_MB || m[1]}`];
}

async function startBot(key: string, apiUrl: string, env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  // node itself (what `npm start` execs): the CPU read is the bot's own.
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each bot, written when it stops (for the report's costs).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const cp = spawn(process.execPath, [...prof, ...botNodeFlags(), '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: apiUrl,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  cp.stderr!.on('data', (d) => {
    err = (err + d).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (const end = Date.now() + 120_000; ; await sleep(100)) {
    if (cp.exitCode !== null) throw new Error(`${key} exited:\n${err}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > end) throw new Error(`${key} not ready:\n${err}`);
  }
  return {
    key,
    url,
    pid: cp.pid!,
    ackIsCompletion: false,
    stop: async () => {
      cp.kill('SIGTERM');
      await new Promise((r) => cp.once('exit', r));
    },
  };
}

const pct = (xs: number[], p: number) =>
  xs.length ? xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : Number.NaN;
const median = (xs: number[]) => pct(xs, 0.5);

export async function runCommandBench(o: CommandBenchOptions): Promise<PhaseResult[]> {
  const fake = forkTs('bench/procs/fake-api.ts', [String(o.connections)]);
  const { url: apiUrl, base } = await message<{ url: string; base: string }>(fake, (m) => m?.ready);
  const counts = () => {
    const p = message<{ counts: Record<string, number> }>(fake, (m) => m?.counts);
    fake.send('counts');
    return p.then((m) => m.counts);
  };
  // Answers as the fake receives them; a closed loop waits for its command's.
  const done = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  fake.on('message', (m: any) => {
    if (!m?.hook) return;
    done.set(m.hook, m.at);
    waiting.get(m.hook)?.();
  });
  const completion = (trigger: string) =>
    done.has(trigger) ? Promise.resolve() : new Promise<void>((r) => waiting.set(trigger, r));

  const dbName = `dealroom_bench_cmd_${randomBytes(4).toString('hex')}`;
  const dbUrl = o.adminUrl.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-bench-'));
  const admin = new pg.Client({ connectionString: o.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const targets: Target[] = [];
  try {
    o.log(`seeding ${o.deals.toLocaleString('en')} deals on PostgreSQL and PGlite …`);
    for (const target of [{ kind: 'postgresql', url: dbUrl } as const, { kind: 'pglite', dataDir } as const]) {
      const db = await openDatabase(target);
      try {
        await seed(db, o.deals, o.connections);
      } finally {
        await db.close();
      }
    }
    targets.push(await startFloor('A', apiUrl));
    targets.push(await startFloor('B', apiUrl));
    targets.push(await startBot('bot PostgreSQL', apiUrl, { DATABASE_URL: dbUrl }));
    targets.push(await startBot('bot PGlite', apiUrl, { DEALROOM_DATA_DIR: dataDir }));

    /** A signed `/deal #c log …` from speaker r<c>, typed outside the room: answered on its response_url. */
    const command = (c: number, trigger: string) => {
      const body = new URLSearchParams({
        token: 'legacy',
        team_id: 'T1',
        team_domain: 'bench',
        channel_id: 'CGENERAL',
        channel_name: 'general',
        user_id: `r${c}`,
        user_name: `rep${c}`,
        command: '/deal',
        text: `#${c} log bench call ${trigger}`,
        api_app_id: 'A1',
        response_url: `${base}/hooks/${trigger}`,
        trigger_id: trigger,
      }).toString();
      return { body, headers: signed(body) };
    };

    /** One connection, closed loop: the next command is sent once the previous one completed (the
     * sustainable rate, no queue). More connections: as fast as acks come (a burst), then the
     * backlog drains; every acked command must complete. */
    const phase = async (t: Target, connections: number, seconds: number, round: number): Promise<PhaseResult> => {
      const tag = `${t.key.replace(/\W+/g, '')}-${connections}-${round}-${randomBytes(2).toString('hex')}`;
      const sent = new Map<string, number>();
      const acked = new Map<string, number>();
      let refused = 0;
      let n = 0;
      await counts(); // forget what came before
      const cpu0 = cpuMs(t.pid);
      const started = now();
      if (connections === 1) {
        for (const stop = started + seconds * 1000; now() < stop; ) {
          const trigger = `${tag}-${++n}`;
          const { body, headers } = command(1, trigger);
          sent.set(trigger, now());
          const res = await fetch(`${t.url}/slack/events`, { method: 'POST', body, headers });
          await res.arrayBuffer();
          if (res.status !== 200) {
            refused++;
            continue;
          }
          acked.set(trigger, now());
          if (!t.ackIsCompletion) await completion(trigger);
        }
      } else {
        let conn = 0;
        await autocannon({
          url: `${t.url}/slack/events`,
          method: 'POST',
          connections,
          duration: seconds,
          requests: [
            {
              setupRequest: (req: any, context: any) => {
                context.user ??= conn++ % connections;
                const trigger = `${tag}-${++n}`;
                context.trigger = trigger;
                // one deal per connection: commands do not all queue on one deal's lock
                const { body, headers } = command(context.user + 1, trigger);
                sent.set(trigger, now());
                return { ...req, body, headers: { ...req.headers, ...headers } };
              },
              onResponse: (status: number, _body: string, context: any) => {
                if (status === 200) acked.set(context.trigger, now());
                else refused++;
              },
            } as any,
          ],
        });
        const deadline = now() + Math.max(120_000, seconds * 20_000);
        for (const k of acked.keys())
          if (!t.ackIsCompletion) await Promise.race([completion(k), sleep(Math.max(0, deadline - now()))]);
      }
      const cpu = cpuMs(t.pid) - cpu0;
      const calls = await counts();
      const ends = t.ackIsCompletion ? acked : done;
      const completed = [...acked.keys()].filter((k) => ends.has(k));
      const last = Math.max(...completed.map((k) => ends.get(k)!));
      const completionMs = completed.map((k) => ends.get(k)! - sent.get(k)!);
      for (const k of sent.keys()) {
        waiting.delete(k);
        done.delete(k);
      }
      const webCalls = Object.entries(calls)
        .filter(([k]) => k !== 'auth.test')
        .reduce((s, [, v]) => s + v, 0);
      return {
        target: t.key,
        connections,
        round,
        sent: sent.size,
        acked: acked.size,
        refused,
        completed: completed.length,
        ackMs: [...acked].map(([k, v]) => v - sent.get(k)!),
        completionMs,
        completionsPerSec: completed.length / ((last - started) / 1000),
        cpuMsPerCommand: cpu / Math.max(1, completed.length),
        webApiCallsPerCommand: webCalls / Math.max(1, completed.length),
      };
    };

    o.log('warming up (profiles, cards, JIT) …');
    for (const t of targets) await phase(t, 1, 1, 0);
    const results: PhaseResult[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      for (const t of targets) {
        for (const [connections, seconds] of [
          [1, o.seconds.single],
          [o.connections, o.seconds.burst],
        ] as const) {
          const r = await phase(t, connections, seconds, round);
          results.push(r);
          o.log(
            `round ${round} ${t.key.padEnd(15)} ${String(connections).padStart(2)} conn: ${r.completed}/${r.acked} completed, ${r.completionsPerSec.toFixed(0)}/s, ack p50 ${median(r.ackMs).toFixed(1)} ms, completion p99 ${pct(r.completionMs, 0.99).toFixed(0)} ms`,
          );
        }
      }
    }
    return results;
  } finally {
    for (const t of targets) await t.stop().catch(() => {});
    fake.send('stop');
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface CommandSummary {
  target: string;
  connections: number;
  completionsPerSec: number;
  ackP50: number;
  ackP99: number;
  completionP50: number;
  completionP99: number;
  cpuMsPerCommand: number;
  webApiCallsPerCommand: number;
  acked: number;
  failed: number;
}

/** Medians of the rounds' rates and CPU; latencies pooled over the rounds. */
export function summarise(results: PhaseResult[]): CommandSummary[] {
  const groups = new Map<string, PhaseResult[]>();
  for (const r of results)
    groups.set(`${r.target}|${r.connections}`, [...(groups.get(`${r.target}|${r.connections}`) ?? []), r]);
  return [...groups.values()].map((rs) => {
    const ack = rs.flatMap((r) => r.ackMs);
    const completion = rs.flatMap((r) => r.completionMs);
    return {
      target: rs[0].target,
      connections: rs[0].connections,
      completionsPerSec: median(rs.map((r) => r.completionsPerSec)),
      ackP50: pct(ack, 0.5),
      ackP99: pct(ack, 0.99),
      completionP50: pct(completion, 0.5),
      completionP99: pct(completion, 0.99),
      cpuMsPerCommand: median(rs.map((r) => r.cpuMsPerCommand)),
      webApiCallsPerCommand: median(rs.map((r) => r.webApiCallsPerCommand)),
      acked: rs.reduce((s, r) => s + r.acked, 0),
      failed: rs.reduce((s, r) => s + r.acked - r.completed, 0),
    };
  });
}
