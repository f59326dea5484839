// The console platform end to end: the README's demo session through the real REPL.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/app/context.ts';
import { silentLogger } from '../../src/app/logger.ts';
import { ConsolePlatform } from '../../src/platforms/console/console-platform.ts';
import { CONSOLE_WORKSPACE, runRepl } from '../../src/platforms/console/repl.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { TestClock } from '../support/harness.ts';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb('pglite');
});
afterAll(async () => {
  await db.destroy();
});

async function session(text: string, as = 'alice'): Promise<string> {
  const out: string[] = [];
  const clock = new TestClock(new Date('2026-11-23T02:00:00Z'));
  const store = prismaStore(db.prisma, clock);
  const platform = new ConsolePlatform({
    write: (l) => out.push(l),
    isTaken: async () => false,
    timezone: 'Asia/Shanghai',
  });
  const deps: Deps = {
    store,
    platform,
    clock,
    log: silentLogger,
    defaults: { currency: 'CNY', timezone: 'Asia/Shanghai', locale: 'en' },
  };
  const ws = async () => store.repos.findWorkspace('console', CONSOLE_WORKSPACE.externalId);
  await runRepl(deps, {
    input: Readable.from([text]),
    write: (l) => out.push(l),
    as,
    interactive: false,
    findRoom: async (n) => {
      const w = await ws();
      return (w && (await store.repos.findDealByNumber(w.id, n)))?.roomId ?? null;
    },
    listRooms: async () => {
      const w = await ws();
      return w
        ? (await store.repos.listDeals(w.id, {})).map((d) => ({ number: d.number, roomId: d.roomId!, title: d.title }))
        : [];
    },
  });
  return out.join('\n');
}

describe('console', () => {
  it('walks the demo session: room, invite, contact, blocked then passed gate, action, done, log, info, history', async () => {
    const out = await session(fs.readFileSync('examples/demo-session.txt', 'utf8'));
    const expected = [
      '[#deal-acme-erp-rollout] room created — #1 Acme — ERP rollout',
      '[#deal-acme-erp-rollout] invited @alice, @bob',
      '(you are in #deal-acme-erp-rollout)',
      '@alice invited @carol (presales).',
      '@alice added contact Wang Li (CFO, decision-maker).',
      'Not moved: Qualified needs',
      '@alice moved #1 from Lead to Qualified.',
      '@alice moved #1 from Qualified to Proposal.',
      '@alice assigned #3 to @bob: Prepare the demo (due Fri 2026-11-27)',
      '[DM → @bob]',
      '@bob completed #3: Prepare the demo',
      '@alice logged a customer contact: Called Wang Li, demo agreed — next contact Thu 2026-11-26',
      'Decision-maker: Wang Li (CFO)',
      '== History of deal #1 (13 changes) ==',
    ];
    let at = 0;
    for (const line of expected) {
      const i = out.indexOf(line, at);
      expect(i, `missing in order: ${line}`).toBeGreaterThanOrEqual(at);
      at = i;
    }
    expect(out).toContain('Amount: CN¥120,000'); // workspace default currency
  });

  it('switches rooms and users, and survives nonsense', async () => {
    const out = await session(':room #1\nfrobnicate\n:as zed\ninfo\n:room #99\n:rooms\n:room\ninfo\n');
    expect(out).toContain('(you are in #deal-acme-erp-rollout)');
    expect(out).toMatch(/“frobnicate”|frobnicate/);
    expect(out).toContain("You're not in the room of deal #1");
    expect(out).toContain('No room for "#99"');
    expect(out).toContain('#1  #deal-acme-erp-rollout  ERP rollout');
    expect(out).toContain('Which deal?');
  });

  it('speaks Chinese when spoken to in Chinese', async () => {
    const out = await session('新建 华为 | 云迁移 金额:50万 截止:2026年12月31日\n阶段 商务谈判\n阶段 准意向\n', 'li');
    expect(out, out).toContain('已创建商机');
    expect(out).toContain('未推进：进入「商务谈判」需要');
    expect(out).toContain('一位决策者联系人');
    expect(out).toContain('下次客户联系日期');
    expect(out).toContain('@li moved #2 from Lead to Qualified.'); // the room speaks the workspace's language
  });
});
