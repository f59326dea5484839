// The chat platforms this process serves, keyed by kind. Everything that talks to a platform picks
// it from the workspace it acts for (WorkspaceRef.platform), so one process can serve Slack and
// Lark side by side; jobs run once per registered platform.
import { DealroomError } from '../domain/errors.ts';
import type { PlatformKind } from '../domain/model.ts';
import type { ChatPlatform } from './ports.ts';

export class PlatformRegistry {
  private readonly byKind = new Map<PlatformKind, ChatPlatform>();

  constructor(platforms: ChatPlatform[] = []) {
    for (const p of platforms) this.register(p);
  }

  /** Adds a platform; a second one of the same kind is a wiring mistake. */
  register(platform: ChatPlatform): this {
    if (this.byKind.has(platform.kind))
      throw new DealroomError('platform_registered_twice', `platform ${platform.kind} is registered twice`);
    this.byKind.set(platform.kind, platform);
    return this;
  }

  /** The platform of a workspace; throws `platform_not_registered` when this process does not serve it. */
  get(kind: PlatformKind): ChatPlatform {
    const p = this.byKind.get(kind);
    if (!p) throw new DealroomError('platform_not_registered', `no ${kind} platform is registered in this process`);
    return p;
  }

  all(): ChatPlatform[] {
    return [...this.byKind.values()];
  }
}
