// The Lark adapter's own behaviour against the fake Open API through the real SDK client.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/app/logger.ts';
import { plain } from '../../../src/app/message.ts';
import { LarkPlatform } from '../../../src/platforms/lark/lark-platform.ts';
import { type FakeLark, startFakeLark } from '../../fakes/fake-lark-api.ts';
import { ALICE, BOB, seedPeople } from './helpers.ts';

let fake: FakeLark;
const ws = { platform: 'lark' as const, externalId: 'tenant-acme' };
const waits: number[] = [];
const make = (secret?: string) =>
  new LarkPlatform({
    client: new lark.Client({
      appId: fake.appId,
      appSecret: secret ?? fake.appSecret,
      domain: fake.base,
      cache: new lark.DefaultCache(),
      logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
    }),
    log: silentLogger,
    maxRetryWaitMs: 3000,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
let p: LarkPlatform;
beforeAll(async () => {
  fake = await startFakeLark();
  seedPeople(fake);
  p = make();
});
afterAll(() => fake.close());

describe('Lark adapter', () => {
  it('fetches the tenant token once and sends it as a bearer token', async () => {
    await p.dm(ws, ALICE, plain('one'));
    await p.dm(ws, ALICE, plain('two'));
    expect(fake.callsOf('token')).toHaveLength(1);
    expect(fake.callsOf('message.create').map((c) => c.query.receive_id_type)).toEqual(['open_id', 'open_id']);
    expect(new Set(fake.callsOf('message.create').map((c) => c.auth)).size).toBe(1);
  });

  it('learns its own open_id from bot/v3/info once and never invites itself', async () => {
    const { roomId } = await p.createRoom(ws, { name: 'x', topic: '#1 Acme' });
    await p.invite(ws, roomId, [fake.botOpenId, ALICE]);
    await p.invite(ws, roomId, [BOB]);
    expect(fake.callsOf('bot.info')).toHaveLength(1);
    expect(fake.callsOf('chatMembers.create').map((c) => c.body?.id_list)).toEqual([[ALICE], [BOB]]);
  });

  it('a retried send after a rate limit carries the same uuid (Lark sends it once)', async () => {
    const { roomId } = await p.createRoom(ws, { name: 'x', topic: '#2 Pace' });
    fake.failNext('message.create', { rateLimit: 2 });
    await p.post(ws, roomId, plain('paced'));
    const sends = fake.callsOf('message.create').slice(-2);
    expect(sends.map((c) => c.response?.status)).toEqual([429, 200]);
    expect(sends[0].body?.uuid).toBe(sends[1].body?.uuid);
    expect(waits.at(-1)).toBe(2000);
    expect(fake.state.messagesIn(roomId)).toHaveLength(1);
  });

  it.each([
    ['the bot is not in the group', 'not_in_channel'],
    ['the person is unknown', 'user_not_found'],
  ])('maps errors: %s -> %s', async (what, code) => {
    if (what.startsWith('the bot')) {
      const chat = fake.state.addChat({ name: 'elsewhere', members: [ALICE], bot: false });
      await expect(p.post(ws, chat.chat_id, plain('x'))).rejects.toMatchObject({ code, platformCode: '230002' });
    } else await expect(p.dm(ws, 'ou_nobody', plain('x'))).rejects.toMatchObject({ code });
  });

  it('invites whoever can be added and reports the rest', async () => {
    const { roomId } = await p.createRoom(ws, { name: 'x', topic: '#3 Mixed' });
    await expect(p.invite(ws, roomId, [ALICE, 'ou_ghost'])).rejects.toMatchObject({ code: 'user_not_found' });
    expect(fake.state.chats.get(roomId)!.members.has(ALICE)).toBe(true);
  });

  it('a wrong app secret is a permission problem, not a crash', async () => {
    await expect(make('wrong').dm(ws, ALICE, plain('x'))).rejects.toMatchObject({ code: 'missing_scope' });
  });

  it('people: name and time zone from the contact API, cached; unknown people are null', async () => {
    expect(await p.resolveUser(ws, ALICE)).toEqual({
      externalId: ALICE,
      name: '陈爱丽',
      displayName: '陈爱丽',
      timezone: 'Asia/Shanghai',
    });
    await p.resolveUser(ws, ALICE);
    expect(fake.callsOf('user.get').filter((c) => c.path.endsWith(ALICE))).toHaveLength(1);
    expect(fake.callsOf('user.get')[0].query).toEqual({ user_id_type: 'open_id' });
    expect(await p.resolveUser(ws, 'ou_nobody')).toBeNull();
  });

  it('closing renames the group once; reopening takes the mark off the same group', async () => {
    const { roomId } = await p.createRoom(ws, { name: 'x', topic: '#4 Closing' });
    await p.archiveRoom(ws, roomId);
    await p.archiveRoom(ws, roomId);
    expect(fake.state.chats.get(roomId)!.name).toBe('🔒 #4 Closing');
    expect(fake.callsOf('chat.update')).toHaveLength(1);
    await p.unarchiveRoom(ws, roomId);
    await p.unarchiveRoom(ws, roomId);
    expect(fake.state.chats.get(roomId)!.name).toBe('#4 Closing');
    expect(fake.callsOf('chat.update')).toHaveLength(2);
  });

  it('declares what Lark can do: mark closed and unmark, no private replies, forms or home tab', () => {
    expect(p.capabilities).toEqual({
      archive: 'mark',
      unarchive: true,
      privateReplies: false,
      forms: false,
      homeTab: false,
      pictures: true,
    });
  });

  it('a keyed DM sent twice (a digest resent after an interruption) arrives once; wasDelivered never claims it', async () => {
    const sends = fake.callsOf('message.create').length;
    await p.dm(ws, BOB, plain('digest of Monday'), { key: 'delivery-1' });
    expect(await p.wasDelivered(ws, BOB, 'delivery-1')).toBe(false);
    await p.dm(ws, BOB, plain('digest of Monday'), { key: 'delivery-1' });
    await p.dm(ws, ALICE, plain('digest of Monday'), { key: 'delivery-1' }); // another person: its own uuid
    const calls = fake.callsOf('message.create').slice(sends);
    expect(calls).toHaveLength(3);
    expect(calls[0].body?.uuid).toBe(calls[1].body?.uuid);
    expect(String(calls[0].body?.uuid).length).toBeLessThanOrEqual(50);
    expect(calls[2].body?.uuid).not.toBe(calls[0].body?.uuid);
    const bob = fake.state.messagesIn(fake.state.p2p(BOB)!.chat_id);
    expect(bob.filter((m) => JSON.stringify(m.content).includes('digest of Monday'))).toHaveLength(1);
  });

  it('finds the group it created for a room by its topic, across pages of the bot’s chats', async () => {
    const { roomId } = await p.createRoom(ws, { name: 'deal-acme-lost', topic: '#7 Acme — Lost answer' });
    for (let i = 0; i < 150; i++) fake.state.addChat({ name: `other ${i}` }); // newer chats come first
    const lists = fake.callsOf('chat.list').length;
    expect(await p.findRoomByName(ws, 'deal-acme-lost', '#7 Acme — Lost answer')).toEqual({
      roomId,
      name: '#7 Acme — Lost answer',
      topic: '#7 Acme — Lost answer',
    });
    const calls = fake.callsOf('chat.list').slice(lists);
    expect(calls.length).toBeGreaterThanOrEqual(2); // the second page
    expect(calls[0].query).toMatchObject({ sort_type: 'ByActiveTimeDesc', page_size: '100' });
    expect(await p.findRoomByName(ws, 'deal-nobody', '#99 Nobody')).toBeNull();
  });

  describe('pictures (im.v1.image.create, then an image message)', () => {
    // A real PNG's first bytes are enough for Lark's format check; the rest is opaque to it.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]);
    const picture = { png, filename: 'funnel-solution.png', title: 'Pipeline', altText: 'Funnel picture' };

    it("uploads the PNG as a message image and sends it to the person's chat with the bot", async () => {
      await p.postImage(ws, { userId: BOB }, picture);
      const up = fake.callsOf('image.create').at(-1)!;
      expect(up.auth).toMatch(/^Bearer t-/);
      expect(up.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const [img] = fake.state.imagesIn(fake.state.p2p(BOB)!.chat_id);
      // Sent with its name and type, the bytes unchanged.
      expect(img).toMatchObject({ image_type: 'message', filename: 'funnel-solution.png', mimeType: 'image/png' });
      expect(img.bytes.equals(png)).toBe(true);
      const send = fake.callsOf('message.create').at(-1)!;
      expect(send.query).toMatchObject({ receive_id_type: 'open_id' });
      expect(send.body).toMatchObject({ receive_id: BOB, msg_type: 'image', uuid: expect.any(String) });
      expect(JSON.parse(String(send.body!.content))).toEqual({ image_key: img.image_key });
    });

    it('posts into a group by chat_id', async () => {
      const { roomId } = await p.createRoom(ws, { name: 'deal-pic', topic: '#21 Picture' });
      await p.postImage(ws, { roomId }, picture);
      expect(fake.state.imagesIn(roomId)).toHaveLength(1);
      expect(fake.callsOf('message.create').at(-1)!.query).toMatchObject({ receive_id_type: 'chat_id' });
    });

    it('a short rate limit on either call is waited out once; the image arrives once', async () => {
      const before = fake.state.imagesIn(fake.state.p2p(ALICE)?.chat_id ?? '').length;
      fake.failNext('image.create', { rateLimit: 1 });
      fake.failNext('message.create', { rateLimit: 2 });
      waits.length = 0;
      await p.postImage(ws, { userId: ALICE }, picture);
      expect(waits).toEqual([1000, 2000]);
      expect(fake.state.imagesIn(fake.state.p2p(ALICE)!.chat_id)).toHaveLength(before + 1);
    });

    it.each([
      ['no permission (im:resource)', 'missing_scope', { code: 99991672 }],
      ['no bot ability', 'missing_scope', { code: 234007 }],
      ['a rate limit longer than the retry wait', 'rate_limited', { rateLimit: 30 }],
    ] as const)('%s: reported as %s, nothing sent', async (_what, code, failure) => {
      const sends = fake.callsOf('message.create').length;
      fake.failNext('image.create', failure);
      await expect(p.postImage(ws, { userId: BOB }, picture)).rejects.toMatchObject({ code });
      expect(fake.callsOf('message.create')).toHaveLength(sends);
    });

    it.each([
      ['empty', '234010', Buffer.alloc(0)],
      ['not an image', '234011', Buffer.from('<svg/>')],
      ['over 10 MB', '234006', Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)])],
    ])('the fake refuses an upload that is %s like Lark (%s)', async (_what, platformCode, bytes) => {
      await expect(p.postImage(ws, { userId: BOB }, { ...picture, png: bytes })).rejects.toMatchObject({
        code: 'api_error',
        platformCode,
      });
    });
  });
});
