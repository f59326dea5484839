// The Bolt app: HTTP (POST /slack/events, GET /healthz) or Socket Mode, listeners grouped by kind.

import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Deps } from '../../app/context.ts';
import { checkHealth } from '../../app/health.ts';
import { InboxPool } from '../../app/inbox.ts';
import type { Logger } from '../../app/logger.ts';
import { PlatformRegistry } from '../../app/platforms.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { ProcessCatalog } from '../../app/process-config.ts';
import { registerActions } from './listeners/actions.ts';
import { registerCommands } from './listeners/commands.ts';
import { registerEvents } from './listeners/events.ts';
import { registerFiles } from './listeners/files.ts';
import { registerViews } from './listeners/views.ts';
import { guardHttpReceiver } from './request-guard.ts';
import { SlackPlatform, toPlatformError } from './slack-platform.ts';
import { checkSlackCredentials, type StartupCheckOptions, StartupError } from './startup-check.ts';

const SLACK_EVENTS_PATH = '/slack/events';

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
  /** Each workspace's processes (default: the shipped ones for workspaces that loaded none). */
  processes?: ProcessCatalog;
  maxRetryWaitMs?: number;
  /** Inbound commands processed at once (the inbox pool's size). */
  concurrency?: number;
  /** How long a command being processed is reserved for this process. */
  leaseMs?: number;
  /** The process's platform registry; the Slack platform is added to it (a fresh one when absent). */
  platforms?: PlatformRegistry;
  /** How start() waits for an unreachable Slack (src/platforms/slack/startup-check.ts). */
  startupCheck?: StartupCheckOptions;
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
        endpoints: SLACK_EVENTS_PATH,
        logLevel: boltLogLevel,
        // A listener that throws after its ack: logged; before it: 400 rather than a 500 Slack retries.
        processEventErrorHandler: async ({ error, response }) => {
          o.log.error({ err: error }, 'slack event failed');
          if (!response.headersSent) {
            response.writeHead(400);
            response.end();
          }
          return false;
        },
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            // Database reachable and queues moving, else 503 (src/app/health.ts).
            handler: (_req, res) => {
              void checkHealth(deps).then((h) => {
                res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
                res.end(JSON.stringify(h));
              });
            },
          },
        ],
      });
  if (receiver instanceof HTTPReceiver)
    guardHttpReceiver(receiver, { signingSecret: o.signingSecret!, endpoints: [SLACK_EVENTS_PATH], log: o.log });
  // Stopping (a deploy): new deliveries get 503 and Slack retries them (https://api.slack.com/apis/events-api#retries),
  // to a replica that is up or to this bot once restarted; an ack here would promise work nobody does.
  let draining = false;
  if (receiver instanceof HTTPReceiver) {
    const serve = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      if (!draining) return serve(req, res);
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5', connection: 'close' });
      res.end('stopping; retry shortly');
    };
  }
  const app = new App({ token: o.botToken, receiver, logLevel: boltLogLevel, clientOptions });
  const platform = new SlackPlatform({
    client: app.client,
    log: o.log,
    maxRetryWaitMs: o.maxRetryWaitMs,
    clock: o.clock,
  });
  const platforms = (o.platforms ?? new PlatformRegistry()).register(platform);
  const deps: Deps = {
    store: o.store,
    platforms,
    clock: o.clock,
    log: o.log,
    defaults: o.defaults,
    processes: o.processes ?? new ProcessCatalog(),
  };
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
    await inbox.idle();
  };
  const inbox = new InboxPool({ deps, concurrency: o.concurrency, leaseMs: o.leaseMs });
  registerCommands(app, deps, inbox);
  registerActions(app, deps, inbox);
  registerViews(app, deps, inbox);
  registerEvents(app, deps);
  registerFiles(app, deps, inbox);
  app.error(async (e) => {
    o.log.error({ err: e }, 'slack listener error');
  });
  return {
    app,
    platform,
    deps,
    inbox,
    /** Checks the credentials first (a refused token stops here with a sentence naming the variable). */
    start: async () => {
      await checkSlackCredentials(app.client, o.log, o.startupCheck);
      inbox.start();
      if (!o.appToken) return app.start({ port: o.port ?? 3000, host: o.host });
      // Socket Mode opens its connection with the app-level token (apps.connections.open).
      return app.start().catch((e) => {
        const code = toPlatformError(e).platformCode;
        if (code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked')
          throw new StartupError(
            `Slack refused SLACK_APP_TOKEN (${code}). Set SLACK_APP_TOKEN to an app-level token (xapp-…) with the connections:write scope, from the app's "Basic Information" page.`,
          );
        throw e;
      });
    },
    idle,
    /** Refuses new deliveries, finishes the commands in progress, then closes the receiver. */
    stop: async () => {
      draining = true;
      // Socket Mode: close the socket first, so Slack sends new envelopes elsewhere (or again later).
      if (o.appToken) await app.stop();
      await inbox.stop();
      if (!o.appToken) await app.stop();
    },
  };
}
