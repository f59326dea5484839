// Funnel maths for manager digests, replayed from the event log. Pure: every instant comes in as
// an argument. The method (METHOD.md) reads conversion RATE and conversion TIME together, so a
// stage's stats always carry both, and each window is compared with the one before it.
import { Decimal } from 'decimal.js';
import type { Deal, DealEvent } from './model.ts';
import { isAdvance, openStages, type Process, type StageKey } from './process.ts';

export const DAY_MS = 86_400_000;

// ---- exact money: amounts are decimal strings (Decimal(16,2) in the database), never floats ----

/** Per-currency sums, e.g. `{ USD: '1200.50', CNY: '30000.00' }`: currencies are never mixed. */
export type Amounts = Record<string, string>;

/** Decimal arithmetic for money (decimal.js, base 10). 60 significant digits: a sum of any number
 * of Decimal(16,2) amounts stays exact to the cent (the default 20 would round past 10^18). */
export const Exact = Decimal.clone({ precision: 60 });

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;
const exact = (s: string) => {
  if (!DECIMAL.test(s.trim())) throw new Error(`Not a decimal amount: "${s}"`);
  return new Exact(s.trim());
};

/** Exact sum of two decimal strings, with at least two decimals (cents) and as many as either has. */
export function addDecimal(a: string, b: string): string {
  const x = exact(a);
  const y = exact(b);
  return x.plus(y).toFixed(Math.max(2, x.decimalPlaces(), y.decimalPlaces()));
}

function addAmount(acc: Amounts, amount: string | null, currency: string) {
  if (amount === null || amount === '') return; // an unpriced deal counts, but adds no money
  acc[currency] = addDecimal(acc[currency] ?? '0', amount);
}

// ---- replay: each deal's stage and amount over time ----

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface StageState {
  at: Date;
  stage: StageKey;
  event: DealEvent | null;
}
interface AmountState {
  at: Date;
  amount: string | null;
  currency: string;
}
interface Timeline {
  deal: Deal;
  states: StageState[];
  amounts: AmountState[];
}

/** The stage an event leaves the deal in, for the events that move it; undefined for the rest.
 * Won and lost land in the process's stage with that flag (whatever the file calls it). */
function stageAfter(e: DealEvent, process: Process): StageKey | undefined {
  const d = rec(e.data);
  switch (e.type) {
    case 'created':
      return str(rec(d.after).stage);
    case 'stage_changed':
      return str(d.after);
    case 'won':
    case 'lost':
      return process.stages.find((s) => s.terminal === e.type)?.key ?? e.type;
    case 'reopened':
    case 'process_changed':
      return str(rec(d.after).stage);
    default:
      return undefined;
  }
}

/** The stage an event moved the deal away from (used only when history lacks a `created`). */
function stageBefore(e: DealEvent): StageKey | undefined {
  const d = rec(e.data);
  return e.type === 'reopened' ? str(rec(d.before).stage) : str(d.before);
}

function amountAfter(e: DealEvent, prev: AmountState | undefined): Omit<AmountState, 'at'> | undefined {
  const d = rec(e.data);
  const money = (m: Record<string, unknown>) => ({
    amount: str(m.amount) ?? null,
    currency: str(m.currency) ?? prev?.currency ?? '',
  });
  if (e.type === 'created') return money(rec(d.after));
  if (e.type === 'won' || e.type === 'lost') return money(d);
  if (e.type === 'field_changed' && d.field === 'amount') return money(rec(d.after));
  if (e.type === 'field_changed' && d.field === 'currency' && prev)
    return { amount: prev.amount, currency: str(d.after) ?? prev.currency };
  return undefined;
}

/** Timelines of the deals of `process` (another process's stage keys mean other things).
 * History written before the event log existed has no `created`: the deal then starts at its
 * `createdAt` in the stage its first move left (or its current stage if it never moved). */
