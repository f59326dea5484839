// Files an admin sends the bot in its DM, against the real Bolt app and the fake Slack, on every
// database: the Events API `file_share` delivery is signed and stored in the inbox, the worker
// downloads the file with the bot token, the dry run comes back by DM, and `import confirm` on
// another replica (this one stopped) imports it once.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/app/logger.ts';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.ts';
import { type FakeSlack, startFakeSlack } from '../../fakes/fake-slack-api.ts';
import { backends, openTestDb, type TestDb } from '../../support/db.ts';
import { TestClock } from '../../support/harness.ts';
import { sign, slashBody, TOKEN, testSlackApp } from './helpers.ts';

const BACKENDS = await backends();

const ACCOUNTS = 'name,industry,region\nAcme,Manufacturing,East\nGlobex,Retail,West\n';
const DEALS_BAD = 'account,title,owner,amount\nAcme,ERP,alice,120k\nGlobex,POS,nobody,12k\nInitech,CRM,alice,lots\n';

describe.each(BACKENDS)('Slack: files sent to the bot on %s', (backend) => {
  let db: TestDb;
  let fake: FakeSlack;
  let clock: TestClock;
  const apps: { slack: ReturnType<typeof testSlackApp>; url: string; stopped: boolean }[] = [];
  let events = 0;

  async function boot() {
    const slack = testSlackApp(fake, db, clock);
    const server = (await slack.start()) as Server;
    const app = { slack, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stopped: false };
    apps.push(app);
    return app;
  }
  const live = () => apps.find((a) => !a.stopped)!;
  const idle = () => Promise.all(apps.filter((a) => !a.stopped).map((a) => a.slack.idle()));

  /** A signed Events API delivery of a `file_share` message in the person's DM with the bot. */
  async function share(user: string, files: { name: string; bytes: Buffer; size?: number }[], eventId?: string) {
    const objects = files.map((f) => ({ ...fake.addUserFile(user, f), ...(f.size ? { size: f.size } : {}) }));
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: eventId ?? `Ev${++events}`,
      event_time: 1_700_000_000,
      event: {
        type: 'message',
        subtype: 'file_share',
        channel: fake.channel(user)?.id ?? `D${user}`,
        channel_type: 'im',
        user,
        text: '',
        ts: `1700000000.${String(events).padStart(6, '0')}`,
        files: objects,
      },
    });
    const res = await fetch(`${live().url}/slack/events`, {
      method: 'POST',
      body,
      headers: { ...sign(body), 'content-type': 'application/json' },
    });
    await idle();
    return res;
  }
  async function slash(user: string, text: string) {
    const body = slashBody(fake, text, { user });
    await fetch(`${live().url}/slack/events`, { method: 'POST', body, headers: sign(body) });
    await idle();
    const hook = new URLSearchParams(body).get('response_url')!.slice(fake.base.length);
    return String(fake.responses(hook).at(-1)?.args.text ?? '');
  }
  const lastDm = (user: string) => fake.messages(user).at(-1)?.text ?? '';
  const csv = (s: string) => Buffer.from(s, 'utf8');

  beforeAll(async () => {
    db = await openTestDb(backend);
    fake = await startFakeSlack({ token: TOKEN, teamId: 'T1' });
    fake.addUser({ id: 'UALICE', name: 'alice', real_name: 'Alice Chen', locale: 'en-US' });
    fake.addUser({ id: 'UBOB', name: 'bob', real_name: 'Bob Li', locale: 'en-US' });
    fake.addUser({ id: 'UCAROL', name: 'carol', real_name: 'Carol Wu', locale: 'zh-CN' });
    clock = new TestClock(new Date('2026-11-23T02:00:00Z'));
    await boot();
    // Alice is the workspace's first member (its admin); Bob a rep; Carol an admin who reads Chinese.
    for (const u of ['UALICE', 'UBOB', 'UCAROL']) await slash(u, 'list');
    await db.prisma.member.updateMany({ where: { externalId: 'UCAROL' }, data: { role: 'admin' } });
  });
  afterAll(async () => {
    for (const a of apps) if (!a.stopped) await a.slack.stop();
    await fake.close();
    await db.destroy();
  });

  it("an admin's CSV is downloaded with the bot token and its dry run comes back by DM", async () => {
    expect((await share('UALICE', [{ name: 'accounts.csv', bytes: csv(`\uFEFF${ACCOUNTS}`) }])).status).toBe(200);
    const dm = lastDm('UALICE');
    expect(dm).toContain('Dry run: 2 account(s), 0 contact(s) and 0 deal(s) would be imported');
    expect(dm).toContain('/deal import confirm');
    expect(dm).toContain('/deal import confirm rooms');
    const download = fake.calls.filter((c) => c.method.startsWith('file_download:')).at(-1);
    expect(download?.token).toBe(TOKEN);
    const uploads = await db.prisma.upload.findMany();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ kind: 'csv', name: 'accounts.csv', text: ACCOUNTS, usedAt: null });
    expect(uploads[0]!.receivedAt.toISOString()).toBe(clock.now().toISOString()); // the app's clock
    expect(await db.prisma.account.count()).toBe(0); // a dry run writes nothing
  });

  it('a redelivered event (same event id) is stored and answered once', async () => {
    const before = fake.messages('UALICE').length;
    await share('UALICE', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }], 'EvSame');
    await share('UALICE', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }], 'EvSame');
    expect(fake.messages('UALICE').length).toBe(before + 1);
    expect(await db.prisma.upload.count()).toBe(2);
  });

  it("a delivery the inbox cannot store is not acknowledged; Slack's retry is then stored and answered once", async () => {
    const repos = live().slack.deps.store.repos;
    const receiveInbound = repos.receiveInbound;
    repos.receiveInbound = async () => {
      throw new Error('database unreachable');
    };
    const before = fake.messages('UALICE').length;
    try {
      const refused = await share('UALICE', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }], 'EvRetry');
      expect(refused.status).not.toBe(200); // Slack retries anything but a 2xx
    } finally {
      repos.receiveInbound = receiveInbound;
    }
    expect(fake.messages('UALICE').length).toBe(before);
    expect((await share('UALICE', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }], 'EvRetry')).status).toBe(200);
    expect(fake.messages('UALICE').length).toBe(before + 1);
    expect(await db.prisma.upload.count()).toBe(3);
  });

  it('every rejected row is listed with its line and why, and how to fix it', async () => {
    await share('UALICE', [{ name: 'deals.csv', bytes: csv(DEALS_BAD) }]);
    const dm = lastDm('UALICE');
    expect(dm).toContain('Dry run: 2 row(s) would be rejected');
    expect(dm).toMatch(/deals\.csv line 3: owner "nobody" is not a member/);
    expect(dm).toMatch(/deals\.csv line 4: amount "lots" is not an amount/);
    expect(dm).toContain('Fix the rows above');
    expect(dm).not.toContain('import confirm');
  });

  it('a rep is refused before anything is downloaded or stored', async () => {
    const downloads = fake.calls.filter((c) => c.method.startsWith('file_download:')).length;
    const uploads = await db.prisma.upload.count();
    await share('UBOB', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }]);
    expect(lastDm('UBOB')).toContain('Only an admin can send the bot files');
    expect(fake.calls.filter((c) => c.method.startsWith('file_download:'))).toHaveLength(downloads);
    expect(await db.prisma.upload.count()).toBe(uploads);
  });

  it('too big, wrong type, several at once, not UTF-8: a clear sentence each, nothing stored', async () => {
    const uploads = await db.prisma.upload.count();
    await share('UALICE', [{ name: 'big.csv', bytes: csv('name\nx\n'), size: 5 * 1024 * 1024 + 1 }]);
    expect(lastDm('UALICE')).toContain('“big.csv” is larger than 5 MB (the limit for a CSV file)');
    await share('UALICE', [{ name: 'processes.yaml', bytes: Buffer.alloc(300 * 1024, 0x61) }]);
    expect(lastDm('UALICE')).toContain('larger than 256 KB (the limit for a process file)');
    await share('UALICE', [{ name: 'deck.pdf', bytes: Buffer.from('%PDF-1.4') }]);
    expect(lastDm('UALICE')).toContain('“deck.pdf” is not a file I can read. Send a .csv file');
    await share('UALICE', [
      { name: 'accounts.csv', bytes: csv(ACCOUNTS) },
      { name: 'deals.csv', bytes: csv(ACCOUNTS) },
    ]);
    expect(lastDm('UALICE')).toContain('You sent 2 files at once');
    await share('UALICE', [{ name: 'accounts.csv', bytes: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe]) }]);
    expect(lastDm('UALICE')).toContain('is not UTF-8 text');
    expect(await db.prisma.upload.count()).toBe(uploads);
  });

  it('a download Slack refuses (its sign-in page instead of the file) is said so, and nothing is stored', async () => {
    // The same adapter with a token Slack does not accept: Slack answers 200 text/html, not an error.
    const wrong = new SlackPlatform({
      client: new WebClient('xoxb-revoked', { slackApiUrl: fake.url }),
      log: silentLogger,
    });
    const platform = live().slack.platform;
    const own = platform.downloadFile;
    platform.downloadFile = wrong.downloadFile.bind(wrong);
    const uploads = await db.prisma.upload.count();
    try {
      await share('UALICE', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }]);
    } finally {
      platform.downloadFile = own;
    }
    const download = fake.calls.filter((c) => c.method.startsWith('file_download:')).at(-1);
    expect(download?.token).toBe('xoxb-revoked');
    expect(download?.response).toMatchObject({ status: 200, body: { html: 'sign-in page' } });
    expect(lastDm('UALICE')).toContain('I could not download “accounts.csv”: the chat platform refused');
    expect(await db.prisma.upload.count()).toBe(uploads);
  });

  it('the token never goes to a host that is not Slack, whatever URL the event names', async () => {
    const platform = live().slack.platform;
    await expect(
      platform.downloadFile(
        { platform: 'slack', externalId: 'T1' },
        { name: 'x.csv', ref: 'https://evil.example/x.csv' },
        {
          maxBytes: 10,
        },
      ),
    ).rejects.toMatchObject({ platformCode: 'foreign_file_url' });
  });

  it('a process file: every error with its line and field (zh), or valid with its processes', async () => {
    await share('UCAROL', [{ name: 'processes.yaml', bytes: csv('processes:\n  - key: x\n    stages: 3\n') }]);
    const dm = lastDm('UCAROL');
    expect(dm).toContain('「processes.yaml」不是有效的流程文件');
    expect(dm).toMatch(/第 3 行，processes\[0\]\.stages：/);
    const text = fs.readFileSync('examples/processes.custom.yaml', 'utf8');
    await share('UCAROL', [{ name: 'team.yml', bytes: csv(text) }]);
    expect(lastDm('UCAROL')).toContain('「team.yml」是有效的流程文件：包含流程 enterprise');
    const kept = await db.prisma.upload.findFirst({ where: { kind: 'process' }, orderBy: { id: 'desc' } });
    expect(kept?.text).toBe(text);
    // `process check` / `process load` with no text take that file: check writes nothing, load puts
    // it in force (the workspace's next version) and uses the upload, so a second load finds none.
    expect(await slash('UBOB', 'process load')).toContain('Only a workspace admin');
    expect(await slash('UCAROL', '流程 检查')).toContain('enterprise');
    expect((await db.prisma.workspace.findFirstOrThrow()).processVersion).toBe(0);
    expect(await slash('UCAROL', '流程 加载')).toContain('enterprise');
    const ws = await db.prisma.workspace.findFirstOrThrow();
    expect(ws.processVersion).toBe(1);
    const loaded = await db.prisma.processFile.findFirstOrThrow({ where: { workspaceId: ws.id, version: 1 } });
    expect(loaded).toMatchObject({ text, source: 'team.yml' });
    expect((await db.prisma.upload.findUniqueOrThrow({ where: { id: kept!.id } })).usedAt).not.toBeNull();
    expect(await slash('UCAROL', '流程 加载')).toContain('没有可供');
    expect(await slash('UALICE', 'process check')).toContain('There is no process file for');
    // Back to the shipped processes for the tests below.
    expect(await slash('UCAROL', 'process reset')).not.toBe('');
    expect((await db.prisma.workspace.findFirstOrThrow()).processVersion).toBe(2);
  });

  it('import confirm on another replica (this one stopped) imports the latest CSV once', async () => {
    await share('UALICE', [{ name: 'accounts.csv', bytes: csv(ACCOUNTS) }]);
    const first = apps[0]!;
    await first.slack.stop();
    first.stopped = true;
    await boot(); // a second replica: a fresh process on the same database
    clock.advance(23 * 3600_000);
    expect(await slash('UBOB', 'import confirm')).toContain('Only an admin');
    const reply = await slash('UALICE', 'import confirm');
    expect(reply).toContain('Imported 2 account(s), 0 contact(s) and 0 deal(s)');
    expect(reply).toContain('(from “accounts.csv”)');
    expect(await db.prisma.account.count()).toBe(2);
    // The upload it used is marked; the older ones (deals.csv with rejected rows) are superseded by it.
    expect(await slash('UALICE', 'import confirm')).toContain('There is no CSV file to import');
    expect(await db.prisma.account.count()).toBe(2);
  });

  it('a CSV older than 24 hours cannot be confirmed; confirm rooms queues the rooms', async () => {
    await share('UALICE', [{ name: 'deals.csv', bytes: csv('account,title,owner\nAcme,ERP rollout,alice\n') }]);
    clock.advance(24 * 3600_000 + 1);
    expect(await slash('UALICE', 'import confirm rooms')).toContain('There is no CSV file to import');
    await share('UALICE', [{ name: 'deals.csv', bytes: csv('account,title,owner\nAcme,ERP rollout,alice\n') }]);
    expect(await slash('UALICE', 'import confirm rooms')).toContain('The bot creates the rooms of the open deals');
    expect(await db.prisma.deal.count({ where: { title: 'ERP rollout' } })).toBe(1);
    const deal = await db.prisma.deal.findFirstOrThrow({ where: { title: 'ERP rollout' } });
    expect(await db.prisma.outboxStep.count({ where: { dealId: deal.id, kind: 'room' } })).toBe(1);
    // The same file again: its dry run says the deal exists, and a confirm adds nothing.
    await share('UALICE', [{ name: 'deals.csv', bytes: csv('account,title,owner\nAcme,ERP rollout,alice\n') }]);
    expect(lastDm('UALICE')).toContain('already exists as deal');
    expect(await slash('UALICE', 'import confirm')).toContain('Nothing imported');
    expect(await db.prisma.deal.count({ where: { title: 'ERP rollout' } })).toBe(1);
    // Refused: the upload stays unused (the mark rolled back with the rest).
    expect(await db.prisma.upload.count({ where: { name: 'deals.csv', usedAt: null } })).toBeGreaterThan(0);
  });
});
