// `/deal process` (admins): each workspace's processes are its own, stored in the database so every
// replica agrees. Show with the origin, a dry-run check with every error's line and field, load
// (refused when it would orphan a deal), export, reset; nothing is written on any error. Two
// replicas over one database: B follows the file A loaded from its next command.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessCatalog, stripFence } from '../../src/app/process-config.ts';
import { openDeal } from '../../src/app/use-cases/open-deal.ts';
import { DEFAULT_PROCESSES } from '../../src/domain/process.ts';
import { parseProcessFile, processFileText } from '../../src/domain/process-file.ts';
import { openDatabase } from '../../src/store/database.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const examples = path.resolve(import.meta.dirname, '../../examples');
const customFile = fs.readFileSync(path.join(examples, 'processes.custom.yaml'), 'utf8');
const defaultFile = fs.readFileSync(path.join(examples, 'processes.yaml'), 'utf8');
/** The shipped processes plus the enterprise one, as one file. */
const both = `${defaultFile}\n${customFile.replace(/^processes:\n/m, '')}`;

describe.each(BACKENDS)('/deal process on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db);
    await h.run('alice', 'help'); // the first person in a workspace is its admin
    await h.run('bob', 'help');
  });
  afterAll(async () => {
    await db.destroy();
  });
  const files = () => h.prisma.processFile.count();
  const version = async () =>
    (await h.prisma.workspace.findFirstOrThrow({ where: { externalId: 'T1' } })).processVersion;

  it('is for admins: anyone else gets a clear refusal, in their language, and nothing is written', async () => {
    for (const text of ['process', `process load ${both}`, 'process reset', 'process export']) {
      const r = await h.run('bob', text);
      expect(r.ok).toBe(false);
      expect(r.text).toBe('Only a workspace admin can see or change the sales processes. Ask an admin to run process.');
    }
    await h.run('bob', 'lang zh');
    expect((await h.run('bob', '流程')).text).toBe('只有工作区管理员可以查看或修改销售流程。请让管理员运行 process。');
    expect(await files()).toBe(0);
    expect(await version()).toBe(0);
  });

  it('shows the built-in processes with their stages and where they come from', async () => {
    const r = await h.run('alice', 'process');
    expect(r.ok, r.text).toBe(true);
    expect(r.text).toContain("These are Dealroom's built-in processes (this workspace loaded none).");
    expect(r.text).toContain(
      'Solution sale (solution), the default for new deals: Lead (lead) → Qualified (qualified) → Proposal (proposal) → Negotiation (negotiation) → Won (won) → Lost (lost)',
    );
    expect(r.text).toContain(
      'Transactional sale (transactional): Lead (lead) → Quote (quote) → Won (won) → Lost (lost)',
    );
  });

  it('check is a dry run: every error with its line and field, or the all-clear; nothing is written', async () => {
    const broken = both.replace('probability: 0.1\n', 'probability: 10\n').replace('zh: 大客户销售', 'fr: Vente');
    const r = await h.run('alice', `process check\n${broken}`);
    expect(r.ok).toBe(false);
    expect(r.text).toBe(
      'That process file is not valid (3 problem(s)); nothing was changed. Fix these and try again:\n' +
        '• line 11, processes[0].stages[0].probability: probability must be from 0 to 1 (write 0.25, not 25)\n' +
        '• line 97, processes[2].names.zh: the Chinese process name must be text\n' +
        '• line 97, processes[2].names.fr: unknown field "fr" (check its spelling)',
    );
    const yamlError = await h.run('alice', 'process check processes: [a');
    expect(yamlError.text).toMatch(
      /^That process file is not valid \(1 problem\(s\)\); nothing was changed\. Fix these and try again:\n• line 1, \(top\): /,
    );
    const ok = await h.run('alice', `process check ${both}`);
    expect(ok.ok, ok.text).toBe(true);
    expect(ok.text).toBe(
      'The file is valid: solution (Solution sale, 6), transactional (Transactional sale, 4), enterprise (Enterprise sale, 5). No deal would be orphaned. Load it with process load and the same text.',
    );
    expect(await files()).toBe(0);
    expect(await version()).toBe(0);
  });

  it('load stores the file (fence stripped) for this workspace only; show, export and new deals follow it', async () => {
    expect((await h.run('alice', 'new MegaCorp | Platform process:enterprise')).ok).toBe(false);
    const r = await h.run('alice', `process load \`\`\`yaml\n${both}\`\`\``);
    expect(r.ok, r.text).toBe(true);
    expect(r.text).toMatch(/^Loaded version 1: solution .*enterprise \(Enterprise sale, 5\)\./);
    const row = await h.prisma.processFile.findFirstOrThrow();
    expect(row).toMatchObject({ version: 1, text: both, source: 'chat' });
    expect(row.loadedAt.toISOString()).toBe('2026-11-23T02:00:00.000Z'); // the app's clock, not the database's
    expect(await version()).toBe(1);

    const shown = await h.run('alice', 'process show');
    expect(shown.text).toMatch(/^Loaded by .+ on .+ \(version 1, from chat\)\./);
    expect(shown.text).toContain('Enterprise sale (enterprise): Discovery (discovery) → Solution fit (solution-fit)');
    const exported = await h.run('alice', 'process export');
    expect(exported.text).toContain('The process file in force (version 1).');
    expect(exported.text).toContain(both.trim());

    const opened = await h.run('alice', 'new MegaCorp | Platform process:enterprise');
    expect(opened.ok, opened.text).toBe(true);
    expect(await h.prisma.deal.findFirstOrThrow({ where: { number: 1 } })).toMatchObject({
      process: 'enterprise',
      stage: 'discovery',
    });
    // Another workspace in the same database still follows the built-in processes.
    const other = harness(db, { team: 'T2' });
    const refused = await other.run('carol', 'new Shop | Widgets process:enterprise');
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain('There is no sales process "enterprise"');
    expect((await other.run('carol', 'process')).text).toContain("These are Dealroom's built-in processes");
  });

  it('a deal being created while a file is loaded is refused, not created in a process the file dropped', async () => {
    // The command read the workspace (and so its processes) before the load committed.
    const stale = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: 'T1' } });
    const alice = await h.prisma.member.findFirstOrThrow({ where: { workspaceId: stale.id, name: 'alice' } });
    const loaded = await h.deps.processes.forWorkspace(h.deps.store.repos, stale);
    await h.prisma.workspace.update({ where: { id: stale.id }, data: { processVersion: { increment: 1 } } });
    const before = await h.counts();
    const attempt = h.deps.store.transaction((repos) =>
      openDeal(
        {
          repos,
          now: h.clock.now(),
          processes: loaded,
          capabilities: h.platform.capabilities,
          actor: {
            workspace: { ...stale, platform: 'slack' },
            member: { ...alice, role: 'admin', language: null },
            locale: 'en',
            timezone: 'UTC',
          },
        },
        { name: 'new', account: 'Late', title: 'Deal', process: 'enterprise', mentions: [] },
        [],
      ),
    );
    await expect(attempt).rejects.toMatchObject({ key: 'new.processes_changed' });
    expect(await h.counts()).toEqual(before);
    await h.prisma.workspace.update({ where: { id: stale.id }, data: { processVersion: stale.processVersion } });
  });

  it('a load or reset that would orphan a deal is refused with the list; nothing is written', async () => {
    const before = await h.counts();
    for (const text of [`process load ${defaultFile}`, 'process reset']) {
      const r = await h.run('alice', text);
      expect(r.ok).toBe(false);
      expect(r.text).toContain(
        'would orphan 1 deal(s) whose process or stage it does not have: #1 (enterprise / discovery). Nothing was changed.',
      );
    }
    expect(await h.counts()).toEqual(before);
    expect(await files()).toBe(1);
    expect(await version()).toBe(1);
  });

  it('reset goes back to the default once no deal needs the file; export then gives the built-in file', async () => {
    await h.run('alice', '#1 set process solution map:discovery=lead');
    const r = await h.run('alice', 'process reset');
    expect(r.ok, r.text).toBe(true);
    expect(r.text).toBe(
      'This workspace is back on the default processes (solution (Solution sale, 6), transactional (Transactional sale, 4)); version 2 records the change.',
    );
    expect(await version()).toBe(2);
    expect((await h.run('alice', 'process reset')).text).toContain('already follows the default processes');
    const exported = await h.run('alice', 'process export');
    expect(exported.text).toContain('The process file in force (built-in).');
    expect(exported.text).toContain(processFileText(DEFAULT_PROCESSES).trim());
    expect((await h.run('alice', 'new Shop | Again process:enterprise')).ok).toBe(false);
  });

  it('two replicas over one database: B follows the file A loaded on its next command', async () => {
    const t = `T-rep-${backend}`;
    // B has its own connection on PostgreSQL (the embedded database is one process's by design).
    const second = backend === 'postgresql' ? await openDatabase({ kind: 'postgresql', url: db.url! }) : null;
    try {
      const a = harness(db, { team: t });
      const b = harness(second ? { ...db, prisma: second.prisma } : db, { team: t });
      await a.run('alice', 'help');
      expect((await a.run('alice', `process load ${both}`)).ok).toBe(true);
      const opened = await b.run('alice', 'new MegaCorp | Platform process:enterprise');
      expect(opened.ok, opened.text).toBe(true);
      // A loads a second version; B, which parsed version 1, reads version 2 on its next command.
      const renamed = both.replace('en: Enterprise sale', 'en: Key account sale');
      expect((await a.run('alice', `process load ${renamed}`)).ok).toBe(true);
      expect((await b.run('alice', 'process')).text).toContain('Key account sale (enterprise)');
      expect((await b.run('alice', 'pipeline')).text).toContain('Key account sale:');
    } finally {
      await second?.close();
    }
  });

  it('each replica parses a file once per version', async () => {
    const ws = await h.prisma.workspace.findFirstOrThrow({ where: { externalId: 'T1' } });
    await h.prisma.processFile.create({
      data: { workspaceId: ws.id, version: 3, text: both, source: 'test', loadedById: ws.id, loadedAt: new Date(0) },
    });
    let reads = 0;
    const repos = {
      ...h.deps.store.repos,
      findProcessFile: (id: string, v: number) => {
        reads++;
        return h.deps.store.repos.findProcessFile(id, v);
      },
    };
    const catalog = new ProcessCatalog();
    for (let i = 0; i < 3; i++) await catalog.forWorkspace(repos, { id: ws.id, processVersion: 3 });
    expect(reads).toBe(1);
    expect((await catalog.forWorkspace(repos, { id: ws.id, processVersion: 2 })).origin).toEqual({ kind: 'built-in' });
    expect((await catalog.forWorkspace(repos, { id: ws.id, processVersion: 0 })).origin).toEqual({ kind: 'built-in' });
    expect(reads).toBe(2); // version 2 (a reset) read once; version 0 reads nothing
    expect((await catalog.forWorkspace(repos, { id: ws.id, processVersion: 3 })).set.has('enterprise')).toBe(true);
    expect(reads).toBe(2);
  });
});

describe('a pasted file', () => {
  it.each([
    ['```\nprocesses: []\n```', 'processes: []\n'],
    ['```yaml\nprocesses: []\n```', 'processes: []\n'],
    ['  ```json\n{"processes": []}```  ', '{"processes": []}'],
    ['```processes: []\n  - x\n```', 'processes: []\n  - x\n'],
    ['processes: []', 'processes: []'],
  ])('%j without its code fence is %j', (text, want) => {
    expect(stripFence(text)).toBe(want);
  });

  it('an exported file reads back to the same processes', () => {
    expect(parseProcessFile(processFileText(parseProcessFile(both))).map((p) => p.key)).toEqual([
      'solution',
      'transactional',
      'enterprise',
    ]);
  });
});
