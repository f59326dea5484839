// The real bot as a separate process, started exactly as the README says (`npm start` with the
// Slack variables), against a fake Slack Web API in this test process. For crash and shutdown runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface BotOptions {
  apiUrl: string;
  port: number;
  /** PostgreSQL URL; the embedded database in `dataDir` otherwise. */
  databaseUrl?: string;
  dataDir: string;
  env?: Record<string, string>;
  /** Start node itself (what `npm start` execs), so a SIGKILL hits the bot, not npm. */
  direct?: boolean;
}

export interface Bot {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves once /healthz answers 200. */
  ready(timeoutMs?: number): Promise<void>;
}

export const SIGNING_SECRET = 'stress-signing-secret';

export function startBot(o: BotOptions): Bot {
  const env = {
    ...process.env,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: o.apiUrl,
    PORT: String(o.port),
    DEALROOM_DATA_DIR: o.dataDir,
    DATABASE_URL: o.databaseUrl ?? '',
    DEALROOM_TIMEZONE: 'Asia/Shanghai',
    LOG_LEVEL: 'info',
    ...o.env,
  };
  // `npm start`, as a user runs it: the signal goes to npm, which must pass it on to node.
  const proc = o.direct
    ? spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${o.port}`;
  return {
    proc,
    url,
    output: () => out,
    exited,
    async ready(timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`bot exited (${proc.exitCode}):\n${out}`);
        const ok = await fetch(`${url}/healthz`)
          .then((r) => r.status === 200)
          .catch(() => false);
        if (ok) return;
        if (Date.now() > end) throw new Error(`bot not ready after ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