function timelines(deals: Deal[], events: DealEvent[], process: Process): Map<string, Timeline> {
  const map = new Map<string, Timeline>();
  for (const deal of deals) if (deal.process === process.key) map.set(deal.id, { deal, states: [], amounts: [] });
  // Stable sort: the log is ascending already, but same-instant events must keep their order.
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i)
    .map((x) => x.e);
  for (const e of sorted) {
    const tl = map.get(e.dealId);
    if (!tl) continue;
    const stage = stageAfter(e, process);
    if (stage !== undefined) {
      if (!tl.states.length && e.type !== 'created')
        tl.states.push({ at: tl.deal.createdAt, stage: stageBefore(e) ?? stage, event: null });
      tl.states.push({ at: e.at, stage, event: e });
    }
    const money = amountAfter(e, tl.amounts.at(-1));
    if (money && !tl.amounts.length && e.type === 'field_changed') {
      // Events loaded from a window only: the money before the first edit is in the edit itself.
      const before = rec(rec(e.data).before);
      const currency = rec(e.data).field === 'currency' ? str(rec(e.data).before) : str(before.currency);
      tl.amounts.push({
        at: tl.deal.createdAt,
        amount: rec(e.data).field === 'currency' ? tl.deal.amount : (str(before.amount) ?? null),
        currency: currency ?? tl.deal.currency,
      });
    }
    if (money) tl.amounts.push({ at: e.at, ...money });
  }
  for (const tl of map.values()) {
    if (!tl.states.length) tl.states.push({ at: tl.deal.createdAt, stage: tl.deal.stage, event: null });
  }
  return map;
}

function lastAtOrBefore<T extends { at: Date }>(xs: T[], t: Date): T | undefined {
  let found: T | undefined;
  for (const x of xs)
    if (x.at.getTime() <= t.getTime()) found = x;
    else break;
  return found;
}

// ---- what changed between two instants ----

export interface NewDeal {
  deal: Deal;
  at: Date;
  actorId: string | null;
  stage: StageKey;
  amount: string | null;
  currency: string;
}
export interface DealMove {
  deal: Deal;
  at: Date;
  actorId: string | null;
  from: StageKey;
  to: StageKey;
}
export interface ClosedDeal {
  deal: Deal;
  at: Date;
  actorId: string | null;
  from: StageKey;
  amount: string | null;
  currency: string;
  reason: string | null;
}
export interface StageSnapshot {
  stage: StageKey;
  /** The process the stage belongs to, when a digest covers several. */
  process?: string;
  countThen: number;
  countNow: number;
  amountThen: Amounts;
  amountNow: Amounts;
}

export interface FunnelChanges {
  since: Date;
  until: Date;
  newDeals: NewDeal[];
  advances: DealMove[];
  regressions: DealMove[];
  won: ClosedDeal[];
  lost: ClosedDeal[];
  /** Open stages in funnel order; "then" is the pipeline at `since`, "now" at `until`. */
  stages: StageSnapshot[];
}

/** Everything that happened in (since, until], and the open pipeline at both ends. A deal's
 * stage at T is the one its last created/stage_changed/won/lost/reopened event at or before T
 * left it in; deals created after T are not in the pipeline at T. Amounts are replayed too
 * (created, amount/currency edits, won/lost), so "then" shows the money as it stood then. */
