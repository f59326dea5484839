// Start-up checks the Slack credentials (auth.test): a refused token stops the bot with a sentence
// naming the variable and no stack trace; an unreachable Slack is retried with a clear log line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSlackCredentials, StartupError } from '../../../src/platforms/slack/startup-check.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack-api.ts';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack({ token: 'xoxb-test' });
});
afterAll(() => fake.close());

const client = (token: string, url = fake.url) =>
  new WebClient(token, {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
function recordingLog() {
  const warnings: string[] = [];
  return {
    warnings,
    log: { info() {}, debug() {}, error() {}, warn: (_o: unknown, m?: string) => warnings.push(m ?? '') },
  };
}

describe('checkSlackCredentials', () => {
  it('passes with a token Slack accepts', async () => {
    await expect(checkSlackCredentials(client('xoxb-test'), recordingLog().log)).resolves.toMatchObject({
      botUserId: expect.any(String),
    });
  });

  it('a refused token is a sentence naming SLACK_BOT_TOKEN', async () => {
    const e = await checkSlackCredentials(client('xoxb-wrong'), recordingLog().log).catch((x) => x);
    expect(e).toBeInstanceOf(StartupError);
    expect(e.message).toMatch(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)\. Set SLACK_BOT_TOKEN to/);
  });

  it('an unreachable Slack is retried, with a log line each time, until it answers', async () => {
    fake.failNext('auth.test', 'network', 2);
    const { log, warnings } = recordingLog();
    const waits: number[] = [];
    const r = await checkSlackCredentials(client('xoxb-test'), log, {
      delayMs: 1000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(r.botUserId).toBeTruthy();
    expect(waits).toEqual([1000, 2000]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^Slack is unreachable \(.+\); trying again in 1s$/);
  });

  it('gives up after the attempts allowed, saying what to check', async () => {
    const e = await checkSlackCredentials(client('xoxb-test', 'http://127.0.0.1:9/api/'), recordingLog().log, {
      attempts: 2,
      sleep: async () => {},
    }).catch((x) => x);
    expect(e).toBeInstanceOf(StartupError);
    expect(e.message).toContain('Slack could not be reached after 2 attempts');
    expect(e.message).toContain('SLACK_API_URL');
  });
});

describe('the bot process with a wrong token', () => {
  it('exits 1 with the sentence and no stack trace, before saying it is on Slack', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-startup-'));
    const root = path.resolve(import.meta.dirname, '../../..');
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: 'xoxb-wrong',
        SLACK_SIGNING_SECRET: 'x',
        SLACK_API_URL: fake.url,
        PORT: '0',
        DEALROOM_DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(code, out).toBe(1);
    expect(out).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth).');
    expect(out).not.toMatch(/^\s+at /m); // no stack trace
    expect(out).not.toContain('Dealroom on Slack');
  }, 60_000);
});
