// The Lark/Feishu bot: the SDK's Client (./lark-platform.ts), one EventDispatcher for messages and
// card clicks, delivered over the long connection (WSClient, no public URL needed) or by webhook
// (./webhook.ts). A message or a click becomes the same command as on every platform, written to
// the durable inbox (src/app/inbox.ts) before Lark is told "received". The SDK neither checks the
// verification token nor de-duplicates, so both happen here: the token in ./envelope.ts,
// re-deliveries by event_id (the inbox row's key `lark:event:<event_id>`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Deps } from '../../app/context.ts';
import { checkHealth } from '../../app/health.ts';
import { type Inbound, InboxPool, receive } from '../../app/inbox.ts';
import type { Logger } from '../../app/logger.ts';
import type { WorkspaceRef } from '../../app/ports.ts';
import { larkPlain } from './card.ts';
import { openEnvelope } from './envelope.ts';
import { commandFromCardAction, commandFromMessage, type LarkMention, messageText, sharedFileOf } from './inbound.ts';
import { LarkPlatform } from './lark-platform.ts';
import { BOT_MENU } from './scopes.ts';
import { larkWebhookHandler } from './webhook.ts';

export interface LarkAppOptions {
  appId: string;
  appSecret: string;
  /** 'feishu', 'lark', or a base URL (private deployments, the tests' fake) */
  domain: string;
  mode: 'ws' | 'webhook';
  verificationToken?: string;
  encryptKey?: string;
  port?: number;
  host?: string;
  /** The process's one set of dependencies: the Lark platform is registered in `deps.platforms`
   * beside the others, so jobs and the outbox reach it by the workspace's platform. */
  deps: Deps;
  /** The process's inbox pool when another platform started one (one pool serves every platform);
   * a pool of its own otherwise. */
  inbox?: InboxPool;
  /** Inbound commands processed at once (a pool of its own only). */
  concurrency?: number;
  leaseMs?: number;
  maxRetryWaitMs?: number;
  /** How long a card click waits for its command's result before answering (Lark waits 3 s). */
  cardAnswerBudgetMs?: number;
}

/** The SDK's domain option: its enums for the two clouds, the base URL verbatim otherwise. */
export const larkDomain = (d: string) =>
  d === 'feishu' ? lark.Domain.Feishu : d === 'lark' ? lark.Domain.Lark : d.replace(/\/+$/, '');

/** The SDK logs every failed call at error level; we map and report them ourselves. */
const sdkLogger = (log: Logger) => ({
  error: (...m: unknown[]) => log.debug({ sdk: m.map(String).join(' ') }, 'lark sdk'),
  warn: (...m: unknown[]) => log.debug({ sdk: m.map(String).join(' ') }, 'lark sdk'),
  info: () => {},
  debug: () => {},
  trace: () => {},
});

interface MessageEvent {
  event_id?: string;
  tenant_key?: string;
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: {
    message_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: LarkMention[];
  };
}
interface MenuEvent {
  event_id?: string;
  tenant_key?: string;
  event_key?: string;
  operator?: { operator_id?: { open_id?: string } };
}
interface CardEvent {
  event_id?: string;
  tenant_key?: string;
  operator?: { open_id?: string };
  action?: { value?: unknown; option?: unknown };
  context?: { open_chat_id?: string };
}

/** Checks the token (both modes) before the SDK dispatches; the WSClient calls this too. */
class CheckedDispatcher extends lark.EventDispatcher {
  constructor(private readonly checks: { encryptKey?: string; verificationToken?: string; log: Logger }) {
    super({
      encryptKey: checks.encryptKey,
      verificationToken: checks.verificationToken,
      logger: sdkLogger(checks.log),
    });
  }
  override async invoke(data: unknown, params?: { needCheck?: boolean }) {
    const checked = openEnvelope(data, this.checks);
    if (!checked.ok) {
      this.checks.log.warn({ reason: checked.reason }, 'lark event refused');
      return undefined;
    }
    return super.invoke(data, params);
  }
}

