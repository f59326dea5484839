// One contract every chat adapter keeps, so the use cases behave the same on every platform.
// Each case runs against each subject in ./subjects.ts. (The console cannot fail, so the failure
// cases are not generated for it; everything else runs everywhere.)
import { afterEach, describe, expect, it } from 'vitest';
import { plain } from '../../../src/app/message.ts';
import { PlatformError } from '../../../src/domain/errors.ts';
import { SUBJECTS, type Subject } from './subjects.ts';

const card = (text: string) => ({
  text,
  blocks: [
    { type: 'header' as const, text: '#7 Contract — card' },
    { type: 'text' as const, text },
  ],
});

describe.each(SUBJECTS)('%s adapter contract', (_name, make, traits) => {
  let s: Subject;
  afterEach(() => s?.close());
  const boot = async () => {
    s = await make();
    return s;
  };

  it('creates a room and returns its id and name', async () => {
    const { platform, ws } = await boot();
    const room = await platform.createRoom(ws, { name: 'deal-contract', topic: '#7 Contract — card' });
    expect(room.roomId).toEqual(expect.any(String));
    expect(room.name).toEqual(expect.any(String));
  });

  it('a taken name still gives a new, distinct room', async () => {
    const { platform, ws } = await boot();
    const a = await platform.createRoom(ws, { name: 'deal-twice', topic: '#8 Twice' });
    const b = await platform.createRoom(ws, { name: 'deal-twice', topic: '#8 Twice' });
    expect(b.roomId).not.toBe(a.roomId);
  });

  it('inviting someone already in the room is not an error', async () => {
    const { platform, ws, users } = await boot();
    const { roomId } = await platform.createRoom(ws, { name: 'deal-invite', topic: '#9 Invite' });
    await platform.invite(ws, roomId, [users[0]]);
    await platform.invite(ws, roomId, [users[0], users[1], users[1]]);
    expect(s.members(roomId)).toEqual([...users].sort());
  });

  it('posts a card and updates it in place', async () => {
    const { platform, ws } = await boot();
    const { roomId } = await platform.createRoom(ws, { name: 'deal-card', topic: '#10 Card' });
    const { messageId } = await platform.post(ws, roomId, card('stage: lead'));
    expect(messageId).toEqual(expect.any(String));
    await platform.update(ws, roomId, messageId, card('stage: proposal'));
    expect(s.shows({ roomId }, 'stage: proposal')).toBe(true);
  });

  it('updating a deleted card fails as message_not_found (the app then posts a new one)', async () => {
    const { platform, ws } = await boot();
    const { roomId } = await platform.createRoom(ws, { name: 'deal-gone', topic: '#11 Gone' });
    const { messageId } = await platform.post(ws, roomId, card('v1'));
    if (!(await s.deleteMessage(roomId, messageId))) {
      // No deleting on this platform (the console): an update always lands.
      await platform.update(ws, roomId, messageId, card('v2'));
      return;
    }
    await expect(platform.update(ws, roomId, messageId, card('v2'))).rejects.toMatchObject({
      code: 'message_not_found',
    });
  });

  it('sends a direct message to one person', async () => {
    const { platform, ws, users } = await boot();
    await platform.dm(ws, users[1], plain('your morning digest'));
    expect(s.shows({ userId: users[1] }, 'your morning digest')).toBe(true);
  });

  it("knows a person's profile by their platform id", async () => {
    const { platform, ws, users } = await boot();
    expect(await platform.resolveUser(ws, users[0])).toMatchObject({ externalId: users[0], name: expect.any(String) });
  });

  it('closing a room twice is harmless (done, or already_archived which housekeeping accepts)', async () => {
    const { platform, ws } = await boot();
    const { roomId } = await platform.createRoom(ws, { name: 'deal-close', topic: '#12 Close' });
    await platform.archiveRoom(ws, roomId);
    await platform.archiveRoom(ws, roomId).catch((e) => {
      expect(e).toBeInstanceOf(PlatformError);
      expect((e as PlatformError).platformCode).toBe('already_archived');
    });
  });

  it('a room it created is found again by the name and topic it was created with (where it can search)', async () => {
    const { platform, ws } = await boot();
    if (!platform.findRoomByName) return; // the console: nothing survives a crash to adopt
    const { roomId } = await platform.createRoom(ws, { name: 'deal-found', topic: '#16 Found — again' });
    expect(await platform.findRoomByName(ws, 'deal-found', '#16 Found — again')).toMatchObject({ roomId });
    expect(await platform.findRoomByName(ws, 'deal-never-made', '#17 Never made')).toBeNull();
  });

  it('declares what it can do, and brings a closed room back when it says it can', async () => {
    const { platform, ws } = await boot();
    expect(Object.keys(platform.capabilities).sort()).toEqual(
      ['archive', 'forms', 'homeTab', 'pictures', 'privateReplies', 'unarchive'].sort(),
    );
    expect(platform.postImage !== undefined).toBe(platform.capabilities.pictures);
    if (!platform.capabilities.unarchive) return;
    expect(platform.unarchiveRoom).toBeDefined();
    if (!platform.unarchiveRoom) return;
    const { roomId } = await platform.createRoom(ws, { name: 'deal-back', topic: '#18 Back' });
    await platform.archiveRoom(ws, roomId);
    await platform.unarchiveRoom(ws, roomId);
    await platform.post(ws, roomId, card('open again'));
    expect(s.shows({ roomId }, 'open again')).toBe(true);
  });

  if (!traits.canFail) return;

  it('a long rate limit is reported with its wait; nothing is sent', async () => {
    const { platform, ws } = await boot();
    const { roomId } = await platform.createRoom(ws, { name: 'deal-slow', topic: '#13 Slow' });
    s.rateLimitNext('post', 30);
    const e = await platform.post(ws, roomId, card('not now')).catch((x) => x);
    expect(e).toBeInstanceOf(PlatformError);
    expect(e).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
    expect(s.shows({ roomId }, 'not now')).toBe(false);
  });

  it('a permission error is reported as missing_scope', async () => {
    const { platform, ws } = await boot();
    s.denyNext('createRoom');
    await expect(platform.createRoom(ws, { name: 'deal-denied', topic: '#14 Denied' })).rejects.toMatchObject({
      code: 'missing_scope',
    });
  });

  if (!traits.retriesShortRateLimit) return;

  it('a short rate limit is waited out once and the message goes out exactly once', async () => {
    const { platform, ws } = await boot();
    const { roomId } = await platform.createRoom(ws, { name: 'deal-pace', topic: '#15 Pace' });
    s.rateLimitNext('post', 2);
    await platform.post(ws, roomId, card('paced'));
    expect(s.waits).toEqual([2000]);
    expect(s.shows({ roomId }, 'paced')).toBe(true);
  });
});
