// The local console as a chat platform: rooms are names, users are names, and everything the bot
// would post is printed. Lets anyone walk through the product with no chat workspace.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Message } from '../../app/message.ts';
import type {
  ChatPlatform,
  ImageTarget,
  ImageUpload,
  PlatformCapabilities,
  UserProfile,
  WorkspaceRef,
} from '../../app/ports.ts';
import { renderText } from './render-text.ts';

export interface ConsoleOptions {
  write: (line: string) => void;
  /** Whether a room id is already used (rooms of earlier sessions live in the database). */
  isTaken: (roomId: string) => Promise<boolean>;
  /** Shows updated cards in full (default: one line per update). */
  verboseCards?: boolean;
  timezone?: string;
  locale?: string;
  /** Where pictures (the funnel) are written; printed as a path to open (default: the OS temp dir). */
  pictureDir?: string;
}

export class ConsolePlatform implements ChatPlatform {
  readonly kind = 'console' as const;
  readonly capabilities: PlatformCapabilities = {
    archive: 'archive',
    unarchive: true,
    privateReplies: true, // printed as "(only @you see this)"
    forms: false,
    homeTab: false,
    pictures: true, // a PNG file, its path printed
  };
  private seq = 0;
  private readonly created = new Set<string>();
  constructor(private readonly o: ConsoleOptions) {}

  private show(where: string, msg: Message) {
    const body = renderText(msg)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    this.o.write(`${where}\n${body}`);
  }

  async createRoom(_ws: WorkspaceRef, req: { name: string; topic: string }) {
    let name = req.name;
    for (let n = 2; this.created.has(name) || (await this.o.isTaken(name)); n++) name = `${req.name}-${n}`;
    this.created.add(name);
    this.o.write(`[#${name}] room created — ${req.topic}`);
    return { roomId: name, name };
  }
  async invite(_ws: WorkspaceRef, roomId: string, userIds: string[]) {
    if (userIds.length) this.o.write(`[#${roomId}] invited ${userIds.map((u) => `@${u}`).join(', ')}`);
  }
  async removeFromRoom(_ws: WorkspaceRef, roomId: string, userIds: string[]) {
    if (userIds.length) this.o.write(`[#${roomId}] removed ${userIds.map((u) => `@${u}`).join(', ')}`);
  }
  async post(_ws: WorkspaceRef, roomId: string, message: Message) {
    const id = `m${++this.seq}`;
    this.show(`[#${roomId}] bot:`, message);
    return { messageId: id };
  }
  async update(_ws: WorkspaceRef, roomId: string, messageId: string, message: Message) {
    if (this.o.verboseCards) this.show(`[#${roomId}] 📌 card updated:`, message);
    else this.o.write(`[#${roomId}] 📌 card updated: ${renderText({ text: message.text, blocks: [] }, (id) => id)}`);
    void messageId;
  }
  async pin(_ws: WorkspaceRef, roomId: string) {
    this.o.write(`[#${roomId}] 📌 card pinned`);
  }
  async dm(_ws: WorkspaceRef, userId: string, message: Message) {
    this.show(`[DM → @${userId}]`, message);
  }
  /** A terminal shows no pictures: the PNG is written to a file and its path printed. */
  async postImage(_ws: WorkspaceRef, target: ImageTarget, image: ImageUpload) {
    const dir = this.o.pictureDir ?? path.join(os.tmpdir(), 'dealroom-pictures');
    await fs.mkdir(dir, { recursive: true });
    // A fresh name each time: an earlier picture stays as it was.
    const file = path.resolve(dir, `${randomBytes(4).toString('hex')}-${path.basename(image.filename)}`);
    await fs.writeFile(file, image.png);
    const where = 'roomId' in target ? `[#${target.roomId}] bot:` : `[DM → @${target.userId}]`;
    this.o.write(`${where}\n  🖼 ${image.title}: ${file}`);
  }
  async resolveUser(_ws: WorkspaceRef, userId: string): Promise<UserProfile> {
    return { externalId: userId, name: userId, displayName: userId, timezone: this.o.timezone, locale: this.o.locale };
  }
  async findUserByName(ws: WorkspaceRef, name: string): Promise<UserProfile> {
    return this.resolveUser(ws, name.toLowerCase());
  }
  async archiveRoom(_ws: WorkspaceRef, roomId: string) {
    this.o.write(`[#${roomId}] room archived`);
  }
  async unarchiveRoom(_ws: WorkspaceRef, roomId: string) {
    this.o.write(`[#${roomId}] room reopened`);
  }
}
