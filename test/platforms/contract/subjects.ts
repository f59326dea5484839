// The adapters the contract suite runs against, each over what stands in for its platform:
// Slack over the fake Web API, Lark over the fake Open API (real SDKs, real HTTP), the console,
// and the recording fake the use-case tests use. Each says how to make its platform fail and how
// to look at what the platform now holds.
import * as lark from '@larksuiteoapi/node-sdk';
import { WebClient } from '@slack/web-api';
import { silentLogger } from '../../../src/app/logger.ts';
import type { ChatPlatform, WorkspaceRef } from '../../../src/app/ports.ts';
import { ConsolePlatform } from '../../../src/platforms/console/console-platform.ts';
import { LarkPlatform } from '../../../src/platforms/lark/lark-platform.ts';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.ts';
import { startFakeLark } from '../../fakes/fake-lark-api.ts';
import { startFakeSlack } from '../../fakes/fake-slack-api.ts';
import { RecordingPlatform } from '../../fakes/recording-platform.ts';

export type Op = 'createRoom' | 'post';

export interface Subject {
  platform: ChatPlatform;
  ws: WorkspaceRef;
  /** two people the platform knows */
  users: [string, string];
  /** the waits the adapter slept through (short rate limits are waited out once) */
  waits: number[];
  rateLimitNext(op: Op, seconds: number): void;
  denyNext(op: Op): void;
  /** deletes a message behind the adapter's back; false where the platform has no such thing */
  deleteMessage(roomId: string, messageId: string): Promise<boolean>;
  /** who is in a room, as the platform sees it (bot excluded) */
  members(roomId: string): string[];
  /** whether the platform shows `text` in a room's (or a person's DM's) messages */
  shows(where: { roomId?: string; userId?: string }, text: string): boolean;
  close(): Promise<void>;
}

const sleeper = (waits: number[]) => async (ms: number) => {
  waits.push(ms);
};

async function slack(): Promise<Subject> {
  const fake = await startFakeSlack({ token: 'xoxb-contract' });
  for (const id of ['UANN', 'UBEN']) fake.addUser({ id, name: id.toLowerCase() });
  const client = new WebClient('xoxb-contract', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const waits: number[] = [];
  const method = { createRoom: 'conversations.create', post: 'chat.postMessage' } as const;
  return {
    platform: new SlackPlatform({ client, log: silentLogger, maxRetryWaitMs: 5000, sleep: sleeper(waits) }),
    ws: { platform: 'slack', externalId: 'T1' },
    users: ['UANN', 'UBEN'],
    waits,
    rateLimitNext: (op, seconds) => fake.failNext(method[op], { status: 429, retryAfter: seconds }),
    denyNext: (op) => fake.failNext(method[op], 'missing_scope'),
    deleteMessage: async (roomId, ts) => Boolean(await client.chat.delete({ channel: roomId, ts })),
    members: (roomId) => [...(fake.channel(roomId)?.members ?? [])].filter((u) => u !== fake.botUserId).sort(),
    shows: (w, text) => fake.messages(w.roomId ?? w.userId!).some((m) => JSON.stringify(m).includes(text)),
    close: () => fake.close(),
  };
}

async function larkSubject(): Promise<Subject> {
  const fake = await startFakeLark();
  for (const id of ['ou_ann', 'ou_ben']) fake.state.addUser({ open_id: id, name: id.slice(3) });
  const client = new lark.Client({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.base,
    cache: new lark.DefaultCache(),
    logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
  });
  const waits: number[] = [];
  const route = { createRoom: 'chat.create', post: 'message.create' } as const;
  return {
    platform: new LarkPlatform({ client, log: silentLogger, maxRetryWaitMs: 5000, sleep: sleeper(waits) }),
    ws: { platform: 'lark', externalId: fake.tenantKey },
    users: ['ou_ann', 'ou_ben'],
    waits,
    rateLimitNext: (op, seconds) => fake.failNext(route[op], { rateLimit: seconds }),
    denyNext: (op) =>
      fake.failNext(route[op], { code: 99991672, msg: 'Access denied. One of the following scopes is required' }),
    deleteMessage: async (_roomId, id) => {
      const m = fake.state.messages.get(id);
      if (m) m.deleted = true;
      return Boolean(m);
    },
    members: (roomId) => [...(fake.state.chats.get(roomId)?.members ?? [])].filter((u) => u !== fake.botOpenId).sort(),
    shows: (w, text) => {
      const chat = w.roomId ?? fake.state.p2p(w.userId!)?.chat_id;
      return Boolean(chat && fake.state.messagesIn(chat).some((m) => JSON.stringify(m.content).includes(text)));
    },
    close: () => fake.close(),
  };
}

async function consoleSubject(): Promise<Subject> {
  const lines: string[] = [];
  const members = new Map<string, Set<string>>();
  const platform = new ConsolePlatform({ write: (l) => lines.push(l), isTaken: async () => false, verboseCards: true });
  return {
    platform,
    ws: { platform: 'console', externalId: 'local' },
    users: ['ann', 'ben'],
    waits: [],
    rateLimitNext: () => {},
    denyNext: () => {},
    deleteMessage: async () => false,
    members: (roomId) => {
      // The console keeps no member list: read what it printed.
      for (const l of lines) {
        const m = /^\[#(\S+)\] invited (.*)$/.exec(l);
        if (m && m[1] === roomId)
          for (const u of m[2].split(', '))
            (members.get(roomId) ?? members.set(roomId, new Set()).get(roomId)!).add(u.slice(1));
      }
      return [...(members.get(roomId) ?? [])].sort();
    },
    shows: (w, text) =>
      lines.some(
        (l) => (w.roomId ? l.startsWith(`[#${w.roomId}]`) : l.startsWith(`[DM → @${w.userId}]`)) && l.includes(text),
      ),
    close: async () => {},
  };
}

async function recording(): Promise<Subject> {
  const platform = new RecordingPlatform();
  for (const id of ['UANN', 'UBEN']) platform.addUser({ externalId: id });
  return {
    platform,
    ws: { platform: 'slack', externalId: 'T1' },
    users: ['UANN', 'UBEN'],
    waits: [],
    rateLimitNext: (op, seconds) =>
      platform.failNext(op, 'rate_limited', 'ratelimited', { retryAfterSeconds: seconds }),
    denyNext: (op) => platform.failNext(op, 'missing_scope'),
    deleteMessage: async (_roomId, id) => {
      platform.deleted.add(id);
      return true;
    },
    members: (roomId) =>
      [
        ...new Set(
          platform
            .of('invite')
            .filter((c) => c.roomId === roomId)
            .flatMap((c) => c.userIds ?? []),
        ),
      ].sort(),
    shows: (w, text) =>
      platform.calls.some(
        (c) =>
          (w.roomId ? c.roomId === w.roomId : c.op === 'dm' && c.userId === w.userId) &&
          JSON.stringify(c.message ?? '').includes(text),
      ),
    close: async () => {},
  };
}

/** What each platform can do to the app: fail at all (the console cannot), and wait out a short
 * rate limit itself (the real adapters; the recording fake reports every failure). */
export interface Traits {
  canFail: boolean;
  retriesShortRateLimit: boolean;
}
export const SUBJECTS: [string, () => Promise<Subject>, Traits][] = [
  ['slack', slack, { canFail: true, retriesShortRateLimit: true }],
  ['lark', larkSubject, { canFail: true, retriesShortRateLimit: true }],
  ['console', consoleSubject, { canFail: false, retriesShortRateLimit: false }],
  ['recording', recording, { canFail: true, retriesShortRateLimit: false }],
];
