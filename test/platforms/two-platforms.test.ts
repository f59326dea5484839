// Slack and Lark in one process on one database, as src/main.ts runs them: each platform's
// commands, rooms and digests stay on that platform, and a digest goes out on each.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DigestScheduler } from '../../src/jobs/digest-scheduler.ts';
import { messageEvent } from '../fakes/lark-events.ts';
import { ALICE, BOB, bootLark } from './lark/helpers.ts';
import { bootSlack } from './slack/helpers.ts';

let slack: Awaited<ReturnType<typeof bootSlack>>;
let lark: Awaited<ReturnType<typeof bootLark>>;
beforeAll(async () => {
  slack = await bootSlack();
  lark = await bootLark('ws', { db: slack.db, clock: slack.clock, join: slack.slack });
});
afterAll(async () => {
  await lark.stop();
  await slack.stop();
});

it('serves a team on each platform and sends each manager a digest on their own platform', async () => {
  await slack.slash('new Acme | ERP rollout amount:120k <@UBOB|bob>', { user: 'UALICE', trigger: 's-new' });
  await slack.slash('team <@UALICE|alice> <@UBOB|bob>', { user: 'UALICE', trigger: 's-team' });
  await slack.slack.idle();
  const p2p = { from: ALICE, chatId: 'oc_p2p_alice', chatType: 'p2p' as const };
  await lark.deliver(messageEvent('/deal new 华为 | 云迁移 amount:50万', p2p));
  await lark.deliver(
    messageEvent('/deal team @Alice @Bob', {
      ...p2p,
      mentions: [
        { openId: ALICE, name: 'Alice' },
        { openId: BOB, name: 'Bob' },
      ],
    }),
  );
  const workspaces = await slack.db.prisma.workspace.findMany({ orderBy: { platform: 'asc' } });
  expect(workspaces.map((w) => [w.platform, w.externalId])).toEqual([
    ['lark', 'tenant-acme'],
    ['slack', 'T1'],
  ]);
  expect(slack.fake.callsOf('conversations.create')).toHaveLength(1);
  expect(lark.fake.callsOf('chat.create')).toHaveLength(1);

  // One scheduler per platform, as main.ts starts them (Monday 10:00 in Shanghai: due).
  expect(lark.app.deps).toBe(slack.slack.deps); // one Deps, both platforms in its registry
  const onSlack = await new DigestScheduler({ deps: slack.slack.deps, platform: 'slack' }).tick();
  const onLark = await new DigestScheduler({ deps: slack.slack.deps, platform: 'lark' }).tick();
  expect(onSlack.sent).toBeGreaterThanOrEqual(1);
  expect(onLark.sent).toBeGreaterThanOrEqual(1);
  // (a funnel picture may follow the digest's text on Slack: the digest is the last message with blocks)
  const slackDigest = slack.fake
    .messages('UALICE')
    .filter((m) => m.blocks)
    .at(-1)!;
  expect(JSON.stringify(slackDigest.blocks)).toContain('Acme');
  expect(JSON.stringify(slackDigest.blocks)).not.toContain('华为');
  // (on Lark too: the Monday picture is an image message after the digest's card)
  const larkDigest = lark.fake.state
    .messagesIn(lark.fake.state.p2p(ALICE)!.chat_id)
    .filter((m) => m.msg_type === 'interactive')
    .at(-1)!;
  expect(JSON.stringify(larkDigest.content)).toContain('华为');
  expect(JSON.stringify(larkDigest.content)).not.toContain('Acme');
});