export function funnelChanges(input: {
  deals: Deal[];
  events: DealEvent[];
  since: Date;
  until: Date;
  process: Process;
}): FunnelChanges {
  const { since, until, process } = input;
  const inWindow = (at: Date) => at.getTime() > since.getTime() && at.getTime() <= until.getTime();
  const out: FunnelChanges = {
    since,
    until,
    newDeals: [],
    advances: [],
    regressions: [],
    won: [],
    lost: [],
    stages: [],
  };
  const tls = [...timelines(input.deals, input.events, process).values()];

  for (const { deal, states, amounts } of tls) {
    const first = states[0];
    if (inWindow(first.at)) {
      const money = amounts[0] && first.event ? amounts[0] : { amount: deal.amount, currency: deal.currency };
      out.newDeals.push({
        deal,
        at: first.at,
        actorId: first.event?.actorId ?? null,
        stage: first.stage,
        amount: money.amount,
        currency: money.currency,
      });
    }
    for (const { event: e } of states) {
      if (!e || !inWindow(e.at)) continue;
      const d = rec(e.data);
      if (e.type === 'stage_changed') {
        const move: DealMove = {
          deal,
          at: e.at,
          actorId: e.actorId,
          from: str(d.before) ?? '',
          to: str(d.after) ?? '',
        };
        const forward =
          d.direction === 'advance' || (d.direction === undefined && isAdvance(process, move.from, move.to));
        (forward ? out.advances : out.regressions).push(move);
      } else if (e.type === 'won' || e.type === 'lost') {
        const closed: ClosedDeal = {
          deal,
          at: e.at,
          actorId: e.actorId,
          from: str(d.before) ?? '',
          amount: str(d.amount) ?? null,
          currency: str(d.currency) ?? deal.currency,
          reason: str(d.reason) ?? null,
        };
        out[e.type].push(closed);
      }
    }
  }
  for (const list of [out.newDeals, out.advances, out.regressions, out.won, out.lost])
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.deal.number - b.deal.number);

  const snapshot = (t: Date) => {
    const count = new Map<StageKey, number>();
    const money = new Map<StageKey, Amounts>();
    for (const tl of tls) {
      const stage = lastAtOrBefore(tl.states, t)?.stage;
      if (stage === undefined) continue;
      count.set(stage, (count.get(stage) ?? 0) + 1);
      const m = lastAtOrBefore(tl.amounts, t) ?? { amount: tl.deal.amount, currency: tl.deal.currency };
      if (!money.has(stage)) money.set(stage, {});
      addAmount(money.get(stage)!, m.amount, m.currency);
    }
    return { count, money };
  };
  const then = snapshot(since),
    now = snapshot(until);
  out.stages = openStages(process).map((s) => ({
    stage: s.key,
    countThen: then.count.get(s.key) ?? 0,
    countNow: now.count.get(s.key) ?? 0,
    amountThen: then.money.get(s.key) ?? {},
    amountNow: now.money.get(s.key) ?? {},
  }));
  return out;
}

// ---- conversion rate and conversion time per stage ----

