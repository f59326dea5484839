// Puts a team's process file in force: parsed and checked (process-file.ts), then checked against
// the deals already stored: a file that would leave a deal in a process or stage it no longer has
// is refused with the list of those deals, and nothing changes.

import { orphanedDeals, type Process, useProcesses } from '../domain/process.ts';
import { parseProcessFile } from '../domain/process-file.ts';
import type { Repos } from './ports.ts';

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

/** Checks a process file's text against the stored deals and puts it in force. Throws
 * ProcessFileError (line and field of each problem) or ProcessChangeRefused; changes nothing then. */
export async function applyProcessFile(repos: Repos, text: string, source: string): Promise<Process[]> {
  const processes = parseProcessFile(text, source);
  const orphans = orphanedDeals(processes, await repos.listDealStages());
  if (orphans.length) throw new ProcessChangeRefused(source, orphans);
  useProcesses(processes);
  return processes;
}
