// The Bolt app: HTTP (POST /slack/events, GET /healthz) or Socket Mode, listeners grouped by kind.
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Deps } from '../../app/context.ts';
import type { Logger } from '../../app/logger.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { registerActions } from './listeners/actions.ts';
import { registerCommands } from './listeners/commands.ts';
import { registerEvents } from './listeners/events.ts';
import { registerViews } from './listeners/views.ts';
import { SlackPlatform } from './slack-platform.ts';

export interface SlackAppOptions {
  botToken: string;
  signingSecret?: string;
  appToken?: string; // Socket Mode when set
  apiUrl?: string; // e.g. an enterprise proxy, or a test fake
  port?: number;
  host?: string;
  store: Store;
  clock: Clock;
  log: Logger;
  defaults: Deps['defaults'];
  maxRetryWaitMs?: number;
}

export function createSlackApp(o: SlackAppOptions) {
  // Our own policy handles rate limits (src/platforms/slack/slack-platform.ts), so the WebClient
  // must not sit on a call for minutes: no built-in retries, and 429s come back as errors.
  const clientOptions = {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
  const boltLogLevel = LogLevel.ERROR;
  const receiver = o.appToken
    ? new SocketModeReceiver({
        appToken: o.appToken,
        logLevel: boltLogLevel,
        installerOptions: { clientOptions } as any,
        customRoutes: [],
      })
    : new HTTPReceiver({
        signingSecret: o.signingSecret!,
        endpoints: '/slack/events',
        logLevel: boltLogLevel,
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (_req, res) => {
              res.writeHead(200, { 'content-type': 'application/json' });
              res.end('{"ok":true}');
            },
          },
        ],
      });
  const app = new App({ token: o.botToken, receiver, logLevel: boltLogLevel, clientOptions });
  const platform = new SlackPlatform({ client: app.client, log: o.log, maxRetryWaitMs: o.maxRetryWaitMs });
  const deps: Deps = { store: o.store, platform, clock: o.clock, log: o.log, defaults: o.defaults };
  // Listeners go on working after their ack (https://api.slack.com/interactivity/handling#acknowledgment_response).
  // Track each one to its end, so a stop and a test can wait for the work in flight instead of guessing.
  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  /** Resolves once every listener started so far (and any they led to) has finished. */
  const idle = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  app.error(async (e) => {
    o.log.error({ err: e }, 'slack listener error');
  });
  return {
    app,
    platform,
    deps,
    start: async () => (o.appToken ? app.start() : app.start({ port: o.port ?? 3000, host: o.host })),
    idle,
    stop: () => app.stop(),
  };
}
