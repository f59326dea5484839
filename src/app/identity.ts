// Who is speaking, and who is named. Profiles come from the platform (cached on the member row for
// a day); rows are written inside the command's transaction so a failed command writes nothing.

import type { Mention } from '../commands/types.ts';
import { UserError } from '../domain/errors.ts';
import type { Member, Workspace } from '../domain/model.ts';
import type { Locale } from '../domain/process.ts';
import type { Deps, Invocation } from './context.ts';
import type { Repos, UserProfile, WorkspaceRef } from './ports.ts';

const PROFILE_TTL_MS = 24 * 3600_000;

export function toLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  return tag.toLowerCase().startsWith('zh') ? 'zh' : tag.toLowerCase().startsWith('en') ? 'en' : undefined;
}

/** The language of a room (posts everyone reads): the workspace's. */
export const roomLocale = (ws: Pick<Workspace, 'locale'>): Locale => toLocale(ws.locale) ?? 'en';

/** The ONE place that decides a person's language, for every reply, DM, digest and view: their
 * own setting (`lang zh|en`), else their platform profile's locale, else the workspace's. Never
 * the characters of one command: a Chinese name in an English sentence changes nothing. */
export function personLocale(
  workspace: Pick<Workspace, 'locale'> | null,
  person: Pick<Member, 'language' | 'locale'> | null | undefined,
  profile?: Pick<UserProfile, 'locale'>,
): Locale {
  return (
    toLocale(person?.language) ??
    toLocale(person?.locale ?? profile?.locale) ??
    (workspace ? roomLocale(workspace) : 'en')
  );
}

/** What is known before the transaction: existing rows, and fresh profiles for people whose row
 * is missing or stale. Reads only. */
export interface Prefetch {
  workspace: Workspace | null;
  speaker: Member | null;
  profiles: Map<string, UserProfile>; // platform user id -> profile fetched now
}

async function fetchProfile(deps: Deps, ws: WorkspaceRef, userId: string): Promise<UserProfile | null> {
  try {
    return await deps.platforms.get(ws.platform).resolveUser(ws, userId);
  } catch (e) {
    deps.log.warn({ err: e, userId }, 'profile lookup failed; using what we have');
    return null;
  }
}

export async function prefetchSpeaker(deps: Deps, inv: Invocation): Promise<Prefetch> {
  const r = deps.store.repos;
  const workspace = await r.findWorkspace(inv.ws.platform, inv.ws.externalId);
  const speaker = workspace ? await r.findMemberByExternalId(workspace.id, inv.userId) : null;
  const profiles = new Map<string, UserProfile>();
  const stale = !speaker?.profileAt || deps.clock.now().getTime() - speaker.profileAt.getTime() > PROFILE_TTL_MS;
  if (stale) {
    const p = await fetchProfile(deps, inv.ws, inv.userId);
    if (p) profiles.set(inv.userId, p);
  }
  return { workspace, speaker, profiles };
}

/** Fetches profiles of mentioned platform users the workspace does not know yet. */
export async function prefetchMentions(
  deps: Deps,
  ws: WorkspaceRef,
  workspace: Workspace | null,
  mentions: Mention[],
  into: Map<string, UserProfile>,
) {
  for (const m of mentions) {
    if (m.kind === 'id') {
      if (into.has(m.id)) continue;
      const known = workspace && (await deps.store.repos.findMemberByExternalId(workspace.id, m.id));
      if (known) continue;
      const p = await fetchProfile(deps, ws, m.id);
      if (p) into.set(m.id, p);
    } else if (deps.platforms.get(ws.platform).findUserByName) {
      const known = workspace && (await deps.store.repos.findMembersByName(workspace.id, m.name));
      if (known?.length) continue;
      const p = await deps.platforms.get(ws.platform).findUserByName!(ws, m.name);
      if (p) into.set(`name:${m.name.toLowerCase()}`, p);
    }
  }
}

export function timezoneFor(
  workspace: Workspace | null,
  speaker: Member | null,
  profile: UserProfile | undefined,
): string {
  return speaker?.timezone ?? profile?.timezone ?? workspace?.timezone ?? 'UTC';
}

