// Finding deals: closed ones, one rep's, one account's, an owner column, `find` over accounts,
// titles and contacts — always only among the deals the reader may see — and a warning on a twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const deals = (text: string) => [...text.matchAll(/^• #(\d+) /gm)].map((m) => Number(m[1]));

describe.each(BACKENDS)('finding deals on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    const ok = async (user: string, text: string, room?: string) => {
      const r = await h.run(user, text, room);
      expect(r.ok, `${text}: ${r.text}`).toBe(true);
      return r;
    };
    await ok('alice', 'help'); // alice is the first member: admin
    await ok('alice', `team ${h.mention('mgr')} ${h.mention('bob')}`);
    const acme = (await ok('bob', 'new Acme | ERP rollout')).roomId!; // #1
    await ok('bob', 'contact "Wang Li" role:champion', acme);
    const globex = (await ok('bob', 'new Globex | CRM')).roomId!; // #2
    await ok('bob', 'won', globex);
    const initech = (await ok('carol', 'new Initech | Printers')).roomId!; // #3
    await ok('carol', 'lost price', initech);
    await ok('alice', `new Acme | Data lake ${h.mention('wang')}`); // #4
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    ['alice', 'list', [1, 4]],
    ['alice', 'list won', [2]],
    ['alice', 'list lost', [3]],
    ['alice', 'list closed', [2, 3]],
    ['alice', 'list all', [1, 2, 3, 4]],
    ['alice', 'list account:acme', [1, 4]],
    ['alice', 'list closed account:Globex', [2]],
    ['mgr', `list @bob`, [1]],
    ['mgr', `list all @bob`, [1, 2]],
    ['mgr', 'list all', [1, 2]], // bob's deals: his manager sees them; carol's and alice's not
    ['carol', 'list all', [3]],
    ['carol', 'list @bob', []],
    ['wang', '列表 全部', [4]], // wang is only in the room of #4
    ['wang', '列表 全部 客户:acme', [4]],
    ['alice', 'find acme', [1, 4]],
    ['alice', 'find crm', [2]],
    ['alice', 'find wang li', [1, 4]], // a contact of the Acme account
    ['bob', 'find acme', [1]], // #4 is not bob's to see
    ['carol', 'find acme', []],
    ['wang', '查找 ACME', [4]],
  ] as [string, string, number[]][])('%s: %s → %j', async (user, command, expected) => {
    const r = await h.run(user, command.replace('@bob', h.mention('bob')));
    expect(r.ok, r.text).toBe(true);
    expect(deals(r.text)).toEqual(expected);
  });

  it('each line names the owner; closed deals and contact matches say so', async () => {
    const list = (await h.run('alice', 'list all')).text;
    expect(list).toMatch(/^• #1 Acme — ERP rollout · Lead · .* · @UBOB$/m);
    expect(list).toMatch(/^• #4 Acme — Data lake · .* · @UALICE$/m);
    const found = (await h.run('alice', 'find globex')).text;
    expect(found).toContain('Deals matching “globex” (1):');
    expect(found).toMatch(/#2 Globex — CRM .* @UBOB · Won/);
    expect((await h.run('alice', 'find Wang')).text).toContain('contact Wang Li');
    expect((await h.run('wang', '查找 wang')).text).toContain('联系人 Wang Li');
    expect((await h.run('wang', '列表 全部')).text).toContain('全部商机，含进行中和已关闭（1）：');
  });

  it.each([
    ['alice', 'list lost account:acme', 'No deals you can see match that.'],
    ['carol', 'find acme', 'Nothing matches “acme”'],
    ['wang', '查找 不存在', '都没有“不存在”'],
    ['wang', '列表 输单 客户:acme', '你能看到的商机中没有符合条件的。'],
  ])('%s: %s says nothing matched', async (user, command, sentence) => {
    expect((await h.run(user, command)).text).toContain(sentence);
  });

  it('`find` with nothing to look for is refused with an example', async () => {
    const r = await h.run('alice', 'find');
    expect(r.ok).toBe(false);
    expect(r.text).toContain('find Acme');
  });

  it.each([
    ['alice', 'new Acme | erp rollout', 'Note: deal #1 for Acme — ERP rollout is already open.'],
    ['wang', '新建 acme | ERP Rollout', '提示：客户 Acme 已有进行中的商机 #1 — ERP rollout。'],
  ])('%s: a twin of an open deal is created, with a warning', async (user, command, warning) => {
    const before = await h.prisma.deal.count();
    const r = await h.run(user, command);
    expect(r.ok).toBe(true);
    expect(r.text).toContain(warning);
    expect(await h.prisma.deal.count()).toBe(before + 1);
  });

  it('no warning when the same title is open for another account, or only closed', async () => {
    expect((await h.run('alice', 'new Initech | ERP rollout')).text).not.toContain('already open');
    expect((await h.run('alice', 'new Globex | CRM')).text).not.toContain('already open');
  });
});