export function createLarkApp(o: LarkAppOptions) {
  const { deps } = o;
  const log = deps.log;
  const client = new lark.Client({
    appId: o.appId,
    appSecret: o.appSecret,
    domain: larkDomain(o.domain),
    cache: new lark.DefaultCache(), // the default cache is module-global: one per app
    logger: sdkLogger(log),
    loggerLevel: lark.LoggerLevel.warn,
  });
  const platform = new LarkPlatform({
    client,
    log,
    clock: deps.clock,
    maxRetryWaitMs: o.maxRetryWaitMs,
    render: { applink: o.domain === 'lark' ? 'https://applink.larksuite.com' : 'https://applink.feishu.cn' },
  });
  deps.platforms.register(platform);
  const ownInbox = !o.inbox;
  const inbox = o.inbox ?? new InboxPool({ deps, concurrency: o.concurrency, leaseMs: o.leaseMs });
  let draining = false;

  /** Writes the command to the durable inbox BEFORE Lark hears "received": if the write fails, the
   * handler throws, the webhook answers 500 (the long connection: code 500) and Lark delivers the
   * event again (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case).
   * A re-delivered event_id is dropped here: its row exists. */
  const accept = async (cmd: Inbound): Promise<boolean> => {
    if (draining) throw new Error('stopping; Lark will deliver this again');
    const fresh = await receive(deps, cmd);
    if (fresh) inbox.wake();
    return fresh;
  };
  const workspaceOf = (tenant: string | undefined): WorkspaceRef => ({ platform: 'lark', externalId: tenant ?? '' });

  const onMessage = async (d: MessageEvent) => {
    const userId = d.sender?.sender_id?.open_id;
    const m = d.message;
    // Only people: the bot's own posts and other apps never drive commands (no loops).
    if (!userId || d.sender?.sender_type !== 'user' || !m || !d.event_id) return {};
    // A file in the person's chat with the bot: kept in the inbox, downloaded by the worker
    // (src/app/use-cases/uploads.ts). https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content#file
    const file = m.chat_type === 'p2p' ? sharedFileOf(m.message_type, m.message_id, m.content) : null;
    if (file) {
      const requestKey = `lark:event:${d.event_id}`;
      await accept({ kind: 'file', ws: workspaceOf(d.tenant_key), userId, requestKey, files: [file] });
      return {};
    }
    const text = messageText(m.message_type, m.content);
    if (text === null) return {};
    const command = commandFromMessage(text, m.mentions ?? [], await platform.botId(), m.chat_type ?? 'group');
    if (command === null) return {};
    // Lark has no private reply inside a group: `respond` without a handle answers by DM, in the
    // person's chat with the bot.
    await accept({
      inv: {
        ws: workspaceOf(d.tenant_key),
        userId,
        roomId: m.chat_type === 'group' ? m.chat_id : undefined,
        text: command,
        requestKey: `lark:event:${d.event_id}`,
      },
      answer: { via: 'respond' },
    });
    return {};
  };

  // A bot menu item is a command typed in the p2p chat. https://open.feishu.cn/document/server-docs/application-v6/bot/events/menu
  const onMenu = async (d: MenuEvent) => {
    const userId = d.operator?.operator_id?.open_id;
    const command = d.event_key ? BOT_MENU[d.event_key] : undefined;
    if (!userId || !command || !d.event_id) return {};
    await accept({
      inv: { ws: workspaceOf(d.tenant_key), userId, text: command, requestKey: `lark:event:${d.event_id}` },
      answer: { via: 'respond' },
    });
    return {};
  };

  // A click is answered with a toast: Lark waits 3 s for a callback's answer
  // (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication).
  // The command goes through the inbox like typed text; the answer waits for its result up to the
  // budget. A slower one answers "…" and finishes after; a refusal then comes by DM (`form`).
  const onCardAction = async (d: CardEvent) => {
    const userId = d.operator?.open_id;
    const command = commandFromCardAction(d.action?.value, d.action?.option);
    if (!userId || !command || !d.event_id) return {};
    const requestKey = `lark:event:${d.event_id}`;
    const budget = o.cardAnswerBudgetMs ?? 2500; // 0: answer at once, never wait
    const waiting = budget > 0 ? inbox.awaitReply(requestKey, budget) : { reply: Promise.resolve(null), cancel() {} };
    let fresh: boolean;
    try {
      fresh = await accept({
        inv: { ws: workspaceOf(d.tenant_key), userId, roomId: d.context?.open_chat_id, text: command, requestKey },
        answer: { via: 'form' },
      });
    } catch (e) {
      waiting.cancel();
      throw e;
    }
    if (!fresh) {
      waiting.cancel(); // a re-delivery: the first one is answered
      return { toast: { type: 'info', content: '…' } };
    }
    const reply = await waiting.reply;
    if (!reply) return { toast: { type: 'info', content: '…' } };
    const content = reply.message ? larkPlain(reply.message.text, 200) : '✓';
    return { toast: { type: reply.ok ? 'success' : 'error', content } };
  };

  const dispatcher = new CheckedDispatcher({
    encryptKey: o.encryptKey,
    verificationToken: o.verificationToken,
    log,
  }).register<{
    'card.action.trigger': (d: CardEvent) => Promise<unknown>;
    'application.bot.menu_v6': (d: MenuEvent) => Promise<unknown>;
  }>({
    'im.message.receive_v1': (d) => onMessage(d as MessageEvent),
    'application.bot.menu_v6': onMenu,
    'card.action.trigger': onCardAction,
  });

  let ws: lark.WSClient | undefined;
  let server: http.Server | undefined;
  return {
    client,
    platform,
    deps,
    inbox,
    dispatcher,
    /** Resolves when every command received so far is processed (tests, graceful shutdown). */
    idle: () => inbox.idle(),
    /** Connects (ws) or listens (webhook); returns the webhook's base URL in webhook mode. */
    async start(): Promise<string | undefined> {
      if (ownInbox) inbox.start();
      await platform.botId().catch((e) => log.warn({ err: e }, 'lark bot info unavailable; will retry'));
      if (o.mode === 'ws') {
        ws = new lark.WSClient({
          appId: o.appId,
          appSecret: o.appSecret,
          domain: larkDomain(o.domain),
          logger: sdkLogger(log),
          loggerLevel: lark.LoggerLevel.warn,
        });
        await ws.start({ eventDispatcher: dispatcher });
        return undefined;
      }
      if (!o.encryptKey || !o.verificationToken)
        throw new Error(
          'Lark webhook mode needs LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN: without the key nothing proves a request came from Lark.',
        );
      const handler = larkWebhookHandler({
        dispatcher,
        encryptKey: o.encryptKey,
        verificationToken: o.verificationToken,
        log,
        health: () => checkHealth(deps),
      });
      server = http.createServer((req, res) => {
        // Stopping (a deploy): 503, and Lark delivers the event again later.
        if (!draining) return handler(req, res);
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5', connection: 'close' });
        res.end('stopping; retry shortly');
      });
      await new Promise<void>((r) => server!.listen(o.port ?? 3000, o.host, r));
      return `http://${o.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
    },
    /** Takes nothing new (the connection closes; the webhook answers 503), finishes the commands in
     * progress (a pool of its own), then closes. */
    async stop() {
      draining = true;
      ws?.close({ force: true });
      if (ownInbox) await inbox.stop();
      if (server) {
        const s = server;
        await new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        });
      }
    },
  };
}
