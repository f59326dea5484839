// help teaches: the process (stages, what each needs, what each creates), one command with
// examples, Chinese verbs and keys; an unknown topic says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('help on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    [
      'alice',
      'help stages',
      [
        'The sales process (Solution sale), in order.',
        'Qualified (qualified, 25% likely to close)',
        'needs: an amount (the budget), an expected close date (the deadline)',
        'creates the action: Map the decision chain',
        'Proposal (proposal, 50% likely to close)',
        'needs: a decision-maker contact',
        'Won (won): closes the deal',
      ],
    ],
    [
      'wang',
      '帮助 stages',
      [
        '销售流程（解决方案销售）',
        '准意向（qualified，成交可能性 25%）',
        '需要：一位决策者联系人',
        '自动创建待办：梳理决策链',
      ],
    ],
    ['alice', 'help set', ['set <field> <value>', 'Examples:', 'set owner @bob', 'set close next friday']],
    ['wang', '帮助 设置', ['示例：', '设置 负责人 @小李', '设置 金额 15万']],
    ['alice', 'help stage', ['help stages']],
    [
      'alice',
      'help',
      [
        'new <account> | <title>',
        'also: 新建',
        'Chinese option keys work too: 金额:',
        'find <text>',
        'lang [zh|en|auto]',
      ],
    ],
    ['wang', '帮助', ['中文：新建', '中文选项：金额:', '强制:']],
  ])('%s: %s', async (user, command, expected) => {
    const r = await h.run(user, command);
    expect(r.ok).toBe(true);
    for (const line of expected) expect(r.text).toContain(line);
  });

  it.each([
    ['alice', 'help blah', 'There is no help topic “blah”. help lists every command'],
    ['alice', 'help hisotry', 'Did you mean help history?'],
    ['wang', '帮助 随便', '没有“随便”这个帮助主题。'],
  ])('%s: %s says the topic is unknown', async (user, command, sentence) => {
    const r = await h.run(user, command);
    expect(r.ok).toBe(false);
    expect(r.text).toContain(sentence);
    expect(r.text).not.toContain('Dealroom commands');
  });
});
