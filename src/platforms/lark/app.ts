// The Lark/Feishu bot: the SDK's Client (./lark-platform.ts), one EventDispatcher for messages and
// card clicks, delivered over the long connection (WSClient, no public URL needed) or by webhook
// (./webhook.ts). A message or a click becomes the same command as on every platform
// (handleCommand); the SDK neither checks the verification token nor de-duplicates, so both
// happen here: the token in ./envelope.ts, re-deliveries by event_id (in memory, and durably through
// the request key every changing command records).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Deps } from '../../app/context.ts';
import { handleCommand } from '../../app/dispatch.ts';
import type { Logger } from '../../app/logger.ts';
import type { Clock, Store, WorkspaceRef } from '../../app/ports.ts';
import { toLarkPlain } from './card.ts';
import { openEnvelope } from './envelope.ts';
import { commandFromCardAction, commandFromMessage, type LarkMention, messageText, RecentIds } from './inbound.ts';
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
  store: Store;
  clock: Clock;
  log: Logger;
  defaults: Deps['defaults'];
  maxRetryWaitMs?: number;
  /** How long a card click may work before its answer (Lark waits 3 s); the rest finishes after. */
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
  message?: { chat_id?: string; chat_type?: string; message_type?: string; content?: string; mentions?: LarkMention[] };
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
  const client = new lark.Client({
    appId: o.appId,
    appSecret: o.appSecret,
    domain: larkDomain(o.domain),
    cache: new lark.DefaultCache(), // the default cache is module-global: one per app
    logger: sdkLogger(o.log),
    loggerLevel: lark.LoggerLevel.warn,
  });
  const platform = new LarkPlatform({ client, log: o.log, maxRetryWaitMs: o.maxRetryWaitMs });
  const deps: Deps = { store: o.store, platform, clock: o.clock, log: o.log, defaults: o.defaults };
  const seen = new RecentIds();
  const inflight = new Set<Promise<void>>();
  /** Work after the answer: Lark wants one within 3 s and re-delivers otherwise. */
  const later = (what: string, fn: () => Promise<void>) => {
    const p = fn()
      .catch((e) => o.log.error({ err: e }, `lark ${what} failed`))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const onMessage = async (d: MessageEvent) => {
    const userId = d.sender?.sender_id?.open_id;
    const m = d.message;
    // Only people: the bot's own posts and other apps never drive commands (no loops).
    if (!userId || d.sender?.sender_type !== 'user' || !m || !d.event_id) return {};
    const text = messageText(m.message_type, m.content);
    if (text === null || !seen.add(d.event_id)) return {};
    later('message', async () => {
      const command = commandFromMessage(text, m.mentions ?? [], await platform.botId(), m.chat_type ?? 'group');
      if (command === null) return;
      const ws: WorkspaceRef = { platform: 'lark', externalId: d.tenant_key ?? '' };
      const reply = await handleCommand(deps, {
        ws,
        userId,
        roomId: m.chat_type === 'group' ? m.chat_id : undefined,
        text: command,
        requestKey: `lark:event:${d.event_id}`,
      });
      // Lark has no private reply inside a group: answers go to the person's chat with the bot.
      if (reply.message) await platform.dm(ws, userId, reply.message);
    });
    return {};
  };

  // A bot menu item is a command typed in the p2p chat. https://open.feishu.cn/document/server-docs/application-v6/bot/events/menu
  const onMenu = async (d: MenuEvent) => {
    const userId = d.operator?.operator_id?.open_id;
    const command = d.event_key ? BOT_MENU[d.event_key] : undefined;
    if (!userId || !command || !d.event_id || !seen.add(d.event_id)) return {};
    later('menu', async () => {
      const ws: WorkspaceRef = { platform: 'lark', externalId: d.tenant_key ?? '' };
      const reply = await handleCommand(deps, { ws, userId, text: command, requestKey: `lark:event:${d.event_id}` });
      if (reply.message) await platform.dm(ws, userId, reply.message);
    });
    return {};
  };

  const onCardAction = async (d: CardEvent) => {
    const userId = d.operator?.open_id;
    const command = commandFromCardAction(d.action?.value, d.action?.option);
    if (!userId || !command || !d.event_id) return {};
    if (!seen.add(d.event_id)) return {};
    // The click's answer is a toast, so the command runs before answering when it can: Lark waits
    // 3 s for a callback's answer (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication).
    // A slower one (a rate-limited post, say) answers "…" and finishes after; a refusal then comes by DM.
    const ws: WorkspaceRef = { platform: 'lark', externalId: d.tenant_key ?? '' };
    const work = handleCommand(deps, {
      ws,
      userId,
      roomId: d.context?.open_chat_id,
      text: command,
      requestKey: `lark:event:${d.event_id}`,
    });
    let timer: NodeJS.Timeout | undefined;
    const reply = await Promise.race([
      work,
      new Promise<null>((r) => {
        timer = setTimeout(() => r(null), o.cardAnswerBudgetMs ?? 2500);
      }),
    ]);
    clearTimeout(timer);
    if (!reply) {
      later('card click', async () => {
        const late = await work;
        if (!late.ok && late.message) await platform.dm(ws, userId, late.message);
      });
      return { toast: { type: 'info', content: '…' } };
    }
    const content = reply.message ? toLarkPlain(reply.message.text, 200) : '✓';
    return { toast: { type: reply.ok ? 'success' : 'error', content } };
  };

  const dispatcher = new CheckedDispatcher({
    encryptKey: o.encryptKey,
    verificationToken: o.verificationToken,
    log: o.log,
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
    dispatcher,
    /** Resolves when the work of every delivery so far is done (tests, graceful shutdown). */
    idle: async () => {
      while (inflight.size) await Promise.all([...inflight]);
    },
    /** Connects (ws) or listens (webhook); returns the webhook's base URL in webhook mode. */
    async start(): Promise<string | undefined> {
      await platform.botId().catch((e) => o.log.warn({ err: e }, 'lark bot info unavailable; will retry'));
      if (o.mode === 'ws') {
        ws = new lark.WSClient({
          appId: o.appId,
          appSecret: o.appSecret,
          domain: larkDomain(o.domain),
          logger: sdkLogger(o.log),
          loggerLevel: lark.LoggerLevel.warn,
        });
        await ws.start({ eventDispatcher: dispatcher });
        return undefined;
      }
      if (!o.encryptKey || !o.verificationToken)
        throw new Error(
          'Lark webhook mode needs LARK_ENCRYPT_KEY and LARK_VERIFICATION_TOKEN: without the key nothing proves a request came from Lark.',
        );
      server = http.createServer(
        larkWebhookHandler({
          dispatcher,
          encryptKey: o.encryptKey,
          verificationToken: o.verificationToken,
          log: o.log,
        }),
      );
      await new Promise<void>((r) => server!.listen(o.port ?? 3000, o.host, r));
      return `http://${o.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
    },
    async stop() {
      ws?.close({ force: true });
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