/** Inside the transaction: the workspace and speaker rows, created on first contact. The first
 * member of a workspace becomes its admin. */
export async function ensureSpeaker(
  repos: Repos,
  inv: Invocation,
  pre: Prefetch,
  now: Date,
  defaults: Deps['defaults'],
): Promise<{ workspace: Workspace; member: Member }> {
  const workspace =
    pre.workspace ??
    (await repos.findWorkspace(inv.ws.platform, inv.ws.externalId)) ??
    (await repos.createWorkspace(inv.ws.platform, inv.ws.externalId, {
      name: inv.ws.name ?? '',
      defaultCurrency: defaults.currency,
      timezone: defaults.timezone,
      locale: defaults.locale,
    }));
  const profile = pre.profiles.get(inv.userId);
  let member = await repos.findMemberByExternalId(workspace.id, inv.userId);
  if (!member) {
    const first = (await repos.countMembers(workspace.id)) === 0;
    member = await repos.createMember(workspace.id, {
      externalId: inv.userId,
      name: profile?.name ?? inv.userId,
      displayName: profile?.displayName ?? '',
      timezone: profile?.timezone ?? null,
      locale: profile?.locale ?? null,
      profileAt: profile ? now : null,
      role: first ? 'admin' : 'rep',
    });
  } else if (profile) {
    member = await repos.updateMember(workspace.id, member.id, {
      name: profile.name,
      displayName: profile.displayName,
      timezone: profile.timezone ?? member.timezone,
      locale: profile.locale ?? member.locale,
      profileAt: now,
    });
  }
  return { workspace, member };
}

/** A person of another workspace never becomes a member here: a user id alone names no
 * workspace, so without this an admin could add anyone's id to their team and have the bot
 * DM them. (Slack Connect and Enterprise Grid users of other teams are refused alike.) */
function assertSameWorkspace(workspace: Workspace, p: UserProfile) {
  if (p.teamId && p.teamId !== workspace.externalId) throw new UserError('user.other_workspace', { user: p.name });
}

/** Members for mentions, creating rows for platform users seen for the first time. A plain
 * `@name` must match exactly one known member (or one the platform can find by name). */
export async function resolveMentions(
  repos: Repos,
  workspace: Workspace,
  mentions: Mention[],
  profiles: Map<string, UserProfile>,
  now: Date,
): Promise<Member[]> {
  const out: Member[] = [];
  for (const m of mentions) {
    let member: Member | null = null;
    if (m.kind === 'id') {
      member = await repos.findMemberByExternalId(workspace.id, m.id);
      if (!member) {
        const p = profiles.get(m.id);
        if (!p) throw new UserError('user.not_found', { user: m.name ?? m.id });
        if (p.isBot) throw new UserError('user.is_bot', { user: p.name });
        assertSameWorkspace(workspace, p);
        member = await repos.createMember(workspace.id, {
          externalId: m.id,
          name: p.name,
          displayName: p.displayName,
          timezone: p.timezone ?? null,
          locale: p.locale ?? null,
          profileAt: now,
        });
      }
    } else {
      const found = await repos.findMembersByName(workspace.id, m.name);
      if (found.length > 1) throw new UserError('user.ambiguous', { user: m.name, count: found.length });
      member = found[0] ?? null;
      if (!member) {
        const p = profiles.get(`name:${m.name.toLowerCase()}`);
        if (!p) throw new UserError('user.unknown_name', { user: m.name });
        assertSameWorkspace(workspace, p);
        member = await repos.createMember(workspace.id, {
          externalId: p.externalId,
          name: p.name,
          displayName: p.displayName,
          timezone: p.timezone ?? null,
          locale: p.locale ?? null,
          profileAt: now,
        });
      }
    }
    if (!out.some((x) => x.id === member!.id)) out.push(member);
  }
  return out;
}

export const displayName = (m: Pick<Member, 'displayName' | 'name'>) => m.displayName || m.name;
