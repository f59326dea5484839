// Bad input gets a sentence and writes nothing; retries and races never duplicate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { toBlockKit } from '../../src/platforms/slack/block-kit.ts';
import { blockErrors } from '../fakes/fake-slack-state.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('robustness on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    room = (await h.run('alice', `new Acme | ERP amount:10k ${h.mention('bob')}`)).roomId!;
    await h.run('alice', `action ${h.mention('bob')} First task`, room);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    ['unknown verb', 'frobnicate the deal', /frobnicate/],
    ['new without a title', 'new Acme', /\|/],
    ['bad date', 'set close someday', /someday/],
    ['bad amount', 'set amount lots', /lots/],
    ['unknown field', 'set colour blue', /colour/],
    ['unknown stage', 'stage banana', /banana/],
    ['gate', 'stage qualified', /expected close date/],
    ['rep override', 'stage qualified override:trust me', /Only the owner's manager/],
    ['missing action', 'done 42', /no action #42/],
    ['action without mention', 'action call the customer', /@/],
    ['unknown user id', 'action <@UNOBODY> call them', /can't find the user/],
    ['unknown plain name', 'invite @nobody', /don't know @nobody/],
    ['deal number that does not exist', '#77 info', /no deal #77/],
    ['bad contact role', 'contact Bo role:boss', /boss/],
    ['bad email', 'contact Bo email:not-an-email', /not-an-email/],
    ['lost without reason', 'lost', /reason/],
    ['already open', 'reopen', /already open/],
    ['team by a rep', `team <@UBOB> <@UCAROL>`, /Only an admin/],
  ])('%s: explains, writes nothing', async (_name, text, pattern) => {
    const before = await h.counts();
    const posts = h.platform.calls.length;
    const speaker = _name === 'team by a rep' || _name === 'rep override' ? 'bob' : 'alice';
    const r = await h.run(speaker, text, room);
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(pattern);
    expect(r.text).not.toMatch(/at .*\.ts:\d+|Error:/); // a sentence, never a stack trace
    expect(await h.counts()).toEqual(before);
    expect(h.platform.calls.length).toBe(posts);
  });

  it('two deliveries of one command racing create one deal and one room', async () => {
    const before = await h.counts();
    const text = 'new Initech | Racing';
    const [a, b] = await Promise.all([
      h.run('alice', text, undefined, 'race-1'),
      h.run('alice', text, undefined, 'race-1'),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const after = await h.counts();
    expect(after.deals).toBe(before.deals + 1);
    expect(h.platform.of('createRoom').filter((c) => c.name === 'deal-initech-racing')).toHaveLength(1);
  });

  it('a retried delivery of any changing command changes nothing twice', async () => {
    const first = await h.run('alice', `action ${h.mention('bob')} Once only`, room, 'retry-act');
    expect(first.ok).toBe(true);
    const before = await h.counts();
    const posts = h.platform.calls.length;
    const again = await h.run('alice', `action ${h.mention('bob')} Once only`, room, 'retry-act');
    expect(again.text).not.toContain('already handled'); // the first delivery's own answer
    expect(again.text).toMatch(/Action #\d+ added to deal #1/);
    expect(await h.counts()).toEqual(before);
    expect(h.platform.calls.length).toBe(posts);
    const [x, y] = await Promise.all([
      h.run('alice', 'log Racing touch', room, 'retry-log'),
      h.run('alice', 'log Racing touch', room, 'retry-log'),
    ]);
    expect([x.ok, y.ok]).toEqual([true, true]);
    expect(await h.prisma.dealEvent.count({ where: { type: 'contact_logged' } })).toBe(1);
  });

  it('housekeeping forgets receipts older than a week, and only those', async () => {
    const { housekeeping } = await import('../../src/app/rooms.ts');
    const total = await h.prisma.requestReceipt.count();
    expect(total).toBeGreaterThan(0);
    await housekeeping(h.deps, 86_400_000, async () => null);
    expect(await h.prisma.requestReceipt.count()).toBe(total);
    h.clock.advance(8 * 86_400_000);
    await housekeeping(h.deps, 86_400_000, async () => null);
    expect(await h.prisma.requestReceipt.count()).toBe(0);
    h.clock.advance(-8 * 86_400_000);
  });

  it("a deal with 1,000 actions lists 15 and says how many more, within Slack's limits", async () => {
    const big = await h.run('alice', 'new Globex | Thousand actions');
    const deal = await h.prisma.deal.findFirstOrThrow({ where: { number: big.dealNumber } });
    const bob = await h.prisma.member.findFirstOrThrow({ where: { externalId: 'UBOB' } });
    await h.prisma.actionItem.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        dealId: deal.id,
        number: i + 1,
        text: `Step ${i + 1} ${'&'.repeat(150)}`,
        assigneeId: bob.id,
        createdAt: h.clock.now(),
      })),
    });
    const r = await h.run('alice', `#${big.dealNumber} actions`);
    expect(r.ok).toBe(true);
    expect(r.text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(15);
    expect(r.text).toMatch(/…and 985 more$/);
    const kit = toBlockKit(r.message!);
    expect(blockErrors(kit.blocks, 50)).toEqual([]);
    expect(JSON.stringify(kit.blocks)).toContain('…and 985 more');
  });

  it('a team too large for one message shows 40 lines and says how many more', async () => {
    const ws = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: 'T1' } });
    await h.prisma.member.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        workspaceId: ws.id,
        externalId: `UBULK${i}`,
        name: `bulk${i}`,
        createdAt: h.clock.now(),
      })),
    });
    const r = await h.run('alice', 'team'); // alice is the workspace's admin: she sees everyone
    expect(r.ok).toBe(true);
    const members = await h.prisma.member.count({ where: { workspaceId: ws.id } });
    expect(r.text.split('\n').filter((l) => l.trim().startsWith('• '))).toHaveLength(40);
    expect(r.text).toContain(`…and ${members - 40} more`);
    expect(blockErrors(toBlockKit(r.message!).blocks, 50)).toEqual([]);
  });

  it('concurrent actions on one deal get distinct numbers', async () => {
    const rs = await Promise.all(
      [1, 2, 3, 4].map((i) => h.run('alice', `action ${h.mention('bob')} Parallel ${i}`, room)),
    );
    expect(rs.every((r) => r.ok)).toBe(true);
    const nums = (await h.prisma.actionItem.findMany({ where: { text: { startsWith: 'Parallel' } } }))
      .map((a) => a.number)
      .sort();
    expect(new Set(nums).size).toBe(4);
  });

  it('a failed room creation keeps the deal and tells the user; the outbox creates the room later', async () => {
    h.platform.failNext('createRoom', 'rate_limited', 'ratelimited');
    const r = await h.run('alice', 'new Umbrella | Pilot', undefined, 'umb-1');
    expect(r.ok).toBe(true);
    expect(r.text).toContain("couldn't create its room");
    expect(r.text).toContain('keep trying');
    const deal = await h.prisma.deal.findFirstOrThrow({ where: { title: 'Pilot' } });
    expect(deal.roomId).toBeNull();
    const retry = await h.run('alice', 'new Umbrella | Pilot', undefined, 'umb-1');
    expect(retry.ok).toBe(true);
    expect(await h.prisma.deal.count({ where: { title: 'Pilot' } })).toBe(1);
    h.clock.advance(2_000); // past the backoff
    await new OutboxWorker({ deps: h.deps }).tick();
    const linked = await h.prisma.deal.findFirstOrThrow({ where: { title: 'Pilot' } });
    expect(linked.roomId).toMatch(/^C/);
    expect(h.platform.of('pin').at(-1)).toMatchObject({ roomId: linked.roomId, messageId: linked.cardRef });
    h.clock.advance(-2_000);
  });
});
