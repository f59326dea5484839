// Funnel maths across processes (each deal measured in its own process) and the pipeline now
// (count, amount and weighted amount per stage), shared by `/deal pipeline`, the digests and the
// funnel picture. Pure, like funnel.ts.
import {
  type CoachingFocus,
  Exact,
  type FunnelChanges,
  funnelChanges,
  type WeeklyReport,
  type WeeklyStats,
  weeklyReport,
  weeklyReportOf,
  weeklyWindows,
} from './funnel.ts';
import type { Deal, DealEvent } from './model.ts';
import { type Locale, openStages, type Process } from './process.ts';

// ---- the pipeline now: count, amount and weighted amount per open stage of one process ----

/** One open stage of the pipeline. Amounts are exact decimal strings in one currency. */
export interface FunnelStageRow {
  key: string;
  label: string;
  probability: number;
  count: number;
  amount: string;
  weighted: string;
  /** Share of deals that entered this stage and moved on to a later one (null: none entered). */
  conversion: number | null;
}

/** Pipeline rows from open deals of one process: count, amount and weighted amount per stage
 * (deals in other currencies are counted but add no money; the caller says so in the text). */
export function pipelineRows(
  process: Process,
  deals: { stage: string; amount: string | null; currency: string }[],
  currency: string,
  locale: Locale,
  conversion: Record<string, number | null> = {},
): FunnelStageRow[] {
  return openStages(process).map((s) => {
    const inStage = deals.filter((d) => d.stage === s.key);
    const sum = inStage
      .filter((d) => d.currency === currency)
      .reduce((acc, d) => acc.plus(d.amount ?? 0), new Exact(0));
    return {
      key: s.key,
      label: s.names[locale],
      probability: s.probability,
      count: inStage.length,
      amount: sum.toFixed(2),
      weighted: sum.times(String(s.probability)).toFixed(2),
      conversion: conversion[s.key] ?? null,
    };
  });
}

// ---- several processes at once: each deal is replayed in its own process ----

/** The deals of one process and their events. */
function ofProcess(p: Process, deals: Deal[], events: DealEvent[]) {
  const mine = deals.filter((d) => d.process === p.key);
  const ids = new Set(mine.map((d) => d.id));
  return { deals: mine, events: events.filter((e) => ids.has(e.dealId)) };
}
const byTime = <T extends { at: Date; deal: Deal }>(a: T, b: T) =>
  a.at.getTime() - b.at.getTime() || a.deal.number - b.deal.number;

/** funnelChanges per process, joined: moves and closes in time order, each process's stages in
 * its own funnel order (tagged with the process when there is more than one). */
export function funnelChangesAcross(input: {
  deals: Deal[];
  events: DealEvent[];
  since: Date;
  until: Date;
  processes: readonly Process[];
}): FunnelChanges {
  const { since, until, processes } = input;
  const parts = processes.map((p) => ({
    p,
    f: funnelChanges({ ...ofProcess(p, input.deals, input.events), since, until, process: p }),
  }));
  if (parts.length === 1 && parts[0]) return parts[0].f;
  return {
    since,
    until,
    newDeals: parts.flatMap((x) => x.f.newDeals).sort(byTime),
    advances: parts.flatMap((x) => x.f.advances).sort(byTime),
    regressions: parts.flatMap((x) => x.f.regressions).sort(byTime),
    won: parts.flatMap((x) => x.f.won).sort(byTime),
    lost: parts.flatMap((x) => x.f.lost).sort(byTime),
    stages: parts.flatMap((x) => x.f.stages.map((s) => ({ ...s, process: x.p.key }))),
  };
}

/** weeklyReport per process, joined: conversion and time per stage of each process; a rep's
 * coaching focus is the stage, in any process, where they lag the team the most. Replayed from
 * the events here; the digest asks the database for the same statistics (weeklyReportFromStats). */
export function weeklyReportAcross(input: {
  events: DealEvent[];
  deals: Deal[];
  now: Date;
  processes: readonly Process[];
  reps: { id: string; name: string }[];
}): WeeklyReport {
  return joinWeekly(
    input.processes.map((p) => ({
      p,
      w: weeklyReport({ ...ofProcess(p, input.deals, input.events), now: input.now, process: p, reps: input.reps }),
    })),
    input.reps,
  );
}

/** The same report from each process's statistics, computed elsewhere (the database's aggregates). */
export function weeklyReportFromStats(input: {
  now: Date;
  processes: readonly Process[];
  stats: (process: Process) => WeeklyStats;
  reps: { id: string; name: string }[];
}): WeeklyReport {
  const windows = weeklyWindows(input.now);
  return joinWeekly(
    input.processes.map((p) => ({ p, w: weeklyReportOf({ ...windows, stats: input.stats(p), reps: input.reps }) })),
    input.reps,
  );
}

function joinWeekly(parts: { p: Process; w: WeeklyReport }[], reps: { id: string; name: string }[]): WeeklyReport {
  const [first] = parts;
  if (!first) throw new Error('weeklyReportAcross needs at least one process');
  if (parts.length === 1) return first.w;
  return {
    current: first.w.current,
    previous: first.w.previous,
    stages: parts.flatMap((x) => x.w.stages.map((s) => ({ ...s, process: x.p.key }))),
    gates: parts.flatMap((x) => x.w.gates.map((g) => ({ ...g, process: x.p.key }))),
    coaching: reps.map((rep, i) => {
      const foci = parts.flatMap((x) => {
        const focus = x.w.coaching[i]?.focus;
        return focus ? [{ ...focus, process: x.p.key }] : [];
      });
      const focus = foci.reduce<CoachingFocus | null>((best, f) => (!best || f.gap > best.gap ? f : best), null);
      return { rep, focus };
    }),
  };
}
