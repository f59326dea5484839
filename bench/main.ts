// `npm run bench`: the command path (bench/commands.ts) and the digest mornings (bench/digests.ts),
// in one run; the figures go to bench/results.json and bench/results.md.
//   npm run bench                 commands: 3 rounds of 5 s (1 connection) + 10 s (10 connections);
//                                 digests at 0.25x, 0.5x and 1x of 100 managers / 800 reps / 120k deals
//   npm run bench -- --scale 0.1  short command rounds and digests at that one scale (CI: proves it works)
//   --skip commands | digests     leave one part out; --rounds n (default 3)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { botNodeFlags, type CommandSummary, runCommandBench, summarise } from './commands.ts';

const arg = (n: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scaleArg = arg('scale');
const quick = scaleArg !== undefined && Number(scaleArg) < 0.25;
// BENCH_DIGEST_SCALES=0.25,0.5 picks the digest scales (default all three; --scale overrides).
const envScales = process.env.BENCH_DIGEST_SCALES?.split(',').map((x) => Number(x.trim()));
if (envScales?.some((x) => !(x > 0)))
  throw new Error(
    `BENCH_DIGEST_SCALES must be positive numbers separated by commas, e.g. 0.25,0.5,1 (got "${process.env.BENCH_DIGEST_SCALES}")`,
  );
const scales = scaleArg ? [Number(scaleArg)] : (envScales ?? [0.25, 0.5, 1]);
const skip = arg('skip');
const ADMIN = process.env.DEALROOM_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const HERE = import.meta.dirname;

const machine = () => {
  const cpu = os.cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()} ${os.release()}, load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
};

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const fs1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function digestRun(scale: number, only: 'pglite' | 'postgresql'): Promise<any> {
  return new Promise((resolve, reject) => {
    const cp = spawn(
      process.execPath,
      [...botNodeFlags(), '--import', 'tsx', path.join(HERE, 'digests.ts'), '--scale', String(scale), '--only', only],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    cp.stdout.on('data', (d) => {
      out += d;
    });
    cp.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
      if (code !== 0 || !line) return reject(new Error(`digest bench (${only}, ${scale}) failed (${code}):\n${out}`));
      resolve(JSON.parse(line.slice('BENCH_JSON '.length)));
    });
  });
}

