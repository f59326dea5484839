// The durable inbox against the real Bolt app and the fake Slack Web API: what was received is
// processed even when no listener is left to do it (a restart), answered through the response URL
// while it is valid and by DM after, and a second run answers the same without changing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../src/app/dispatch.ts';
import { receive } from '../../../src/app/inbox.ts';
import { bootSlack, waitFor } from './helpers.ts';

let s: Awaited<ReturnType<typeof bootSlack>>;
beforeAll(async () => {
  s = await bootSlack();
});
afterAll(async () => {
  await s.stop();
});
const ws = { platform: 'slack' as const, externalId: 'T1' };
const command = (key: string, text: string) => ({
  inv: { ws, userId: 'UALICE', roomId: 'CGENERAL', text, requestKey: `slash:${key}` },
  answer: { via: 'respond' as const, handle: `${s.fake.base}/hooks/${key}` },
});

describe('Slack: inbox', () => {
  it('a command received before a crash is processed after the restart and answered', async () => {
    // Written and acked, then the process died: nobody woke the pool. The pool finds it on its own.
    expect(await receive(s.slack.deps, command('crash1', 'new Acme | Survivor'))).toBe(true);
    const reply = await waitFor(() => s.fake.calls.find((c) => c.method === 'response_url:/hooks/crash1'));
    expect(String(reply.args.text)).toContain('Acme — Survivor created');
    expect(await s.db.prisma.deal.count({ where: { title: 'Survivor' } })).toBe(1);
    expect(s.fake.channel('deal-acme-survivor')).toBeDefined();
  });

  it('a redelivery is recognised at the door and runs nothing', async () => {
    expect(await receive(s.slack.deps, command('crash1', 'new Acme | Survivor'))).toBe(false);
  });

  it('when the response URL has expired (30 minutes), the answer comes by DM', async () => {
    expect(await receive(s.slack.deps, command('late1', 'new Acme | Late'))).toBe(true);
    s.clock.advance(31 * 60_000);
    await waitFor(() => s.fake.messages('UALICE').some((m) => m.text.includes('Acme — Late created')));
    expect(s.fake.calls.find((c) => c.method === 'response_url:/hooks/late1')).toBeUndefined();
  });

  it('a command that committed before the crash is answered the same on its second run, changing nothing', async () => {
    const cmd = command('twice1', 'new Acme | Twice');
    // The first run committed (and did its platform work) but the process died before marking it done.
    await handleCommand(s.slack.deps, cmd.inv);
    const channels = s.fake.callsOf('conversations.create').length;
    expect(await receive(s.slack.deps, cmd)).toBe(true);
    const reply = await waitFor(() => s.fake.calls.find((c) => c.method === 'response_url:/hooks/twice1'));
    expect(String(reply.args.text)).toContain('Acme — Twice created');
    expect(String(reply.args.text)).not.toContain('already handled');
    expect(await s.db.prisma.deal.count({ where: { title: 'Twice' } })).toBe(1);
    expect(s.fake.callsOf('conversations.create')).toHaveLength(channels);
  });
});