export interface Rate {
  /** Deals that entered the stage in [from, to), each counted once. */
  entered: number;
  /** Of those, deals that left the stage forward (a later stage, or won) before `to`. */
  advanced: number;
  /** advanced / entered; null when nothing entered (no rate, rather than a made-up 0%). */
  conversion: number | null;
  /** Median days from entering to leaving forward, over the advanced deals; null if none. */
  medianDays: number | null;
}
export interface StageStat extends Rate {
  stage: StageKey;
  /** The same numbers per owner, when `ownerOf` was given. */
  byOwner?: Record<string, Rate>;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function rateOf(durations: (number | null)[]): Rate {
  const done = durations.filter((d): d is number => d !== null);
  return {
    entered: durations.length,
    advanced: done.length,
    conversion: durations.length ? done.length / durations.length : null,
    medianDays: median(done),
  };
}

/**
 * Per open stage, for the window [from, to):
 * - ENTRY: creating a deal enters its first stage (lead); a move, a reopen, or a move back enters
 *   the stage moved to. Skipped stages are not entered (lead → proposal never enters qualified).
 * - RE-ENTRY: each deal counts once per stage per window, from its FIRST entry in the window.
 *   Later re-entries (back and forth, lost then reopened) do not add entries.
 * - ADVANCED: after that first entry, the deal left this stage forward (a later open stage, or won)
 *   at some point before `to`. A step back and forth on the way still counts as advancing: the
 *   time spent going back is part of what it took to get through the stage.
 * - DAYS: from that first entry to the first forward exit, in (fractional) days; MEDIAN, not mean,
 *   so one deal parked for a year does not hide how the other deals move.
 * Deals entering late in a window have less time to advance; both compared windows have the same
 * bias, so the comparison stays fair.
 */
export function stageStats(input: {
  events: DealEvent[];
  deals: Deal[];
  from: Date;
  to: Date;
  process: Process;
  ownerOf?: (dealId: string) => string;
}): StageStat[] {
  const { from, to, process, ownerOf } = input;
  const tls = [...timelines(input.deals, input.events, process).values()];
  return openStages(process).map((s) => {
    const durations: { dealId: string; days: number | null }[] = [];
    for (const { deal, states } of tls) {
      const entry = states.findIndex(
        (x, i) => x.stage === s.key && (i === 0 || states[i - 1].stage !== s.key) && x.at >= from && x.at < to,
      );
      if (entry < 0) continue;
      const exit = states.findIndex(
        (x, i) => i > entry && x.at < to && states[i - 1].stage === s.key && isAdvance(process, s.key, x.stage),
      );
      durations.push({
        dealId: deal.id,
        days: exit < 0 ? null : (states[exit].at.getTime() - states[entry].at.getTime()) / DAY_MS,
      });
    }
    const stat: StageStat = { stage: s.key, ...rateOf(durations.map((d) => d.days)) };
    if (ownerOf) {
      const owners = new Map<string, (number | null)[]>();
      for (const d of durations) owners.set(ownerOf(d.dealId), [...(owners.get(ownerOf(d.dealId)) ?? []), d.days]);
      stat.byOwner = Object.fromEntries([...owners].map(([o, ds]) => [o, rateOf(ds)]));
    }
    return stat;
  });
}

// ---- the weekly report: two 90-day windows, and one coaching focus per rep ----

export const WINDOW_DAYS = 90;

export interface WeeklyStage {
  stage: StageKey;
  /** The process the stage belongs to, when a report covers several. */
  process?: string;
  current: StageStat;
  previous: StageStat;
}
export interface CoachingFocus {
  stage: StageKey;
  process?: string;
  rep: Rate;
  team: Rate;
  /** team conversion − rep conversion, > 0. */
  gap: number;
}
export interface RepCoaching {
  rep: { id: string; name: string };
  focus: CoachingFocus | null;
}
export interface WeeklyReport {
  current: { from: Date; to: Date };
  previous: { from: Date; to: Date };
  stages: WeeklyStage[];
  coaching: RepCoaching[];
  /** Gates passed by override vs the stage standard met, per gated stage (current window). */
  gates: GateStat[];
}

/** The data to judge a stage standard itself (METHOD.md: exceptions made visible): of the deals
 * that entered a gated stage in the window, those let in by a manager's override and those that
 * met the standard, each with how many went on to a later stage. */
export interface GateStat {
  stage: StageKey;
  process?: string;
  overridden: Rate;
  met: Rate;
}

/** Per stage that has entry requirements: forward moves into it within [from, to), split by
 * whether the gate was passed by override (the `override` the stage_changed event records), and
 * whether the deal then left the stage forward before `to` (median days to that exit). */
export function gateStats(input: {
  events: DealEvent[];
  deals: Deal[];
  from: Date;
  to: Date;
  process: Process;
}): GateStat[] {
  const { from, to, process } = input;
  const byDeal = new Map<string, DealEvent[]>();
  for (const e of [...input.events].sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.id - b.id)))
    byDeal.set(e.dealId, [...(byDeal.get(e.dealId) ?? []), e]);
  const gated = openStages(process).filter((s) => s.requires.length > 0);
  return gated.map((s) => {
    const overridden: (number | null)[] = [];
    const met: (number | null)[] = [];
    for (const evs of byDeal.values()) {
      evs.forEach((e, i) => {
        if (e.type !== 'stage_changed' || e.at < from || e.at >= to) return;
        const d = rec(e.data);
        if (str(d.after) !== s.key || !isAdvance(process, str(d.before) ?? '', s.key)) return;
        // The first later move out of the stage; forward counts as converted.
        const exit = evs
          .slice(i + 1)
          .find((x) => x.at < to && stageAfter(x, process) !== undefined && stageAfter(x, process) !== s.key);
        const next = exit && stageAfter(exit, process);
        const days =
          exit && next && isAdvance(process, s.key, next) ? (exit.at.getTime() - e.at.getTime()) / DAY_MS : null;
        (typeof d.override === 'string' ? overridden : met).push(days);
      });
    }
    return { stage: s.key, overridden: rateOf(overridden), met: rateOf(met) };
  });
}

