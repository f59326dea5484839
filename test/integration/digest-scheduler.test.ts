// Digests with a controllable clock on real databases: what is in them, when they go out (time
// zones, a daylight-saving change, weekends, catch-up), and that each goes out exactly once
// (retries, restarts, two schedulers on one database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestScheduler } from '../../src/jobs/digest-scheduler.ts';
import { renderText } from '../../src/platforms/console/render-text.ts';
import { openDatabase } from '../../src/store/database.ts';
import { prismaStore } from '../../src/store/prisma-store.ts';
import { backends, openTestDb, type TestDb } from '../support/db.ts';
import { harness } from '../support/harness.ts';

const BACKENDS = await backends();
const at = (iso: string) => new Date(iso);

describe.each(BACKENDS)('digests on %s', (backend) => {
  let db: TestDb;
  let h: ReturnType<typeof harness>;
  let sched: DigestScheduler;
  const isDigest = (c: { message?: { text: string } }) => /^(Team digest|Your day)/.test(c.message!.text);
  const dmsTo = (u: string) => h.platform.of('dm').filter((c) => c.userId === `U${u.toUpperCase()}` && isDigest(c));
  const text = (u: string) => renderText(dmsTo(u).at(-1)!.message!, (id) => id.slice(1).toLowerCase());
  const tickAt = async (iso: string) => {
    h.clock.t = at(iso);
    return sched.tick();
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    h = harness(db, { now: '2026-11-23T01:00:00Z' }); // Monday 09:00 in Shanghai
    h.platform.addUser({ externalId: 'UNY', name: 'ny', timezone: 'America/New_York', locale: 'en-US' });
    h.platform.addUser({ externalId: 'UERIN', name: 'erin', timezone: 'America/New_York', locale: 'en-US' });
    sched = new DigestScheduler({ deps: h.deps, instanceId: 'A' });
    const m = h.mention;
    // alice is the admin; mgr leads bob and carol (Shanghai); ny leads erin (New York).
    await h.run('alice', `team ${m('mgr')} ${m('bob')} ${m('carol')}`);
    await h.run('alice', `team ${m('ny')} ${m('erin')}`);
    const a = (await h.run('bob', 'new Acme | ERP amount:100k close:2026-12-31')).roomId!;
    const b = (await h.run('carol', 'new Globex | Pilot amount:20k')).roomId!;
    const c = (await h.run('bob', 'new Initech | Upgrade')).roomId!;
    await h.run('erin', 'new Umbrella | Labs amount:5k');
    h.clock.t = at('2026-11-23T03:00:00Z');
    await h.run('bob', 'stage qualified', a);
    await h.run('bob', `action ${m('carol')} Send the security questionnaire due:2026-11-23`, a);
    await h.run('carol', 'lost no budget this year', b);
    await h.run('bob', 'log Intro call next:2026-11-23', c);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('sends nothing before the local digest time', async () => {
    await tickAt('2026-11-24T00:29:00Z'); // 08:29 in Shanghai (19:29 the day before in New York)
    for (const u of ['mgr', 'bob', 'carol']) expect(dmsTo(u)).toHaveLength(0);
    // New York's Monday 08:30 has passed: that digest goes out now, the same (local) day.
    expect(dmsTo('ny')).toHaveLength(1);
    expect(text('ny')).toContain('Team digest — Mon 2026-11-23');
  });

  it("at 08:30 local the manager's digest holds exactly the day's items", async () => {
    const r = await tickAt('2026-11-24T00:30:00Z');
    expect(r.sent).toBeGreaterThanOrEqual(1);
    expect(dmsTo('mgr')).toHaveLength(1);
    const digest = text('mgr');
    if (process.env.SHOW_DIGEST) console.log(digest);
    const lines = digest.split('\n');
    const section = (title: string) => {
      const i = lines.indexOf(title);
      if (i < 0) return [];
      const out: string[] = [];
      for (const l of lines.slice(i + 1)) {
        if (!l.startsWith('• ') && !l.startsWith('…')) break;
        out.push(l);
      }
      return out;
    };
    expect(lines[0]).toBe('== Team digest — Tue 2026-11-24 ==');
    expect(section('Won and lost')).toEqual([
      expect.stringMatching(/^• ✖ #2 Globex — Pilot.*@carol.*no budget this year/),
    ]);
    expect(section('Moved forward')).toEqual([expect.stringMatching(/^• #1 Acme — ERP.*@bob.*Lead → Qualified/)]);
    expect(section('New deals').map((l) => l.match(/#\d+/)![0])).toEqual(['#1', '#2', '#3']); // erin's deal is another team's
    expect(section('Overdue actions')).toEqual([expect.stringMatching(/@carol.*Send the security questionnaire/)]);
    const follow = section('Customer follow-ups').join('\n');
    expect(follow).toContain('#3 Initech — Upgrade');
    expect(follow).toContain('#1 Acme — ERP');
    expect(follow).not.toContain('Globex'); // lost deals need no follow-up
    expect(digest).not.toContain('Umbrella');
    expect(digest).not.toContain('Funnel: last 90 days'); // weekly is Monday's
  });

  it("reps get their own short nudge; the other team's manager waits for New York's morning", async () => {
    expect(text('bob')).toContain('Initech');
    expect(text('carol')).toContain('Send the security questionnaire');
    expect(dmsTo('ny')).toHaveLength(1); // still only Monday's
  });

  it('ticking again the same day sends nothing twice', async () => {
    const before = h.platform.of('dm').length;
    await tickAt('2026-11-24T00:31:00Z');
    await tickAt('2026-11-24T09:00:00Z');
    expect(h.platform.of('dm').length).toBe(before);
  });

  it('a bot that was down at 08:30 catches up the same day, not the next', async () => {
    // ny's 08:30 in New York (EST, UTC-5) is 13:30Z; the bot comes back at 15:10Z.
    await tickAt('2026-11-24T15:10:00Z');
    expect(dmsTo('ny')).toHaveLength(2);
    expect(text('ny')).toContain('Team digest — Tue 2026-11-24');
    const rows = await h.prisma.digestDelivery.findMany({
      where: { recipientId: (await h.prisma.member.findFirstOrThrow({ where: { name: 'ny' } })).id },
      orderBy: { period: 'asc' },
    });
    expect(rows.map((r) => [r.period, r.status])).toEqual([
      ['2026-11-23', 'sent'],
      ['2026-11-24', 'sent'],
    ]);
  });

  it('the next digest covers what changed since the previous one', async () => {
    h.clock.t = at('2026-11-24T06:00:00Z');
    const acme = (await h.prisma.deal.findFirstOrThrow({ where: { title: 'ERP' } })).roomId!;
    await h.run('carol', 'done 1', acme);
    await h.run('bob', 'won signed', acme);
    await tickAt('2026-11-25T00:30:00Z');
    const digest = text('mgr');
    expect(dmsTo('mgr')).toHaveLength(2);
    expect(digest).toMatch(/🎉 #1 Acme — ERP/);
    expect(digest).not.toContain('Globex'); // lost yesterday: already reported
    expect(digest).not.toContain('New deals');
  });

  it('follows daylight saving: 08:30 New York time before and after the change', async () => {
    // US clocks go back on 2026-11-01: 08:30 EDT = 12:30Z before, 08:30 EST = 13:30Z after.
    const ny = await h.prisma.member.findFirstOrThrow({ where: { name: 'ny' } });
    const periods = async () =>
      (await h.prisma.digestDelivery.findMany({ where: { recipientId: ny.id }, orderBy: { period: 'asc' } })).map(
        (r) => r.period,
      );
    await tickAt('2026-10-30T12:29:00Z');
    expect(await periods()).not.toContain('2026-10-30');
    await tickAt('2026-10-30T12:30:00Z');
    expect(await periods()).toContain('2026-10-30');
    await tickAt('2026-11-02T12:30:00Z'); // 07:30 EST: not yet
    expect(await periods()).not.toContain('2026-11-02');
    await tickAt('2026-11-02T13:30:00Z');
    expect(await periods()).toContain('2026-11-02');
    await tickAt('2026-10-31T14:00:00Z'); // a Saturday: weekends are off by default
    expect(await periods()).not.toContain('2026-10-31');
  });

  it('a crash mid-run: unsent digests are sent once after restart, an interrupted one is never resent', async () => {
    const mgr = await h.prisma.member.findFirstOrThrow({ where: { name: 'mgr' } });
    const bob = await h.prisma.member.findFirstOrThrow({ where: { name: 'bob' } });
    await h.prisma.digestDelivery.createMany({
      data: [
        {
          workspaceId: mgr.workspaceId,
          recipientId: mgr.id,
          kind: 'manager',
          period: '2026-11-26',
          since: at('2026-11-25T00:30:00Z'),
          createdAt: h.clock.now(),
        },
        {
          workspaceId: bob.workspaceId,
          recipientId: bob.id,
          kind: 'rep',
          period: '2026-11-26',
          since: at('2026-11-25T00:30:00Z'),
          createdAt: h.clock.now(),
          status: 'sending',
          claimedBy: 'dead',
          claimedAt: at('2026-11-26T00:30:00Z'),
        },
      ],
    });
    const before = dmsTo('mgr').length;
    const bobBefore = dmsTo('bob').length;
    const restarted = new DigestScheduler({ deps: h.deps, instanceId: 'B' });
    h.clock.t = at('2026-11-26T01:00:00Z');
    const r = await restarted.tick();
    expect(r.abandoned).toBe(1);
    expect(dmsTo('mgr').length).toBe(before + 1);
    expect(dmsTo('bob').length).toBe(bobBefore);
    const rows = await h.prisma.digestDelivery.findMany({
      where: { period: '2026-11-26', recipientId: { in: [mgr.id, bob.id] } },
      orderBy: { kind: 'asc' },
    });
    expect(rows.map((x) => [x.kind, x.status])).toEqual([
      ['manager', 'sent'],
      ['rep', 'failed'],
    ]);
    await restarted.tick();
    expect(dmsTo('mgr').length).toBe(before + 1);
  });

  it('a rate-limited send is retried on a later tick, once', async () => {
    h.platform.failNext('dm', 'rate_limited', 'ratelimited');
    const before = dmsTo('mgr').length;
    const r1 = await tickAt('2026-11-27T00:30:00Z');
    expect(r1.retried).toBe(1);
    await tickAt('2026-11-27T00:32:00Z');
    await tickAt('2026-11-27T00:33:00Z');
    expect(dmsTo('mgr').length).toBe(before + 1);
  });

  it('/deal digest shows the digest now without touching the scheduled one', async () => {
    const rows = await h.prisma.digestDelivery.count();
    const r = await h.run('mgr', 'digest');
    expect(r.ok).toBe(true);
    expect(r.text).toContain('Team digest');
    const nudge = await h.run('mgr', `digest ${h.mention('bob')}`);
    expect(nudge.text).toMatch(/Your day|Nothing to nudge/);
    const refused = await h.run('ny', `digest ${h.mention('bob')}`);
    expect(refused.text).toContain('not on your team');
    expect(await h.prisma.digestDelivery.count()).toBe(rows);
  });

  if (backend === 'postgresql') {
    it('two schedulers on one PostgreSQL send each digest once', async () => {
      const second = await openDatabase({ kind: 'postgresql', url: db.url! }, { migrate: false });
      try {
        const h2 = harness({ ...db, prisma: second.prisma } as TestDb);
        h2.clock.t = h.clock.t = at('2026-11-30T00:45:00Z'); // Monday: the weekly section too
        const a = new DigestScheduler({ deps: h.deps, instanceId: 'one' });
        const b = new DigestScheduler({
          deps: { ...h2.deps, store: prismaStore(second.prisma, h2.clock) },
          instanceId: 'two',
        });
        const beforeA = h.platform.of('dm').length;
        await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
        const sent = [...h.platform.of('dm').slice(beforeA), ...h2.platform.of('dm')]
          .filter(isDigest)
          .map((c) => c.userId);
        expect(sent.sort()).toEqual([...new Set(sent)].sort());
        expect(sent).toContain('UMGR');
        const rows = await h.prisma.digestDelivery.findMany({ where: { period: '2026-11-30' } });
        expect(rows.every((r) => r.status === 'sent')).toBe(true);
        expect(rows.filter((r) => r.error === null).length).toBe(new Set(sent).size); // the rest had nothing to say
      } finally {
        await second.close();
      }
    });
  }
});
