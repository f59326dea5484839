// Configuration from the environment, read once and checked with zod. Errors name the variable.
import { z } from 'zod';

const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DEALROOM_DATA_DIR: z.string().min(1).default('./data'),
  DEALROOM_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO code such as USD or CNY')
    .default('USD'),
  DEALROOM_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai')
    .optional(),
  DEALROOM_LOCALE: z.enum(['en', 'zh']).default('en'),
  DEALROOM_PROCESS_FILE: z.string().min(1).optional(),
  DEALROOM_ARCHIVE_AFTER_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 90)
    .default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: z.string().url().optional(),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const r = Env.safeParse(blankAsUnset);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(
      `Configuration error:\n${lines.join('\n')}\nFix the variable(s) above (see README: Configuration).`,
    );
  }
  const e = r.data;
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new Error(
      'Configuration error:\n  SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode).',
    );
  }
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgresql' as const, url: e.DATABASE_URL }
      : { kind: 'pglite' as const, dataDir: e.DEALROOM_DATA_DIR },
    defaults: {
      currency: e.DEALROOM_CURRENCY,
      timezone: e.DEALROOM_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
      locale: e.DEALROOM_LOCALE,
    },
    /** Local files of this process (the embedded database, console pictures). */
    dataDir: e.DEALROOM_DATA_DIR,
    archiveAfterMs: e.DEALROOM_ARCHIVE_AFTER_HOURS * 3600_000,
    processFile: e.DEALROOM_PROCESS_FILE ?? null,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
        }
      : null,
  };
}
