// Which processes a workspace follows, and how an admin changes them. A workspace that loaded no
// file of its own follows the base processes (the config file's, else the shipped ones); one that
// did follows its stored file, named by the version on its workspace row, so every replica agrees
// and a command reads nothing more for it. A file is put in force only when it orphans no deal of
// the workspace: otherwise it is refused with the list of those deals, and nothing changes.

import { DealroomError } from '../domain/errors.ts';
import type { Workspace } from '../domain/model.ts';
import { BUILT_IN_PROCESSES, orphanedDeals, type ProcessSet, processSet } from '../domain/process.ts';
import { parseProcessFile } from '../domain/process-file.ts';
import type { Repos, StoredProcessFile } from './ports.ts';

export class ProcessChangeRefused extends Error {
  constructor(
    readonly source: string,
    readonly deals: { workspaceId: string; number: number; process: string; stage: string }[],
  ) {
    const shown = deals.slice(0, 20).map((d) => `#${d.number} (${d.process} / ${d.stage})`);
    const more = deals.length > 20 ? ` …and ${deals.length - 20} more` : '';
    super(
      `${source} would orphan ${deals.length} deal(s) whose process or stage it does not have: ${shown.join(', ')}${more}. ` +
        'Keep those process and stage keys in the file (names may change), or move the deals first.',
    );
    this.name = 'ProcessChangeRefused';
  }
}

/** Where a workspace's processes come from. */
export type ProcessOrigin =
  | { kind: 'built-in' }
  | { kind: 'config'; file: string }
  | { kind: 'loaded'; version: number; source: string; loadedById: string; loadedAt: Date };

/** The processes a workspace follows, where they come from, and the file text (null: built-in). */
export interface WorkspaceProcesses {
  set: ProcessSet;
  origin: ProcessOrigin;
  text: string | null;
}

export const BUILT_IN: WorkspaceProcesses = { set: BUILT_IN_PROCESSES, origin: { kind: 'built-in' }, text: null };

/** Reads the config file's processes (DEALROOM_PROCESS_FILE) at start, checked against the deals
 * of every workspace that follows the base processes. Throws ProcessFileError (line and field of
 * each problem) or ProcessChangeRefused. */
export async function baseProcessesFromFile(repos: Repos, text: string, file: string): Promise<WorkspaceProcesses> {
  const set = processSet(parseProcessFile(text, file));
  const orphans = orphanedDeals(set.list, await repos.listDealStages({ onBaseProcesses: true }));
  if (orphans.length) throw new ProcessChangeRefused(file, orphans);
  return { set, origin: { kind: 'config', file }, text };
}

/** Each replica's parsed process files: a file is parsed once per (workspace, version), and a
 * newer version stored by any replica is read on the workspace's next command (its row says so).
 * The only mutable state of processes; one per Deps. */
export class ProcessCatalog {
  private readonly latest = new Map<string, { version: number; value: WorkspaceProcesses }>();

  constructor(readonly base: WorkspaceProcesses = BUILT_IN) {}

  async forWorkspace(repos: Repos, ws: Pick<Workspace, 'id' | 'processVersion'>): Promise<WorkspaceProcesses> {
    if (!ws.processVersion) return this.base;
    const hit = this.latest.get(ws.id);
    if (hit?.version === ws.processVersion) return hit.value;
    const row = await repos.findProcessFile(ws.id, ws.processVersion);
    if (!row) throw new DealroomError('internal', `process file ${ws.processVersion} of workspace ${ws.id} is missing`);
    const value = this.fromStored(row);
    if (!hit || hit.version < row.version) this.latest.set(ws.id, { version: row.version, value });
    return value;
  }

  private fromStored(row: StoredProcessFile): WorkspaceProcesses {
    if (row.text === null) return this.base; // reset: back to the base processes
    return {
      set: processSet(parseProcessFile(row.text, row.source)),
      origin: {
        kind: 'loaded',
        version: row.version,
        source: row.source,
        loadedById: row.loadedById,
        loadedAt: row.loadedAt,
      },
      text: row.text,
    };
  }
}

const FENCE = '`'.repeat(3);
/** A code fence (three backticks, maybe a language) around pasted text is not part of the file:
 * people paste a file into chat as a code block. */
export function stripFence(text: string): string {
  const body = text.trim();
  if (!body.startsWith(FENCE) || !body.endsWith(FENCE) || body.length < 2 * FENCE.length) return text;
  const inner = body.slice(FENCE.length, -FENCE.length);
  const nl = inner.indexOf('\n');
  // A first line that is only a word (`yaml`, `json`) or nothing is the fence's language.
  return nl !== -1 && /^[A-Za-z]*\s*$/.test(inner.slice(0, nl)) ? inner.slice(nl + 1) : inner;
}

/**
 * Checks a process file's text for one workspace and, unless `dryRun`, stores it as the
 * workspace's next version (in force on every replica from its next command). `text` null puts
 * the base processes back. Throws ProcessFileError (line and field of each problem) or
 * ProcessChangeRefused (the deals it would orphan). Call it inside a transaction: on a throw the
 * caller's transaction rolls back and nothing is written. Entry point for a process file from any
 * source: typed inline in chat, an uploaded .yaml/.json.
 */
export async function loadWorkspaceProcessFile(
  repos: Repos,
  base: WorkspaceProcesses,
  workspaceId: string,
  memberId: string,
  text: string | null,
  source: string,
  o: { dryRun: boolean },
): Promise<{ processes: ProcessSet; version?: number }> {
  const clean = text === null ? null : stripFence(text);
  const processes = clean === null ? base.set : processSet(parseProcessFile(clean, source));
  // Stored first: that locks the workspace row, so a deal being created concurrently (which locks
  // it for its number) is either seen by the check below or waits for the new processes.
  const saved = o.dryRun
    ? undefined
    : await repos.saveProcessFile(workspaceId, { text: clean, source, loadedById: memberId });
  const orphans = orphanedDeals(processes.list, await repos.listDealStages({ workspaceId }));
  if (orphans.length) throw new ProcessChangeRefused(source, orphans);
  return { processes, version: saved?.version };
}
