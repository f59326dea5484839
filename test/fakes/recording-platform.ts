// An in-memory ChatPlatform for use-case tests: records every call, fails on request.
// (Platform adapters are tested against fakes of the real Web APIs under test/platforms.)

import type { Message } from '../../src/app/message.ts';
import type { ChatPlatform, PlatformCapabilities, UserProfile, WorkspaceRef } from '../../src/app/ports.ts';
import { PlatformError, type PlatformErrorCode } from '../../src/domain/errors.ts';
import type { PlatformKind } from '../../src/domain/model.ts';

export interface PlatformCall {
  op: string;
  ws: string;
  roomId?: string;
  userId?: string;
  userIds?: string[];
  message?: Message;
  messageId?: string;
  name?: string;
}

export class RecordingPlatform implements ChatPlatform {
  constructor(readonly kind: PlatformKind = 'slack') {}
  /** Slack's by default; a test may declare another platform's. */
  capabilities: PlatformCapabilities = {
    archive: 'archive',
    unarchive: false,
    privateReplies: true,
    forms: true,
    homeTab: true,
    pictures: false, // no postImage
  };
  calls: PlatformCall[] = [];
  users = new Map<string, UserProfile>();
  private seq = 0;
  private failures = new Map<string, PlatformError[]>();
  /** Messages deleted behind the app's back: updating one fails like on a real platform. */
  deleted = new Set<string>();

  addUser(p: Partial<UserProfile> & { externalId: string }) {
    this.users.set(p.externalId, { name: p.externalId.toLowerCase(), displayName: '', ...p });
    return this;
  }
  /** Rooms created, by id: what `findRoomByName` searches (as a platform lists the bot's rooms). */
  rooms = new Map<string, { roomId: string; name: string; topic: string }>();
  /** The next call of `op` throws this platform error (`times` calls in a row). */
  failNext(
    op: string,
    code: PlatformErrorCode,
    platformCode: string = code,
    o: { retryAfterSeconds?: number; times?: number } = {},
  ) {
    const errors = Array.from(
      { length: o.times ?? 1 },
      () => new PlatformError(code, platformCode, `fake ${platformCode}`, o.retryAfterSeconds),
    );
    this.failures.set(op, [...(this.failures.get(op) ?? []), ...errors]);
  }
  of(op: string) {
    return this.calls.filter((c) => c.op === op);
  }
  private hit(op: string, c: Omit<PlatformCall, 'op'>) {
    const f = this.failures.get(op)?.shift();
    if (f) throw f;
    this.calls.push({ op, ...c });
  }

  async createRoom(ws: WorkspaceRef, req: { name: string; topic: string }) {
    this.hit('createRoom', { ws: ws.externalId, name: req.name });
    const roomId = `C${String(++this.seq).padStart(4, '0')}`;
    this.rooms.set(roomId, { roomId, name: req.name, topic: req.topic });
    return { roomId, name: req.name };
  }
  async findRoomByName(ws: WorkspaceRef, name: string) {
    this.hit('findRoomByName', { ws: ws.externalId, name });
    return [...this.rooms.values()].find((r) => r.name === name) ?? null;
  }
  async invite(ws: WorkspaceRef, roomId: string, userIds: string[]) {
    this.hit('invite', { ws: ws.externalId, roomId, userIds });
  }
  async removeFromRoom(ws: WorkspaceRef, roomId: string, userIds: string[]) {
    this.hit('removeFromRoom', { ws: ws.externalId, roomId, userIds });
  }
  async post(ws: WorkspaceRef, roomId: string, message: Message) {
    this.hit('post', { ws: ws.externalId, roomId, message });
    return { messageId: `m${++this.seq}` };
  }
  async update(ws: WorkspaceRef, roomId: string, messageId: string, message: Message) {
    if (this.deleted.has(messageId)) throw new PlatformError('message_not_found', 'message_not_found', 'fake deleted');
    this.hit('update', { ws: ws.externalId, roomId, messageId, message });
  }
  async pin(ws: WorkspaceRef, roomId: string, messageId: string) {
    this.hit('pin', { ws: ws.externalId, roomId, messageId });
  }
  async dm(ws: WorkspaceRef, userId: string, message: Message) {
    this.hit('dm', { ws: ws.externalId, userId, message });
  }
  async resolveUser(_ws: WorkspaceRef, userId: string) {
    return this.users.get(userId) ?? null;
  }
  async archiveRoom(ws: WorkspaceRef, roomId: string) {
    this.hit('archiveRoom', { ws: ws.externalId, roomId });
  }
  async unarchiveRoom(ws: WorkspaceRef, roomId: string) {
    this.hit('unarchiveRoom', { ws: ws.externalId, roomId });
  }
}
