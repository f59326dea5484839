// Platform differences are declared capabilities, not rules in use cases: the same commands on a
// platform that can unarchive (Lark renames, the console) keep the deal's room; on one that cannot
// (Slack's bot tokens) a reopened deal gets a fresh room; without archiving nothing is archived.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiveClosedRooms } from '../../src/app/rooms.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const DAY = 86_400_000;

describe.each(BACKENDS)('platform capabilities on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let n = 0;
  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(() => db.destroy());
  beforeEach(() => {
    h = harness(db, { team: `T${++n}` });
  });
  const ws = (externalId: string) => async () => ({ platform: 'slack' as const, externalId });

  /** A deal whose room was archived after it was lost; returns its room. */
  async function archivedDeal(team: string) {
    const room = (await h.run('alice', 'new Acme | Pilot')).roomId!;
    await h.run('alice', 'lost no budget', room);
    h.clock.advance(2 * DAY);
    await archiveClosedRooms(h.deps, h.platform, DAY, ws(team));
    return room;
  }

  it('cannot unarchive (Slack): reopen creates a fresh room and links it in history', async () => {
    const room = await archivedDeal(`T${n}`);
    expect(h.platform.of('archiveRoom')).toMatchObject([{ roomId: room }]);
    expect((await h.run('alice', `#1 reopen`)).ok).toBe(true);
    const deal = await h.prisma.deal.findFirstOrThrow({ where: { workspace: { externalId: `T${n}` } } });
    expect(deal.roomId).not.toBe(room);
    expect(deal.roomArchivedAt).toBeNull();
    expect(h.platform.of('createRoom')).toHaveLength(2);
    expect(h.platform.of('unarchiveRoom')).toEqual([]);
  });

  it('can unarchive: reopen brings the same room back before posting in it', async () => {
    h.platform.capabilities = { ...h.platform.capabilities, unarchive: true };
    const room = await archivedDeal(`T${n}`);
    const posts = h.platform.of('post').length;
    expect((await h.run('alice', `#1 reopen`)).ok).toBe(true);
    const deal = await h.prisma.deal.findFirstOrThrow({ where: { workspace: { externalId: `T${n}` } } });
    expect(deal).toMatchObject({ roomId: room, roomArchivedAt: null });
    expect(h.platform.of('createRoom')).toHaveLength(1);
    expect(h.platform.of('unarchiveRoom')).toMatchObject([{ roomId: room }]);
    const order = h.platform.calls.map((c) => c.op);
    expect(order.lastIndexOf('unarchiveRoom')).toBeLessThan(order.lastIndexOf('post'));
    expect(h.platform.of('post').length).toBeGreaterThan(posts); // the reopening is announced in the room
  });

  it('does not archive: the closing post promises nothing, housekeeping leaves the room alone', async () => {
    h.platform.capabilities = { ...h.platform.capabilities, archive: false };
    const room = (await h.run('alice', 'new Acme | Pilot')).roomId!;
    await h.run('alice', 'won', room);
    const summary = h.platform.of('post').at(-1)!.message!.text;
    expect(JSON.stringify(summary)).not.toContain('archived');
    h.clock.advance(2 * DAY);
    expect(await archiveClosedRooms(h.deps, h.platform, DAY, ws(`T${n}`))).toBe(1); // done with, not archived
    expect(h.platform.of('archiveRoom')).toEqual([]);
    expect(await archiveClosedRooms(h.deps, h.platform, DAY, ws(`T${n}`))).toBe(0); // and not tried again
    expect((await h.run('alice', '#1 reopen')).ok).toBe(true); // the same room serves the deal again
    const deal = await h.prisma.deal.findFirstOrThrow({ where: { workspace: { externalId: `T${n}` } } });
    expect(deal).toMatchObject({ roomId: room, roomArchivedAt: null });
    expect(h.platform.of('createRoom')).toHaveLength(1);
    expect(h.platform.of('unarchiveRoom')).toEqual([]);
  });

  it('archives (Slack): the closing post says the room will be archived', async () => {
    const room = (await h.run('alice', 'new Acme | Pilot')).roomId!;
    await h.run('alice', 'won', room);
    expect(JSON.stringify(h.platform.of('post').at(-1)!.message!.text)).toContain('will be archived');
  });

  it("marks closed (Lark): the closing post says the group will be marked closed, in the room's language; `room` says reopen takes the mark off", async () => {
    h.platform.capabilities = { ...h.platform.capabilities, archive: 'mark', unarchive: true };
    const room = (await h.run('alice', 'new Acme | Pilot')).roomId!;
    await h.run('alice', 'won', room);
    const en = JSON.stringify(h.platform.of('post').at(-1)!.message!.text);
    expect(en).toContain('will be marked closed (🔒 before its name)');
    expect(en).not.toContain('archived');
    await h.prisma.workspace.updateMany({ where: { externalId: `T${n}` }, data: { locale: 'zh' } });
    await h.run('alice', '#1 reopen', room);
    await h.run('alice', 'lost no budget', room);
    const zh = JSON.stringify(h.platform.of('post').at(-1)!.message!.text);
    expect(zh).toContain('标记为已关闭（群名前加 🔒）');
    expect(zh).not.toContain('归档');
    h.clock.advance(2 * DAY);
    await archiveClosedRooms(h.deps, h.platform, DAY, ws(`T${n}`));
    const r = await h.run('alice', '#1 room');
    expect(r.ok).toBe(false);
    expect(r.text).toContain('takes the mark off');
  });
});
