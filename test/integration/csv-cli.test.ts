// `npm run import` / `npm run export` as a person runs them: separate processes on an embedded
// database folder (each start opens PGlite, so the file keeps to three runs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/app/dispatch.ts';
import { silentLogger } from '../../src/app/logger.ts';
import { PlatformRegistry } from '../../src/app/platforms.ts';
import { systemClock } from '../../src/app/ports.ts';
import { ProcessCatalog } from '../../src/app/process-config.ts';
import { openDatabase } from '../../src/store/database.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { RecordingPlatform } from '../fakes/recording-platform.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dealroom-csv-'));
const dataDir = path.join(tmp, 'data');
const env = { ...process.env, DEALROOM_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/store/csv-cli.ts', ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('npm run import / export', () => {
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('export writes the files; an import exits 1 listing rejected rows, 0 when clean; bad usage exits 2', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir });
    const platform = new RecordingPlatform();
    for (const u of ['alice', 'bob']) platform.addUser({ externalId: `U${u}`, name: u });
    const deps = {
      store: prismaStore(db.prisma, systemClock),
      platforms: new PlatformRegistry([platform]),
      clock: systemClock,
      log: silentLogger,
      defaults: { currency: 'USD', timezone: 'UTC', locale: 'en' as const },
      processes: new ProcessCatalog(),
    };
    const say = (userId: string, text: string) =>
      handleCommand(deps, { ws: { platform: 'slack', externalId: 'T1' }, userId, text });
    expect((await say('Ualice', 'new Acme | ERP rollout amount:120k close:2026-12-31')).ok).toBe(true);
    expect((await say('Ubob', 'list')).ok).toBe(true);
    await db.close();

    const out = path.join(tmp, 'out');
    const exp = run(['export', out]);
    expect(exp.stdout, exp.stderr).toContain(`Exported 1 account(s), 0 contact(s) and 1 deal(s) to ${out}.`);
    const deals = fs.readFileSync(path.join(out, 'deals.csv'), 'utf8');
    expect(deals).toBe(
      'number,account,title,process,stage,amount,currency,close_date,next_contact,next_step,competitors,owner,lost_reason\n' +
        '1,Acme,ERP rollout,solution,lead,120000.00,USD,2026-12-31,,,,alice,\n',
    );

    fs.appendFileSync(path.join(out, 'deals.csv'), ',Acme,Second,,,5k,,,,,,bob,\n');
    const imp = run(['import', out, '--lang', 'zh']);
    expect(imp.status).toBe(1);
    expect(imp.stderr).toContain('未导入任何数据：有 1 行被拒绝');
    expect(imp.stderr).toContain('• deals.csv 第 2 行：「Acme」的「ERP rollout」已存在，为商机 #1');

    const bad = run(['import']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage: npm run import -- <folder>');
  }, 180_000);
});