/** Runs the statement-count test (its ceilings must hold) and reads the counts it prints. */
function statementCounts(): { backend: string; command: string; own: number; total: number }[] {
  const vitest = path.join(HERE, '../node_modules/vitest/vitest.mjs');
  const out = execFileSync(process.execPath, [vitest, 'run', 'test/integration/statement-count.test.ts'], {
    cwd: path.join(HERE, '..'),
    env: { ...process.env, SHOW_COUNTS: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 2 ** 24,
  }).toString();
  const counts = [...out.matchAll(/COUNT (pglite|postgresql) (.+): (\d+) \/ (\d+)$/gm)].map((m) => ({
    backend: m[1],
    command: m[2],
    own: Number(m[3]),
    total: Number(m[4]),
  }));
  if (!counts.length) throw new Error(`the statement-count test printed no counts:\n${out}`);
  return counts;
}

async function main() {
  const started = new Date();
  const md: string[] = [`# Bench results`, '', `Run ${started.toISOString()} on ${machine()}.`, ''];
  const json: Record<string, unknown> = { started: started.toISOString(), machine: machine() };

  if (skip !== 'commands') {
    // The statement counts are deterministic: the bench runs the test that holds them and reports them.
    console.log('SQL statements per changing command (test/integration/statement-count.test.ts) …');
    const counts = statementCounts();
    md.push(
      '## SQL statements per changing command (`test/integration/statement-count.test.ts`, run by the bench; BEGIN/COMMIT not counted)',
      '',
      '| command | PostgreSQL: command / with its platform steps | PGlite: command / with its platform steps |',
      '|---|---|---|',
      ...[...new Set(counts.map((c) => c.command))].map((cmd) => {
        const of = (b: string) => counts.find((c) => c.command === cmd && c.backend === b);
        const cell = (b: string) => (of(b) ? `${of(b)!.own} / ${of(b)!.total}` : '—');
        return `| \`${cmd}\` | ${cell('postgresql')} | ${cell('pglite')} |`;
      }),
      '',
    );
    json.statements = counts;
    const rounds = Number(arg('rounds') ?? 3);
    // Quick (CI): a 1 s burst leaves a backlog of a few hundred commands to drain per bot and round.
    const seconds = quick ? { single: 1, burst: 1 } : { single: 5, burst: 10 };
    console.log(`Command path: ${rounds} rounds, floor A / floor B / bot PostgreSQL / bot PGlite interleaved`);
    const phases = await runCommandBench({
      rounds,
      seconds,
      connections: 10,
      deals: 10_000,
      adminUrl: ADMIN,
      log: (l) => console.log(l),
    });
    const sum = summarise(phases);
    const get = (t: string, c: number) => sum.find((s) => s.target === t && s.connections === c)!;
    const row = (s: CommandSummary, ratioTo?: CommandSummary) =>
      `| ${s.target} | ${s.connections} | ${f0(s.completionsPerSec)}/s | ${ratioTo ? `${(s.completionsPerSec / ratioTo.completionsPerSec).toFixed(2)}×` : '—'} | ${f1(s.ackP50)} / ${f1(s.ackP99)} ms | ${f1(s.completionP50)} / ${f0(s.completionP99)} ms | ${f1(s.cpuMsPerCommand)} ms | ${f1(s.webApiCallsPerCommand)} | ${s.acked} | ${s.failed} |`;
    md.push(
      `## Command path (\`/deal #n log …\`, 10,000 seeded deals, ${rounds} rounds: ${seconds.single} s with 1 connection in a closed loop, ${seconds.burst} s with 10 connections as fast as acks come)`,
      '',
      '| target | connections | completed/s | vs floor B | ack p50 / p99 | completion p50 / p99 | CPU per command | Web API calls per command | acked | acked, not completed |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const c of [1, 10])
      for (const t of ['floor A', 'floor B', 'bot PostgreSQL', 'bot PGlite'])
        md.push(row(get(t, c), t.startsWith('bot') ? get('floor B', c) : undefined));
    md.push(
      '',
      'Completed: the fake Web API (its own process) received the command’s answer on its response_url, its last call. CPU: user + system time of the target process (the PostgreSQL server’s is not included; PGlite runs inside the bot). Rates are the median of the rounds; latencies are pooled over them.',
      '',
    );
    json.commands = { rounds, seconds, summary: sum, phases: phases.map(({ ackMs, completionMs, ...p }) => p) };
  }

  if (skip !== 'digests') {
    md.push(
      '## Digest mornings (one process per database, peak RSS of that process; each database migrated and seeded by a child process, then opened as the bot opens it)',
      '',
    );
    md.push(
      '| scale | database | morning | manager digests | rep nudges | whole morning | peak RSS | seeding (SQL) |',
      '|---|---|---|---|---|---|---|---|',
    );
    const digests: unknown[] = [];
    for (const scale of scales) {
      for (const only of ['postgresql', 'pglite'] as const) {
        console.log(`Digests at ${scale}× on ${only} …`);
        const r = await digestRun(scale, only);
        digests.push(r);
        for (const x of r.rows) {
          const row = `| ${scale}× | ${x.database} | ${x.morning} | ${fs1(x.digestsMs)} | ${fs1(x.nudgesMs)} | ${fs1(x.totalMs)} | ${r.peakRssMb} MB | ${fs1(r.seedMs[0].seedMs)} |`;
          md.push(row);
          console.log(row); // as it comes: a long run stopped early still leaves its figures in the log
        }
      }
    }
    md.push('');
    json.digests = digests;
  }

  const gitRev = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: HERE }).toString().trim();
    } catch {
      return 'unknown';
    }
  })();
  md.push(`Commit ${gitRev}; ${Math.round((Date.now() - started.getTime()) / 1000)} s in all.`, '');
  json.commit = gitRev;
  fs.writeFileSync(path.join(HERE, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(HERE, 'results.md'), md.join('\n'));
  console.log(`\n${md.join('\n')}\nwritten to bench/results.md and bench/results.json`);
}

// Exits once the figures are written: a pool or keep-alive timer left by a child's client kept the
// process alive about 100 s more, which only cost CI time.
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
