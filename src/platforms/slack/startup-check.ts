// Before serving: does Slack accept our credentials? (https://docs.slack.dev/reference/methods/auth.test)
// A token Slack refuses is a configuration error: the process stops with one sentence naming the
// variable to fix, never a stack trace. Slack out of reach (no network, DNS) is not: we say so in
// the log and try again, so the bot comes up by itself once the network does.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../app/logger.ts';
import { toPlatformError } from './slack-platform.ts';

/** Slack's answers that mean "this token is wrong", not "try later". */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/** A start-up failure whose message is the whole story: main prints it and exits. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface StartupCheckOptions {
  /** First wait before trying an unreachable Slack again; doubled up to `maxDelayMs`. */
  delayMs?: number;
  maxDelayMs?: number;
  /** Attempts before giving up on an unreachable Slack (default: keep trying). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function checkSlackCredentials(
  client: WebClient,
  log: Logger,
  o: StartupCheckOptions = {},
): Promise<{ team: string; botUserId: string }> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let delay = o.delayMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await client.auth.test();
      return { team: String(r.team ?? r.team_id ?? ''), botUserId: String(r.user_id ?? '') };
    } catch (e) {
      const p = toPlatformError(e);
      if (BAD_TOKEN.has(p.platformCode))
        throw new StartupError(
          `Slack refused SLACK_BOT_TOKEN (${p.platformCode}). Set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-…) from its "OAuth & Permissions" page, and reinstall the app if it was revoked.`,
        );
      if (p.code !== 'network' && p.code !== 'rate_limited')
        throw new StartupError(`Slack did not accept SLACK_BOT_TOKEN's check (auth.test: ${p.platformCode}).`);
      if (o.attempts !== undefined && attempt >= o.attempts)
        throw new StartupError(
          `Slack could not be reached after ${attempt} attempts (${p.message}). Check the network, or SLACK_API_URL if set.`,
        );
      log.warn(
        { attempt, retryInSeconds: delay / 1000, reason: p.message },
        `Slack is unreachable (${p.message}); trying again in ${delay / 1000}s`,
      );
      await sleep(delay);
      delay = Math.min(delay * 2, o.maxDelayMs ?? 60_000);
    }
  }
}