/** Current window = the 90 days up to `now`, previous = the 90 before. A rep's coaching focus is
 * the stage (current window) where the team's conversion exceeds theirs by the most, among
 * stages where the rep has at least `minSample` entries — fewer is noise, not a pattern. The team
 * is every deal given (the rep's own included). Ties go to the earlier stage: fixing the top of
 * the funnel feeds every later stage. */
export function weeklyReport(input: {
  events: DealEvent[];
  deals: Deal[];
  now: Date;
  process: Process;
  reps: { id: string; name: string }[];
  minSample?: number;
}): WeeklyReport {
  const { now, process } = input;
  const { current, previous } = weeklyWindows(now);
  const owners = new Map(input.deals.map((d) => [d.id, d.ownerId]));
  const base = { events: input.events, deals: input.deals, process };
  return weeklyReportOf({
    current,
    previous,
    stats: {
      current: stageStats({ ...base, ...current, ownerOf: (id) => owners.get(id) ?? '' }),
      previous: stageStats({ ...base, ...previous }),
      gates: gateStats({ ...base, ...current }),
    },
    reps: input.reps,
    minSample: input.minSample,
  });
}

/** The two windows of the weekly report: current = the 90 days up to `now`, previous = the 90 before. */
export function weeklyWindows(now: Date): { current: { from: Date; to: Date }; previous: { from: Date; to: Date } } {
  const current = { from: new Date(now.getTime() - WINDOW_DAYS * DAY_MS), to: now };
  return { current, previous: { from: new Date(now.getTime() - 2 * WINDOW_DAYS * DAY_MS), to: current.from } };
}

/** A process's stage and gate statistics for the weekly report: `current` with `byOwner`, as
 * replayed by stageStats/gateStats or aggregated by the database (src/store/weekly-sql.ts). */
export interface WeeklyStats {
  current: StageStat[];
  previous: StageStat[];
  gates: GateStat[];
}

/** A Rate from the number of entries and the days to a forward exit of those that advanced. */
export function rateFrom(entered: number, advancedDays: number[]): Rate {
  return {
    entered,
    advanced: advancedDays.length,
    conversion: entered ? advancedDays.length / entered : null,
    medianDays: median(advancedDays),
  };
}

/** The weekly report from one process's statistics: the windows, the stages, each rep's coaching focus. */
export function weeklyReportOf(input: {
  current: { from: Date; to: Date };
  previous: { from: Date; to: Date };
  stats: WeeklyStats;
  reps: { id: string; name: string }[];
  minSample?: number;
}): WeeklyReport {
  const { current, previous, minSample = 3 } = input;
  const cur = input.stats.current;
  const prev = input.stats.previous;
  const coaching = input.reps.map((rep): RepCoaching => {
    let best: { focus: CoachingFocus; num: number; den: number } | null = null;
    for (const team of cur) {
      const mine = team.byOwner?.[rep.id];
      if (!mine || mine.entered < minSample) continue;
      // Compare gaps as exact fractions: 0.5−0.2 and 0.6−0.3 must tie, which floats do not promise.
      const num = team.advanced * mine.entered - mine.advanced * team.entered;
      const den = team.entered * mine.entered;
      if (num <= 0 || (best && num * best.den <= best.num * den)) continue;
      const { byOwner: _, stage, ...teamRate } = team;
      best = { focus: { stage, rep: mine, team: teamRate, gap: num / den }, num, den };
    }
    return { rep, focus: best?.focus ?? null };
  });
  return {
    current,
    previous,
    stages: cur.map((c, i) => ({ stage: c.stage, current: c, previous: prev[i] })),
    coaching,
    gates: input.stats.gates,
  };
}
