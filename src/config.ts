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
  // Lark/Feishu: https://open.feishu.cn/app -> your app -> Credentials / Events & Callbacks
  LARK_APP_ID: z
    .string()
    .regex(/^cli_[0-9a-f]{16}$/i, 'must be an App ID such as cli_a1b2c3d4e5f60718')
    .optional(),
  LARK_APP_SECRET: z.string().min(1).optional(),
  LARK_MODE: z.enum(['ws', 'webhook']).default('ws'),
  LARK_VERIFICATION_TOKEN: z.string().min(1).optional(),
  LARK_ENCRYPT_KEY: z.string().min(1).optional(),
  LARK_DOMAIN: z
    .string()
    .refine(
      (d) => d === 'feishu' || d === 'lark' || /^https?:\/\/[^\s]+$/.test(d),
      'must be feishu, lark, or a base URL',
    )
    .default('feishu'),
  LARK_PORT: z.coerce.number().int().min(0).max(65535).optional(),
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
  const larkProblem = !e.LARK_APP_ID
    ? e.LARK_APP_SECRET && 'LARK_APP_ID: required with LARK_APP_SECRET.'
    : !e.LARK_APP_SECRET
      ? 'LARK_APP_SECRET: required with LARK_APP_ID.'
      : e.LARK_MODE === 'webhook' && !e.LARK_ENCRYPT_KEY
        ? 'LARK_ENCRYPT_KEY: required in webhook mode (LARK_MODE=webhook): without it nothing proves a request came from Lark. Set the Encrypt Key of Events & Callbacks, or use LARK_MODE=ws.'
        : e.LARK_MODE === 'webhook' && !e.LARK_VERIFICATION_TOKEN
          ? 'LARK_VERIFICATION_TOKEN: required in webhook mode (LARK_MODE=webhook).'
          : undefined;
  if (larkProblem) throw new Error(`Configuration error:\n  ${larkProblem}`);
  const slackHttp = Boolean(e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN);
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
    lark: e.LARK_APP_ID
      ? {
          appId: e.LARK_APP_ID,
          appSecret: e.LARK_APP_SECRET!,
          mode: e.LARK_MODE,
          verificationToken: e.LARK_VERIFICATION_TOKEN,
          encryptKey: e.LARK_ENCRYPT_KEY,
          domain: e.LARK_DOMAIN,
          // Slack's HTTP receiver has PORT; a Lark webhook beside it takes the next one.
          port: e.LARK_PORT ?? (slackHttp ? e.PORT + 1 : e.PORT),
        }
      : null,
  };
}
