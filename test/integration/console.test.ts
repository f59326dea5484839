// The console platform end to end: the README's demo session through the real REPL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/app/context.ts';
import { silentLogger } from '../../src/app/logger.ts';
import { PlatformRegistry } from '../../src/app/platforms.ts';
import { ProcessCatalog } from '../../src/app/process-config.ts';
import { ConsolePlatform } from '../../src/platforms/console/console-platform.ts';
import { CONSOLE_WORKSPACE, runRepl } from '../../src/platforms/console/repl.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { TestClock } from '../support/harness.ts';

let db: TestDb;
let pictureDir: string;
beforeAll(async () => {
  db = await openTestDb('pglite');
  pictureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-console-'));
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(pictureDir, { recursive: true, force: true });
});

async function session(text: string, as = 'alice'): Promise<string> {
  const out: string[] = [];
  const clock = new TestClock(new Date('2026-11-23T02:00:00Z'));
  const store = prismaStore(db.prisma, clock);
  const platform = new ConsolePlatform({
    write: (l) => out.push(l),
    isTaken: async () => false,
    timezone: 'Asia/Shanghai',
    pictureDir,
  });
  const deps: Deps = {
    store,
    platforms: new PlatformRegistry([platform]),
    clock,
    log: silentLogger,
    defaults: { currency: 'CNY', timezone: 'Asia/Shanghai', locale: 'en' },
    processes: new ProcessCatalog(),
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
      '== History of deal #1 (13 changes, newest first) — page 1 of 1 ==',
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

  it('speaks Chinese to someone who chose it (one language per person, not per command)', async () => {
    const out = await session(
      '语言 zh\n新建 华为 | 云迁移 金额:50万 截止:2026年12月31日\n阶段 商务谈判\n阶段 准意向\n',
      'li',
    );
    expect(out).toContain('以后我会用中文和你交流');
    expect(out, out).toContain('已创建商机');
    expect(out).toContain('未推进：进入「商务谈判」需要');
    expect(out).toContain('一位决策者联系人');
    expect(out).toContain('下次客户联系日期');
    expect(out).toContain('@li moved #2 from Lead to Qualified.'); // the room speaks the workspace's language
  });
  it('pipeline prints the text, then writes the funnel PNG under the picture folder and prints its path', async () => {
    const out = await session('pipeline\n');
    expect(out).toMatch(/Pipeline — \d+ open deals/);
    const line = out.split('\n').find((l) => l.includes('🖼'));
    expect(line).toBeDefined();
    const file = line!.slice(line!.indexOf(': ') + 2).trim();
    expect(path.dirname(file)).toBe(path.resolve(pictureDir));
    expect(file).toMatch(/funnel-solution\.png$/);
    const png = fs.readFileSync(file);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1000);
    // The text reply comes first: the picture is an addition.
    expect(out.indexOf('Pipeline —')).toBeLessThan(out.indexOf('🖼'));
  });
});
