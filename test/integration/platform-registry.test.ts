// One process, several platforms: every platform call goes to the platform of the workspace it acts
// for, and a workspace whose platform is not served here gets a coded error, not another's calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/app/dispatch.ts';
import { PlatformRegistry } from '../../src/app/platforms.ts';
import { DealroomError } from '../../src/domain/errors.ts';
import { textOf } from '../../src/platforms/console/render-text.ts';
import { RecordingPlatform } from '../fakes/recording-platform.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

describe('platform registry', () => {
  it('finds a platform by kind, lists all, and refuses an unregistered or doubly registered kind', () => {
    const slack = new RecordingPlatform('slack');
    const lark = new RecordingPlatform('lark');
    const r = new PlatformRegistry([slack, lark]);
    expect(r.get('lark')).toBe(lark);
    expect(r.all()).toEqual([slack, lark]);
    const missing = (() => {
      try {
        r.get('console');
      } catch (e) {
        return e;
      }
    })();
    expect(missing).toBeInstanceOf(DealroomError);
    expect((missing as DealroomError).code).toBe('platform_not_registered');
    expect(() => r.register(new RecordingPlatform('slack'))).toThrow(/registered twice/);
  });
});

describe('commands use the workspace own platform', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('pglite');
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('a Lark workspace room is created on Lark, a Slack one on Slack', async () => {
    const h = harness(db);
    const lark = new RecordingPlatform('lark').addUser({ externalId: 'ou_amy', name: 'amy' });
    h.deps.platforms.register(lark);
    const r = await handleCommand(h.deps, {
      ws: { platform: 'lark', externalId: 'tenant-1' },
      userId: 'ou_amy',
      text: 'new Acme | Lark rollout',
    });
    expect(r.ok).toBe(true);
    expect(lark.of('createRoom')).toEqual([
      expect.objectContaining({ ws: 'tenant-1', name: 'deal-acme-lark-rollout' }),
    ]);
    expect(lark.of('pin')).toHaveLength(1);
    expect(h.platform.calls).toEqual([]);
    await h.run('alice', 'new Initech | Slack rollout');
    expect(h.platform.of('createRoom')).toEqual([expect.objectContaining({ ws: 'T1' })]);
    expect(lark.of('createRoom')).toHaveLength(1);
  });

  it('a workspace whose platform this process does not serve gets a coded error and nothing is called', async () => {
    const h = harness(db);
    const r = await handleCommand(h.deps, {
      ws: { platform: 'lark', externalId: 'tenant-2' },
      userId: 'ou_bob',
      text: 'new Acme | Nowhere',
    });
    expect(r.ok).toBe(false);
    expect(textOf(r.message!.text)).toContain('platform_not_registered');
    expect(h.platform.calls).toEqual([]);
    expect(await h.prisma.workspace.count({ where: { externalId: 'tenant-2' } })).toBe(0);
  });
});
