// A use-case harness: real store on a test database, recording platform, controllable clock.

import type { Deps } from '../../src/app/context.ts';
import { handleCommand } from '../../src/app/dispatch.ts';
import { silentLogger } from '../../src/app/logger.ts';
import { PlatformRegistry } from '../../src/app/platforms.ts';
import { ProcessCatalog } from '../../src/app/process-config.ts';
import { renderText } from '../../src/platforms/console/render-text.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { RecordingPlatform } from '../fakes/recording-platform.ts';
import type { TestDb } from './db.ts';

export class TestClock {
  constructor(public t: Date) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export function harness(db: TestDb, opts: { now?: string; team?: string } = {}) {
  const platform = new RecordingPlatform();
  const clock = new TestClock(new Date(opts.now ?? '2026-11-23T02:00:00Z')); // Monday 10:00 in Shanghai
  const log = process.env.TEST_LOG ? { ...silentLogger, error: (o: unknown) => console.error(o) } : silentLogger;
  const deps: Deps = {
    store: prismaStore(db.prisma, clock),
    platforms: new PlatformRegistry([platform]),
    clock,
    log,
    defaults: { currency: 'USD', timezone: 'Asia/Shanghai', locale: 'en' },
    processes: new ProcessCatalog(),
  };
  const team = opts.team ?? 'T1';
  for (const u of ['alice', 'bob', 'carol', 'dave', 'erin', 'mgr', 'boss'])
    platform.addUser({ externalId: `U${u.toUpperCase()}`, name: u, timezone: 'Asia/Shanghai', locale: 'en-US' });
  /** Runs a command as `user` (a name from the list above) in `room`; returns the reply text. */
  async function run(user: string, text: string, room?: string, requestKey?: string) {
    const reply = await handleCommand(deps, {
      ws: { platform: 'slack', externalId: team },
      userId: `U${user.toUpperCase()}`,
      roomId: room,
      text,
      requestKey,
    });
    return { ...reply, text: reply.message ? renderText(reply.message) : '' };
  }
  const prisma = db.prisma;
  /** Row counts of every table: a failed command must leave them all unchanged. */
  async function counts() {
    return {
      workspaces: await prisma.workspace.count(),
      members: await prisma.member.count(),
      accounts: await prisma.account.count(),
      contacts: await prisma.contact.count(),
      deals: await prisma.deal.count(),
      dealMembers: await prisma.dealMember.count(),
      actions: await prisma.actionItem.count(),
      events: await prisma.dealEvent.count(),
    };
  }
  return { deps, platform, clock, run, counts, prisma, mention: (u: string) => `<@U${u.toUpperCase()}|${u}>` };
}
