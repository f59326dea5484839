// `history`: the log as people read it — card field names, formatted values, the reader's
// language, newest first, and every change reachable a page at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('history on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    room = (await h.run('alice', `new Acme | ERP amount:120k ${h.mention('wang')}`)).roomId!;
    for (const c of [
      'set amount 0',
      'set close 2026-12-31',
      'set next-contact 2026-12-01',
      'set competitor Oracle',
      'set account Acme Corp',
      'set industry Retail',
    ])
      expect((await h.run('alice', c, room)).ok, c).toBe(true);
  });
  afterAll(async () => {
    await db.destroy();
  });

  const fieldLines: [string, string, string[]][] = [
    [
      'alice',
      'en',
      [
        'amount: $120,000 → $0',
        'expected close date: — → Thu 2026-12-31',
        'next contact: — → Tue 2026-12-01',
        'competitors: — → Oracle',
        'account name: Acme → Acme Corp',
        'industry: — → Retail',
        'added wang (member)',
      ],
    ],
    [
      'wang',
      'zh',
      [
        '金额：US$120,000 → US$0',
        '预计成交日期：— → 2026-12-31（周四）',
        '下次联系：— → 2026-12-01（周二）',
        '竞争对手：— → Oracle',
        '客户名称：Acme → Acme Corp',
        '行业：— → Retail',
        '加入了 wang（成员）',
      ],
    ],
  ];
  it.each(fieldLines)('shows field names and values as the card does, for %s (%s)', async (user, _lang, expected) => {
    const text = (await h.run(user, 'history', room)).text;
    for (const line of expected) expect(text).toContain(line);
    for (const internal of ['closeDate', 'nextContactOn', 'account.name', '{', '[]', '"amount"'])
      expect(text).not.toContain(internal);
  });

  it('lists the newest change first', async () => {
    const lines = (await h.run('alice', 'history', room)).text.split('\n');
    const industry = lines.findIndex((l) => l.includes('industry'));
    const created = lines.findIndex((l) => l.includes('created the deal'));
    expect(industry).toBeGreaterThan(-1);
    expect(industry).toBeLessThan(created);
  });

  it('pages a long history: page 1 says how many pages, the last page has the oldest change', async () => {
    for (let i = 0; i < 20; i++) expect((await h.run('alice', `log call ${i}`, room)).ok).toBe(true);
    const events = await h.prisma.dealEvent.count();
    const first = (await h.run('alice', 'history', room)).text;
    expect(first).toContain(`(${events} changes, newest first) — page 1 of 2`);
    expect(first).toContain('call 19');
    expect(first).not.toContain('created the deal');
    expect(first).toContain(`${events - 20} older changes: #1 history 2`);
    const second = (await h.run('alice', 'history 2', room)).text;
    expect(second).toContain('page 2 of 2');
    expect(second).toContain('created the deal Acme — ERP');
    expect(second).not.toContain('call 19');
    const zh = (await h.run('wang', '历史 2', room)).text;
    expect(zh).toContain('第 2/2 页');
    expect(zh).toContain('创建了商机');
  });

  it.each([
    ['alice', 'history 3', 'has 2 page(s) of history, so there is no page 3'],
    ['wang', '历史 3', '历史共 2 页，没有第 3 页'],
    ['alice', 'history two', "“two” isn't a page number"],
    ['wang', '历史 二', '“二”不是页码'],
  ])('%s: %s is refused with a sentence and writes nothing', async (user, command, sentence) => {
    const before = await h.counts();
    const r = await h.run(user, command, room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain(sentence);
    expect(await h.counts()).toEqual(before);
  });
});
