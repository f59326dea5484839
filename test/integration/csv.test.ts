// CSV in and out on a real database (PGlite always; PostgreSQL when present, required on CI):
// export → dry run → import → export gives the same files; a bad row is listed with its line and
// reason and nothing at all is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CsvFiles, importCsv } from '../../src/app/csv.ts';
import { exportCsv } from '../../src/app/csv-export.ts';
import { runSteps } from '../../src/app/outbox.ts';
import type { Workspace } from '../../src/domain/model.ts';
import { textOf } from '../../src/platforms/console/render-text.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();

describe.each(BACKENDS)('CSV import and export on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let h2: ReturnType<typeof harness>;
  let ws1: Workspace;
  let ws2: Workspace;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db, { team: 'T1' });
    h2 = harness(db, { team: 'T2' });
    // Workspace 1: deals made through the commands, in both languages, with awkward text.
    const m = h.mention;
    await h.run('alice', `new Acme | ERP rollout amount:120k close:2026-12-31 ${m('bob')}`);
    await h.run(
      'alice',
      '#1 contact "Jane Doe" role:decision-maker title:CFO email:jane@acme.example phone:+1-555-0100',
    );
    await h.run('alice', '#1 contact "Li, Wei" role:champion title:"Head of IT, core systems"');
    await h.run('alice', '#1 set competitors Globex, Initech');
    await h.run('alice', '#1 set next-step "Demo, then\nprice review"');
    await h.run('alice', '#1 set industry Manufacturing');
    await h.run('alice', '#1 stage qualified');
    await h.run('bob', 'new 华东制造 | 工厂数字化 amount:50万 close:2027-03-31');
    await h.run('bob', '#2 set next-contact 2026-12-01');
    await h.run('alice', 'new Globex | Small renewal amount:5k EUR');
    await h.run('alice', '#3 lost budget cut, 明年再谈');
    ws1 = (await h.deps.store.repos.findWorkspace('slack', 'T1'))!;
    // Workspace 2 knows the same people (owners are matched by handle) and nothing else.
    await h2.run('alice', 'list');
    await h2.run('bob', 'list');
    ws2 = (await h2.deps.store.repos.findWorkspace('slack', 'T2'))!;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('export → dry run → import → export gives the same files', async () => {
    const files = await exportCsv(h.deps.store.repos, ws1);
    expect(files.accounts.split('\n')[0]).toBe('name,industry,region,address');
    expect(files.deals).toContain('工厂数字化');
    expect(files.deals).toContain('"Demo, then\nprice review"');
    expect(files.contacts).toContain('Acme,"Li, Wei","Head of IT, core systems",champion,,');
    expect(files.deals).toContain('Globex; Initech');

    const before = await h.counts();
    const dry = await importCsv(h2.deps.store, ws2, files, { dryRun: true, locale: 'en', now: h2.clock.now() });
    expect(dry.rejections).toEqual([]);
    expect(dry.imported).toBe(false);
    expect(dry.counts).toEqual({ accounts: 3, contacts: 2, deals: 3 });
    expect(textOf(dry.report)).toMatch(/^Dry run: 3 account\(s\), 2 contact\(s\) and 3 deal\(s\) would be imported/);
    expect(await h.counts()).toEqual(before);

    const done = await importCsv(h2.deps.store, ws2, files, { dryRun: false, locale: 'zh', now: h2.clock.now() });
    expect(done.imported).toBe(true);
    expect(textOf(done.report)).toMatch(/^已导入 3 个客户、2 个联系人、3 个商机/);
    const after = await h.counts();
    expect(after.deals - before.deals).toBe(3);
    expect(after.contacts - before.contacts).toBe(2);
    expect(after.accounts - before.accounts).toBe(3);

    expect(await exportCsv(h2.deps.store.repos, ws2)).toEqual(files);
    const lost = await h2.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws2.id, title: 'Small renewal' } });
    expect(lost).toMatchObject({ status: 'lost', stage: 'lost', lostReason: 'budget cut, 明年再谈', currency: 'EUR' });
    expect(lost.closedAt).not.toBeNull();
    const created = await h2.prisma.dealEvent.findMany({ where: { workspaceId: ws2.id, type: 'created' } });
    expect(created).toHaveLength(3);
    expect(created.every((e) => (e.data as { imported?: boolean }).imported === true)).toBe(true);

    // The same files again: every deal already exists, so nothing is written.
    const again = await importCsv(h2.deps.store, ws2, files, { dryRun: false, locale: 'en', now: h2.clock.now() });
    expect(again.imported).toBe(false);
    expect(again.rejections.map((r) => [r.file, r.line])).toEqual([
      ['deals.csv', 2],
      ['deals.csv', 4],
      ['deals.csv', 5],
    ]);
    expect(textOf(again.rejections[0]?.reason ?? '')).toBe(
      '"ERP rollout" of "Acme" already exists as deal #1; remove the row (import adds, it does not update deals).',
    );
    expect(await h.counts()).toEqual(after);
  });

  const HEADER =
    'number,account,title,process,stage,amount,currency,close_date,next_contact,next_step,competitors,owner,lost_reason';
  it('a dry run lists every rejected row with its line and why; the import then writes nothing', async () => {
    const files: CsvFiles = {
      accounts: 'name,industry\nNew Co,Retail\nnew co ,Food\n',
      contacts:
        'account,name,role,email\nNew Co,Ann,boss,\nNew Co,Bo,champion,not-an-email\nNew Co,Cy,decision-maker,cy@new.example\n',
      deals: [
        HEADER,
        ',New Co,Good one,,,10k,,2027-01-31,,,,alice,',
        ',New Co,Bad amount,,,lots,,,,,,alice,',
        ',New Co,Bad date,,,,,31/01/2027,,,,alice,',
        ',New Co,Bad stage,solution,closing,,,,,,,alice,',
        ',New Co,Bad process,retail,,,,,,,,alice,',
        ',New Co,Lost no reason,,lost,,,,,,,alice,',
        ',New Co,Nobody,,,,,,,,,zed,',
        ',New Co,Bad currency,,,5,XYZ,,,,,alice,',
        ',New Co,Good one,,,,,,,,,bob,',
        ',,No account,,,,,,,,,alice,',
        ',New Co,Clash,,,$5,CNY,,,,,alice,',
        ',New Co,Transactional,transactional,quote,7,,,,,,bob,',
      ].join('\n'),
    };
    const before = await h.counts();
    const dry = await importCsv(h2.deps.store, ws2, files, { dryRun: true, locale: 'en', now: h2.clock.now() });
    expect(dry.rejections.map((r) => `${r.file}:${r.line} ${textOf(r.reason)}`)).toEqual([
      'accounts.csv:3 account "new co" is already on line 2; keep one row per account.',
      'contacts.csv:2 role "boss" is not one of decision-maker, champion, influencer, user, procurement, blocker.',
      'contacts.csv:3 email "not-an-email" is not an email address (name@example.com).',
      'deals.csv:3 amount "lots" is not an amount (write 120000, 120000.50 or 120k).',
      'deals.csv:4 close_date "31/01/2027" is not a date; write YYYY-MM-DD (e.g. 2026-12-31), between 1900 and 2200.',
      'deals.csv:5 stage "closing" is not a stage of process solution (lead, qualified, proposal, negotiation, won, lost).',
      'deals.csv:6 process "retail" is not one of solution, transactional.',
      'deals.csv:7 a lost deal needs lost_reason; fill it in.',
      'deals.csv:8 owner "zed" is not a member of this workspace; they need to use Dealroom (or be mentioned) once first.',
      'deals.csv:9 currency "XYZ" is not an ISO code such as USD or CNY.',
      'deals.csv:10 a deal "Good one" of "New Co" is already on line 2; keep one row per deal.',
      'deals.csv:11 account is empty; fill it in.',
      'deals.csv:12 amount "$5" is in USD but the currency column says CNY; make them agree.',
    ]);
    expect(textOf(dry.report).split('\n')[0]).toBe(
      'Dry run: 13 row(s) would be rejected; nothing was written. Fix them and run again:',
    );
    expect(dry.counts).toEqual({ accounts: 1, contacts: 1, deals: 2 });
    const real = await importCsv(h2.deps.store, ws2, files, { dryRun: false, locale: 'zh', now: h2.clock.now() });
    expect(real.imported).toBe(false);
    expect(textOf(real.report).split('\n')[0]).toBe(
      '未导入任何数据：有 13 行被拒绝（导入要么全部成功，要么什么都不写）。请修正后再试：',
    );
    expect(textOf(real.report)).toContain('• deals.csv 第 8 行：负责人「zed」不是本工作区成员');
    expect(await h.counts()).toEqual(before);
  });

  it.each([
    [
      'an unclosed quote',
      { deals: `${HEADER}\n,Acme,"Broken,,,,,,,,,,alice,\n` },
      'deals.csv',
      2,
      /could not be read as CSV at line 2/,
    ],
    [
      'an unknown column',
      { accounts: 'name,website\nX,x.example\n' },
      'accounts.csv',
      1,
      /columns Dealroom does not know: website/,
    ],
    ['a missing column', { contacts: 'name,title\nAnn,CEO\n' }, 'contacts.csv', 1, /lacks the column\(s\) account/],
    ['a control character', { accounts: 'name\n"Bad\u0007Co"\n' }, 'accounts.csv', 2, /control character/],
    [
      'an over-long title',
      { deals: `${HEADER}\n,Acme,${'x'.repeat(201)},,,,,,,,,alice,\n` },
      'deals.csv',
      2,
      /longer than 200/,
    ],
  ])('a file with %s is refused with its line', async (_what, files, file, line, reason) => {
    const before = await h.counts();
    const r = await importCsv(h2.deps.store, ws2, files as CsvFiles, {
      dryRun: false,
      locale: 'en',
      now: h2.clock.now(),
    });
    expect(r.imported).toBe(false);
    expect(r.rejections.map((x) => ({ ...x, reason: textOf(x.reason) }))).toEqual([
      { file, line, reason: expect.stringMatching(reason) },
    ]);
    expect(await h.counts()).toEqual(before);
  });

  it('rooms only when asked: one outbox step per open deal, carried out by the worker', async () => {
    const imported = await h2.prisma.deal.findMany({ where: { workspaceId: ws2.id }, select: { id: true } });
    expect(await h2.prisma.outboxStep.count({ where: { dealId: { in: imported.map((d) => d.id) } } })).toBe(0);
    const files: CsvFiles = {
      deals: `${HEADER}\n,Rooms Co,Open one,,,,,,,,,alice,\n,Rooms Co,Closed one,,lost,,,,,,,bob,no budget\n`,
    };
    const r = await importCsv(h2.deps.store, ws2, files, {
      dryRun: false,
      rooms: true,
      locale: 'en',
      now: h2.clock.now(),
    });
    expect(textOf(r.report)).toMatch(/creates the rooms of the open deals one by one/);
    const deals = await h2.prisma.deal.findMany({ where: { workspaceId: ws2.id, account: { name: 'Rooms Co' } } });
    const steps = await h2.prisma.outboxStep.findMany({ where: { dealId: { in: deals.map((d) => d.id) } } });
    const open = deals.find((d) => d.title === 'Open one');
    expect(steps.map((s) => [s.kind, s.dealId])).toEqual([['room', open?.id]]);
    h2.clock.advance(60_000);
    const done = await runSteps(h2.deps, 'test', { ids: steps.map((s) => String(s.id)) });
    // The room step, then what a new room gets (invitations, the card and its pin).
    expect(done[0] && [done[0].step.kind, done[0].result]).toEqual(['room', 'done']);
    expect(done.every((x) => x.result === 'done')).toBe(true);
    expect(h2.platform.of('createRoom').at(-1)).toMatchObject({ name: expect.stringContaining('open-one') });
    expect((await h2.prisma.deal.findUniqueOrThrow({ where: { id: open?.id } })).roomId).not.toBeNull();
  });

  it('a byte-order mark and Windows line ends are read', async () => {
    const files: CsvFiles = {
      accounts: '\uFEFFname,industry,region\r\nBOM Co,Retail,华南\r\n"The ""Quote"", Ltd",,\r\n',
    };
    const r = await importCsv(h2.deps.store, ws2, files, { dryRun: false, locale: 'en', now: h2.clock.now() });
    expect(r.rejections).toEqual([]);
    const out = await exportCsv(h2.deps.store.repos, ws2);
    expect(out.accounts).toContain('BOM Co,Retail,华南,\n');
    expect(out.accounts).toContain('"The ""Quote"", Ltd",,,\n');
  });
});
