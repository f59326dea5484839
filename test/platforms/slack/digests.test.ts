// Digests exactly once against the fake Slack Web API: a send interrupted by a crash is resolved by
// asking Slack (the DM carries its delivery id as message metadata, read back with
// include_all_metadata) — marked sent when it arrived, sent again only when it did not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/app/dispatch.ts';
import { DigestScheduler } from '../../../src/jobs/digest-scheduler.ts';
import { bootSlack } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootSlack>>;
const ws = { platform: 'slack' as const, externalId: 'T1' };
const digestsTo = (user: string) =>
  s.fake.messages(user).filter((m) => (m.metadata as any)?.event_type === 'dealroom_delivery');

beforeAll(async () => {
  s = await bootSlack();
  s.clock.t = new Date('2026-11-23T01:00:00Z'); // Monday 09:00 in Shanghai: past the 08:30 digest time
  const run = (user: string, text: string) =>
    handleCommand(s.slack.deps, { ws, userId: user, text, requestKey: `setup:${text}` });
  await run('UALICE', 'team <@UBOB|bob> <@UCAROL|carol>'); // bob leads carol
  await run('UCAROL', 'new Acme | Digest me amount:10k');
});
afterAll(async () => {
  await s.stop();
});

describe('Slack: digests exactly once', () => {
  it('a DM that arrived before the crash is found in the history and not sent again', async () => {
    const deps = s.slack.deps;
    // The first process sends bob's digest, then dies before recording it: its row stays `sending`.
    const dying = new DigestScheduler({
      deps: {
        ...deps,
        store: {
          ...deps.store,
          digests: {
            ...deps.store.digests,
            finishDelivery: async () => {
              throw new Error('killed'); // the process is gone: nothing more is written
            },
          },
        },
      },
      platform: 'slack',
      instanceId: 'dying',
    });
    await dying.tick().catch(() => {});
    expect(digestsTo('UBOB')).toHaveLength(1);
    expect((await s.db.prisma.digestDelivery.findMany({ where: { kind: 'manager' } })).map((d) => d.status)).toEqual([
      'sending',
    ]);
    s.clock.advance(20 * 60_000);
    const r = await new DigestScheduler({ deps, platform: 'slack', instanceId: 'restarted' }).tick();
    expect(r.recovered).toBeGreaterThanOrEqual(1);
    expect(digestsTo('UBOB')).toHaveLength(1);
    expect(s.fake.callsOf('conversations.history').at(-1)!.args).toMatchObject({ include_all_metadata: 'true' });
    const [row] = await s.db.prisma.digestDelivery.findMany({ where: { kind: 'manager' } });
    expect(row.status).toBe('sent');
  });

  it('a delivery claimed but never sent is sent once after the restart', async () => {
    const deps = s.slack.deps;
    s.clock.t = new Date('2026-11-24T01:00:00Z'); // the next morning
    const scheduler = new DigestScheduler({ deps, platform: 'slack', instanceId: 'x' });
    await scheduler.schedule(s.clock.now());
    // Claimed (sending), then the process died before the DM went out.
    const [claimed] = await deps.store.digests.claimDeliveries('slack', 'dead', s.clock.now(), 1);
    expect(claimed.status).toBe('sending');
    const before = digestsTo('UBOB').length + digestsTo('UCAROL').length;
    s.clock.advance(20 * 60_000);
    await new DigestScheduler({ deps, platform: 'slack', instanceId: 'restarted2' }).tick();
    const rows = await s.db.prisma.digestDelivery.findMany({ where: { period: '2026-11-24' } });
    expect(rows.map((x) => x.status)).toEqual(rows.map(() => 'sent'));
    expect(rows.map((x) => x.id)).toContain(claimed.id);
    // Each delivery that had something to say arrived exactly once (the DM carries its id).
    const keys = [...digestsTo('UBOB'), ...digestsTo('UCAROL')].map((m) => (m.metadata as any).event_payload.key);
    for (const row of rows.filter((x) => x.error !== 'nothing to send'))
      expect(keys.filter((k) => k === row.id)).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(before);
  });
  it("the Monday digest attaches the team's funnel picture in the manager's DM, after the text", async () => {
    // So far: a recovered send and a Tuesday digest, none with a picture (recovery does not re-send).
    expect(s.fake.state.files.size).toBe(0);
    s.clock.t = new Date('2026-11-30T01:00:00Z'); // the next Monday, 09:00 in Shanghai: the weekly digest
    await new DigestScheduler({ deps: s.slack.deps, platform: 'slack', instanceId: 'monday' }).tick();
    const files = [...s.fake.state.files.values()];
    expect(files).toHaveLength(1); // bob manages carol; carol's nudge has no picture
    const [f] = files;
    expect(f.channels).toEqual([s.fake.channel('UBOB')!.id]); // the app's DM with bob
    expect([...f.bytes!.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(f.bytes!.length).toBeGreaterThan(1000);
    // The digest text first, then the picture.
    const last = s.fake.messages('UBOB').slice(-2);
    expect((last[0].metadata as any)?.event_type).toBe('dealroom_delivery');
    expect(last[1]).toMatchObject({ subtype: 'file_share', files: [{ id: f.id }] });
  });
});
