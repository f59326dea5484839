// What every use case receives: its dependencies, and who is speaking where.
import type { Member, Workspace } from '../domain/model.ts';
import type { Locale } from '../domain/process.ts';
import type { Logger } from './logger.ts';
import type { PlatformRegistry } from './platforms.ts';
import type { Clock, PlatformCapabilities, Repos, Store, WorkspaceRef } from './ports.ts';
import type { ProcessCatalog, WorkspaceProcesses } from './process-config.ts';

export interface Deps {
  store: Store;
  /** The platforms this process serves; pick one by the workspace's own platform. */
  platforms: PlatformRegistry;
  clock: Clock;
  log: Logger;
  /** Settings a workspace starts with when its first command arrives. */
  defaults: { currency: string; timezone: string; locale: string };
  /** Each workspace's sales processes (parsed once per replica and version). */
  processes: ProcessCatalog;
}

/** A command as it arrives from any platform, before parsing. */
export interface Invocation {
  ws: WorkspaceRef & { name?: string };
  userId: string; // platform user id of the speaker
  roomId?: string; // where it was typed (channel / chat id), if anywhere
  text: string; // the command text, without the platform's `/deal`
  /** Unique per delivery of one user action: retried deliveries carry the same key. */
  requestKey?: string;
}

/** The speaker once known: workspace and member rows, their language and time zone. */
export interface Actor {
  workspace: Workspace;
  member: Member;
  locale: Locale;
  timezone: string;
  roomId?: string;
}

/** Within one transaction. */
export interface TxContext {
  repos: Repos;
  actor: Actor;
  now: Date;
  /** What the speaker's platform can do (archive, unarchive …). */
  capabilities: PlatformCapabilities;
  /** The speaker's workspace's processes: every deal is read in its workspace's set. */
  processes: WorkspaceProcesses;
}
