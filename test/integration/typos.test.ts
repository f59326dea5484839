// Stage names one slip away: the refusal names the stage meant and the command, in the reader's
// language, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('stage typos on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let room: string;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    h.platform.addUser({ externalId: 'UWANG', name: 'wang', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    room = (await h.run('alice', `new Acme | ERP ${h.mention('wang')}`)).roomId!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each([
    ['alice', 'stage propsal', 'Did you mean Proposal? Type stage proposal.'],
    ['alice', 'stage negociation', 'Did you mean Negotiation? Type stage negotiation.'],
    ['alice', 'stage negotiaton', 'Did you mean Negotiation? Type stage negotiation.'],
    ['wang', '阶段 商务谈盼', '你是想说商务谈判吗？请输入 阶段 商务谈判。'],
    ['wang', 'stage propsal', '你是想说方案吗？请输入 阶段 方案。'],
    ['alice', 'list stage:propsal', 'Did you mean Proposal? Type list stage:proposal.'],
    ['alice', 'stage banana', '“banana” is not a stage. Stages: lead (Lead)'],
  ])('%s: %s', async (user, command, sentence) => {
    const before = await h.counts();
    const r = await h.run(user, command, room);
    expect(r.ok).toBe(false);
    expect(r.text).toContain(sentence);
    expect(await h.counts()).toEqual(before);
    expect((await h.prisma.deal.findFirstOrThrow()).stage).toBe('lead');
  });

  it('a mistyped option writes nothing: no deal "ERP amout:120k"', async () => {
    const before = await h.counts();
    const r = await h.run('alice', 'new Acme | ERP amout:120k');
    expect(r.ok).toBe(false);
    expect(r.text).toContain('Did you mean amount:?');
    expect(await h.counts()).toEqual(before);
  });
});
