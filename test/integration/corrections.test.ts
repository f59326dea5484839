// Fixing mistakes without corrupting the record: edit, reassign and cancel actions; set owner;
// remove people from the deal and its platform room; a re-entered stage does not repeat its
// playbook. Every correction is in history; every refusal writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const PLAYBOOK = 'Map the decision chain: who decides, who champions, who blocks';

describe.each(BACKENDS)('corrections on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  const ok = async (user: string, text: string) => {
    const r = await h.run(user, text, room);
    expect(r.ok, `${text}: ${r.text}`).toBe(true);
    return r;
  };
  const action = (n: number) => h.prisma.actionItem.findFirstOrThrow({ where: { number: n } });
  const history = async (user = 'alice') => (await h.run(user, 'history', room)).text;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    room = (await h.run('alice', `new Acme | ERP amount:120k close:2026-12-31 ${h.mention('wang')}`)).roomId!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('re-entering a stage does not create its playbook actions again while they exist', async () => {
    await ok('alice', 'stage qualified');
    await ok('alice', 'stage lead');
    await ok('alice', 'stage qualified');
    expect(await h.prisma.actionItem.count({ where: { text: PLAYBOOK } })).toBe(1);
  });

  it('edit changes an action’s text and due date, and history shows before and after', async () => {
    await ok('alice', `action ${h.mention('alice')} Send deck due:2026-12-01`); // #2
    await ok('alice', 'edit 2 Send the revised deck due:2026-12-04');
    expect(await action(2)).toMatchObject({ text: 'Send the revised deck', status: 'open' });
    expect((await action(2)).dueOn!.toISOString().slice(0, 10)).toBe('2026-12-04');
    await ok('alice', 'edit 2 due:2026-12-05'); // only the date
    expect((await action(2)).text).toBe('Send the revised deck');
    expect(await history()).toContain(
      'changed action #2: Send the revised deck (Fri 2026-12-04) → Send the revised deck (Sat 2026-12-05)',
    );
    expect(await history('wang')).toContain('修改了待办 #2：Send deck（2026-12-01（周二）） → Send the revised deck');
  });

  it('reassign gives an action to someone else, who joins the room', async () => {
    const invites = h.platform.of('invite').length;
    await ok('alice', `reassign 2 ${h.mention('bob')}`);
    const bob = await h.prisma.member.findFirstOrThrow({ where: { name: 'bob' } });
    expect((await action(2)).assigneeId).toBe(bob.id);
    expect(
      h.platform
        .of('invite')
        .slice(invites)
        .map((c) => c.userIds),
    ).toEqual([['UBOB']]);
    expect(await history()).toContain('gave action #2 to bob (was alice)');
  });

  it('cancel keeps the action, hides it from open lists, and undo brings it back', async () => {
    await ok('wang', '取消 2');
    expect((await action(2)).status).toBe('cancelled');
    expect((await h.run('bob', 'actions mine')).text).not.toContain('Send the revised deck');
    expect((await h.run('alice', 'info', room)).text).not.toContain('Send the revised deck');
    expect((await h.run('alice', 'actions', room)).text).toContain('✕ #2 Send the revised deck');
    expect(await history()).toContain('cancelled action #2: Send the revised deck');
    expect(await history('wang')).toContain('取消了待办 #2：Send the revised deck');
    await ok('alice', 'undo 2');
    expect((await action(2)).status).toBe('open');
    await ok('alice', 'cancel 2');
  });

  it('a cancelled playbook action may come again when the stage is re-entered', async () => {
    await ok('alice', 'cancel 1');
    await ok('alice', 'stage lead');
    await ok('alice', 'stage qualified');
    expect(await h.prisma.actionItem.count({ where: { text: PLAYBOOK } })).toBe(2);
  });

  it('set owner hands the deal over; the new owner joins the room', async () => {
    await ok('alice', `set owner ${h.mention('carol')}`);
    const carol = await h.prisma.member.findFirstOrThrow({ where: { name: 'carol' } });
    expect((await h.prisma.deal.findFirstOrThrow()).ownerId).toBe(carol.id);
    expect(await h.prisma.dealMember.count({ where: { memberId: carol.id } })).toBe(1);
    expect(await history()).toContain('changed owner: alice → carol');
    expect(await history('wang')).toContain('修改了 负责人：alice → carol');
  });

  it('remove takes a person out of the deal and of the platform room', async () => {
    const bob = await h.prisma.member.findFirstOrThrow({ where: { name: 'bob' } });
    await ok('carol', `remove ${h.mention('bob')}`);
    expect(await h.prisma.dealMember.count({ where: { memberId: bob.id } })).toBe(0);
    expect(h.platform.of('removeFromRoom').at(-1)).toMatchObject({ roomId: room, userIds: ['UBOB'] });
    expect(await history()).toContain('removed bob from the room');
    expect(await history('wang')).toContain('把 bob 移出了房间');
  });

  it.each([
    ['alice', 'edit 9 text', 'Deal #1 has no action #9.'],
    ['alice', 'edit 2 x', 'Action #2 is cancelled. undo 2 brings it back first.'],
    ['alice', 'done 2', 'Action #2 is cancelled.'],
    ['alice', 'cancel 2', 'Action #2 is already cancelled.'],
    ['wang', '取消 2', '待办 #2 已经取消。'],
    ['alice', 'edit 2', 'edit'],
    ['alice', `remove ${'<@UCAROL|carol>'}`, '@UCAROL owns this deal, so they stay in the room.'],
    ['alice', `remove ${'<@UDAVE|dave>'}`, 'Nobody you named is in the room of deal #1'],
    ['wang', `set owner ${'<@UWANG|wang>'}`, '只有商机 #1 的负责人、其经理或管理员可以更换负责人'],
    ['wang', `移除 ${'<@UALICE|alice>'}`, '只有商机 #1 的负责人、其经理或管理员可以'],
    ['alice', `set owner ${'<@UCAROL|carol>'}`, '@UCAROL already owns deal #1.'],
  ])('%s: %s is refused and writes nothing', async (user, command, sentence) => {
    const before = await h.counts();
    const r = await h.run(user, command, room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain(sentence);
    expect(await h.counts()).toEqual(before);
  });
});
