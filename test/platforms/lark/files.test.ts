// Files an admin sends the bot in their Lark chat with it, against the real SDK (webhook, encrypted
// and signed) and the fake Open API, on every database: the `file` message is stored in the inbox,
// the worker downloads it with messageResource.get (tenant token), and Lark's refusals — which the
// SDK hands over as an unread stream — become a sentence, not a retry loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileEvent, messageEvent } from '../../fakes/lark-events.ts';
import { backends } from '../../support/db.ts';
import { ALICE, BOB, bootLark } from './helpers.ts';

const BACKENDS = await backends();
const ACCOUNTS = 'name,industry\nAcme,Manufacturing\n华东制造,制造业\n';

describe.each(BACKENDS)('Lark: files sent to the bot on %s', (backend) => {
  let s: Awaited<ReturnType<typeof bootLark>>;
  let seq = 0;
  beforeAll(async () => {
    s = await bootLark('webhook', { backend });
    // Alice is the workspace's first member (its admin); Bob a rep.
    await s.deliver(messageEvent('list', { from: ALICE, chatId: 'oc_p2p_alice', chatType: 'p2p' }));
    await s.deliver(messageEvent('list', { from: BOB, chatId: 'oc_p2p_bob', chatType: 'p2p' }));
  });
  afterAll(() => s.stop());

  const dm = (openId: string) =>
    JSON.stringify(s.fake.state.messagesIn(s.fake.state.p2p(openId)?.chat_id ?? '-').at(-1)?.content ?? '');
  /** A `file` message in the person's p2p chat; the fake serves `bytes` unless they are null. */
  async function send(from: string, name: string, bytes: Buffer | null, chatType: 'p2p' | 'group' = 'p2p') {
    const messageId = `om_f${++seq}`;
    const key = `file_v3_${seq}`;
    if (bytes) s.fake.addMessageFile(messageId, key, bytes);
    return s.deliver(fileEvent({ key, name }, { from, chatId: `oc_${from}`, chatType, messageId }));
  }

  it("an admin's CSV is fetched with the tenant token and the dry run is answered in Chinese", async () => {
    expect((await send(ALICE, 'accounts.csv', Buffer.from(ACCOUNTS))).status).toBe(200);
    const call = s.fake.callsOf('messageResource.get').at(-1);
    expect(call?.path).toBe(`/open-apis/im/v1/messages/om_f${seq}/resources/file_v3_${seq}`);
    expect(call?.query.type).toBe('file');
    expect(call?.auth).toMatch(/^Bearer t-\d+-/);
    expect(dm(ALICE)).toContain('试运行：将导入 2 个客户');
    expect(dm(ALICE)).toContain('导入 确认');
    expect(await s.db.prisma.upload.count({ where: { kind: 'csv', usedAt: null } })).toBe(1);
  });

  it('import confirm (typed in the chat) imports it', async () => {
    await s.deliver(messageEvent('导入 确认', { from: ALICE, chatId: 'oc_p2p_alice', chatType: 'p2p' }));
    expect(dm(ALICE)).toContain('已导入 2 个客户');
    expect(await s.db.prisma.account.count({ where: { name: '华东制造' } })).toBe(1);
  });

  it("a file Lark will not hand over (code 234003) is a sentence naming Lark's code, not a retry", async () => {
    const uploads = await s.db.prisma.upload.count();
    await send(ALICE, 'deals.csv', null);
    expect(s.fake.callsOf('messageResource.get').at(-1)?.response).toMatchObject({
      status: 400,
      body: { code: 234003 },
    });
    expect(dm(ALICE)).toContain('无法下载「deals.csv」：聊天平台返回 234003');
    expect(await s.db.prisma.upload.count()).toBe(uploads);
    expect(await s.db.prisma.inboxEntry.count({ where: { status: 'done' } })).toBe(
      await s.db.prisma.inboxEntry.count(),
    );
  });

  it('Lark says no size: a file over the limit is cut off while downloading', async () => {
    await send(ALICE, 'processes.json', Buffer.alloc(256 * 1024 + 1, 0x20));
    expect(dm(ALICE)).toContain('「processes.json」超过 256 KB（流程文件的上限）');
  });

  it('a rep is refused, and a file in a group chat is not for the bot', async () => {
    const calls = s.fake.callsOf('messageResource.get').length;
    await send(BOB, 'accounts.csv', Buffer.from(ACCOUNTS));
    expect(dm(BOB)).toContain('只有管理员可以向机器人发送');
    const entries = await s.db.prisma.inboxEntry.count();
    await send(ALICE, 'accounts.csv', Buffer.from(ACCOUNTS), 'group');
    expect(await s.db.prisma.inboxEntry.count()).toBe(entries);
    expect(s.fake.callsOf('messageResource.get')).toHaveLength(calls);
  });
});
