// The small wording faults of issue 12, each with the sentence it should have been.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/platforms/console/render-text.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('wording on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  const lastPost = () => textOf(h.platform.of('post').at(-1)!.message!.text);
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    room = (await h.run('alice', `new Acme | ERP amount:120k close:2026-12-31 ${h.mention('wang')}`)).roomId!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    ['alice', 'pipeline', 'Pipeline — 1 open deal\n'],
    ['wang', '漏斗', '销售漏斗 — 1 个进行中商机'],
    ['alice', `team ${'<@UMGR|mgr>'} ${'<@UDAVE|dave>'}`, 'dave now reports to mgr.'],
    ['alice', `team ${'<@UMGR|mgr>'} ${'<@UDAVE|dave>'} ${'<@UERIN|erin>'}`, 'dave, erin now report to mgr.'],
    ['alice', 'stage proposal', 'name the deal by number: #12 stage (see list)'],
    ['alice', 'history', 'name the deal by number: #12 history'],
    ['wang', '历史', '用编号指定：#12 history'],
  ])('%s: %s', async (user, command, sentence) => {
    expect((await h.run(user, command)).text).toContain(sentence);
  });

  it.each([
    ['alice', 'digest time 25:00', "“25:00” isn't a time of day. Write hours 00–23 and minutes 00–59"],
    ['wang', '摘要 时间 12:75', '“12:75”不是有效的时间。'],
    ['alice', 'set competitor -Nobody', 'Nobody is not among the competitors (—); nothing was changed.'],
    ['wang', '设置 竞争对手 -Nobody', '竞争对手中没有 Nobody（现有：—），没有任何修改。'],
  ])('%s: %s is refused, says why, writes nothing', async (user, command, sentence) => {
    const before = await h.counts();
    const r = await h.run(user, command, room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain(sentence);
    expect(await h.counts()).toEqual(before);
  });

  it('adding a competitor twice records nothing the second time', async () => {
    expect((await h.run('alice', 'set competitor Oracle', room)).ok).toBe(true);
    const before = await h.counts();
    expect((await h.run('alice', 'set competitor oracle', room)).text).toContain(
      'oracle is already a competitor; nothing was changed.',
    );
    expect(await h.counts()).toEqual(before);
  });

  it.each([
    ['alice', '#1 set close 2026-01-05', 'Note: 2026-01-05 is already in the past. I saved it anyway.'],
    ['wang', 'new 华为 | 云 成交:2026-01-05', '提示：2026-01-05 已经过去了，仍已按此保存。'],
  ])('a past close date warns and saves: %s %s', async (user, command, warning) => {
    const r = await h.run(user, command);
    expect(r.ok).toBe(true);
    expect(r.text).toContain(warning);
  });

  it('industry, region and address are shown by info', async () => {
    for (const c of ['set industry Retail', 'set region East China', 'set address 1 Main St'])
      expect((await h.run('alice', c, room)).ok).toBe(true);
    expect((await h.run('alice', '#1 info')).text).toContain(
      'Account: industry: Retail · region: East China · address: 1 Main St',
    );
    expect((await h.run('wang', '#1 info')).text).toContain(
      '客户信息：行业：Retail · 区域：East China · 地址：1 Main St',
    );
  });

  it('won: the note ends its sentence, and the count of open actions agrees with its noun', async () => {
    await h.run('alice', 'stage qualified', room); // its playbook leaves one open action
    await h.run('alice', 'won Signed 3-year contract', room);
    expect(lastPost()).toMatch(/Signed 3-year contract\. 1 open action remains\./);
    await h.prisma.workspace.updateMany({ data: { locale: 'zh' } });
    const zhRoom = (await h.run('alice', 'new 华为 | 云迁移 amount:1 close:2026-12-31')).roomId!;
    await h.run('alice', 'won 签下三年合同。', zhRoom);
    expect(lastPost()).toContain('签下三年合同。');
    expect(lastPost()).not.toContain('。。');
  });
});
