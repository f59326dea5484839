// One language per person, decided in one place (personLocale): their own `lang` setting, else
// their chat profile, else the workspace — never the characters of one command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/platforms/console/render-text.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('language on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    // Like the console's users: no locale in the profile, so the workspace's (English) applies.
    h.platform.addUser({ externalId: 'UNOLOC', name: 'noloc', timezone: 'Asia/Shanghai' });
    room = (await h.run('alice', `new Acme | ERP amount:120k close:2026-12-31 ${h.mention('wang')}`)).roomId!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    ['alice', '#1 contact 王丽 role:influencer', 'Contact 王丽 saved on deal #1.'],
    ['alice', '#1 log 和王丽通话', 'Customer contact logged on deal #1.'],
    ['wang', '#1 contact Jane role:champion', '联系人 Jane 已保存到商机 #1'],
    ['wang', '#1 history', '商机 #1 的历史'],
    ['noloc', 'new 华为 | ERP', 'Deal #2 华为 — ERP created.'],
    ['noloc', '#2 contact 王丽 role:influencer', 'Contact 王丽 saved on deal #2.'],
  ])('%s: %s → answered in their own language', async (user, command, sentence) => {
    // Outside the room: the private answer is the reply (in the room, the room post answers).
    const r = await h.run(user, command);
    expect(r.text).toContain(sentence);
  });

  it('a Chinese reader gets Chinese dates and money even where the room speaks English', async () => {
    const date = (await h.run('wang', '#1 set close 2026-12-31')).text;
    expect(date).toContain('2026-12-31（周四）');
    expect(date).not.toContain('Thu');
    const room = textOf(h.platform.of('post').at(-1)!.message!.text);
    expect(room).toContain('Thu 2026-12-31'); // the room's own language
  });

  it('a blocked gate in Chinese shows Chinese fixes', async () => {
    const r = await h.run('wang', '阶段 方案', room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain('联系人 张伟 角色:决策者 职位:财务总监');
    expect(r.text).not.toMatch(/Jane Doe|role:|decision-maker/);
  });

  it('lang zh|en|auto is a personal setting that wins over the profile', async () => {
    expect((await h.run('alice', 'lang', room)).text).toContain('I speak English to you, from your chat profile');
    expect((await h.run('alice', 'lang zh', room)).text).toContain('以后我会用中文和你交流');
    const alice = await h.prisma.member.findFirstOrThrow({ where: { name: 'alice' } });
    expect(alice.language).toBe('zh');
    expect((await h.run('alice', 'list', room)).text).toContain('进行中的商机（2）');
    expect((await h.run('alice', 'lang', room)).text).toContain('按你的选择，我用中文和你交流');
    expect((await h.run('alice', '语言 auto', room)).text).toContain("I'll follow the language of your chat profile");
    expect((await h.run('alice', 'list', room)).text).toContain('Open deals (2):');
  });

  it('a DM speaks the language of the person it goes to', async () => {
    await h.run('wang', 'lang en', room);
    const dms = h.platform.of('dm').length;
    expect((await h.run('alice', `action ${h.mention('wang')} Send the deck`, room)).ok).toBe(true);
    const dm = h.platform.of('dm').slice(dms)[0];
    expect(textOf(dm.message!.text)).toContain('gave you an action on deal #1');
    await h.run('wang', 'lang zh', room);
    expect((await h.run('alice', `action ${h.mention('wang')} Call back`, room)).ok).toBe(true);
    expect(textOf(h.platform.of('dm').at(-1)!.message!.text)).toContain('给你分配了');
  });

  it.each([
    ['alice', 'lang fr', "“fr” isn't a language I speak."],
    ['wang', '语言 法语', '不支持“法语”这种语言。'],
  ])('%s: %s is refused and writes nothing', async (user, command, sentence) => {
    const before = await h.counts();
    const r = await h.run(user, command, room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain(sentence);
    expect(await h.counts()).toEqual(before);
  });
});
