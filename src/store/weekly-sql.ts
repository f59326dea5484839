// The weekly report's statistics (src/domain/funnel.ts: stageStats, gateStats) as aggregates in the
// database: conversion and time per stage per window and owner, and gate overrides per stage,
// from the stage-changing events of a team's deals, without bringing the events to Node. The
// domain functions stay the reference: test/integration/weekly-sql.test.ts compares the two on
// generated histories. Each rule below names the line of the reference it follows.
import { type GateStat, rateFrom, type StageStat, type WeeklyStats, weeklyWindows } from '../domain/funnel.ts';
import type { Process } from '../domain/process.ts';
import type { Db } from './database.ts';

const DAY_MS = 86_400_000;

export interface WeeklyStatsQuery {
  workspaceId: string;
  /** The team: deals owned by these members. */
  ownerIds: string[];
  /** The history read: deals open or closed since then, events at or after it. */
  since: Date;
  now: Date;
  processes: readonly Process[];
}

interface Row {
  kind: 'stage' | 'gate';
  process: string;
  win: 'current' | 'previous';
  stage: string;
  owner: string;
  overridden: boolean;
  entered: number;
  ms: number[] | null;
}

export async function weeklyStatsSql(db: Db, q: WeeklyStatsQuery): Promise<Map<string, WeeklyStats>> {
  const { current, previous } = weeklyWindows(q.now);
  // Each process's stages in funnel order (rank = index, as stageIndex), terminal flags, gated stages.
  const stages = q.processes.flatMap((p) =>
    p.stages.map((s, rank) => ({
      process: p.key,
      stage: s.key,
      rank,
      terminal: s.terminal ?? null,
      gated: !s.terminal && s.requires.length > 0,
    })),
  );
  // stageAfter: won and lost land in the process's stage with that flag, or the type itself.
  const procs = q.processes.map((p) => ({
    process: p.key,
    won: p.stages.find((s) => s.terminal === 'won')?.key ?? 'won',
    lost: p.stages.find((s) => s.terminal === 'lost')?.key ?? 'lost',
  }));
  const rows = q.ownerIds.length
    ? await db.$queryRaw<Row[]>`
    WITH st AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(stages)}::jsonb)
        AS x(process text, stage text, rank int, terminal text, gated boolean)
    ), pr AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(procs)}::jsonb) AS x(process text, won text, lost text)
    ), d AS MATERIALIZED (
      SELECT d.id, d.process, d.stage, d."createdAt", d."ownerId"::text AS owner, pr.won, pr.lost
      FROM "Deal" d JOIN pr ON pr.process = d.process
      WHERE d."workspaceId" = ${q.workspaceId}::uuid AND d."ownerId" = ANY(${[...new Set(q.ownerIds)]}::uuid[])
        AND (d.status = 'open' OR d."closedAt" >= ${q.since}::timestamptz)
    ), sev AS MATERIALIZED (
      -- The events that move a deal (stageAfter defined), with the stage they leave it in and, for
      -- a history without its 'created', the stage they left (stageBefore).
      SELECT * FROM (
        SELECT e."dealId" AS deal, e.id, e.at, e.type, e.data,
          CASE e.type
            WHEN 'stage_changed' THEN CASE WHEN jsonb_typeof(e.data->'after') = 'string' THEN e.data->>'after' END
            WHEN 'won' THEN d.won
            WHEN 'lost' THEN d.lost
            ELSE CASE WHEN jsonb_typeof(e.data->'after'->'stage') = 'string' THEN e.data->'after'->>'stage' END
          END AS after,
          CASE WHEN e.type = 'reopened'
            THEN CASE WHEN jsonb_typeof(e.data->'before'->'stage') = 'string' THEN e.data->'before'->>'stage' END
            ELSE CASE WHEN jsonb_typeof(e.data->'before') = 'string' THEN e.data->>'before' END
          END AS before
        FROM d JOIN "DealEvent" e ON e."dealId" = d.id
        WHERE e."workspaceId" = ${q.workspaceId}::uuid AND e.at >= ${q.since}::timestamptz
          AND e.type IN ('created', 'stage_changed', 'won', 'lost', 'reopened', 'process_changed')
      ) x WHERE after IS NOT NULL
    ), firsts AS (
      SELECT DISTINCT ON (deal) deal, type, after, before FROM sev ORDER BY deal, at, id
    ), states AS (
      -- timelines(): a history without 'created' starts at createdAt in the stage its first move
      -- left; a deal that never moved sits in its current stage since createdAt.
      SELECT f.deal, 0 AS o, d."createdAt" AS at, 0::bigint AS id, coalesce(f.before, f.after) AS stage
        FROM firsts f JOIN d ON d.id = f.deal WHERE f.type <> 'created'
      UNION ALL
      SELECT d.id, 0, d."createdAt", 0::bigint, d.stage FROM d WHERE NOT EXISTS (SELECT 1 FROM sev WHERE sev.deal = d.id)
      UNION ALL
      SELECT deal, 1, at, id, after FROM sev
    ), seq AS MATERIALIZED (
      SELECT s.deal, s.at, s.stage, row_number() OVER w AS i, lag(s.stage) OVER w AS prev
      FROM states s WINDOW w AS (PARTITION BY s.deal ORDER BY s.o, s.at, s.id)
    ), win AS (
      SELECT * FROM (VALUES ('current', ${current.from}::timestamptz, ${current.to}::timestamptz),
        ('previous', ${previous.from}::timestamptz, ${previous.to}::timestamptz)) AS w(win, f, t)
    ), ent AS (
      -- stageStats: the FIRST entry in the window into an open stage (the stage differs from the one before).
      SELECT DISTINCT ON (q.deal, w.win, q.stage) q.deal, w.win, w.t, q.stage, q.i, q.at, d.owner, d.process, r.rank
      FROM seq q JOIN d ON d.id = q.deal
        JOIN st r ON r.process = d.process AND r.stage = q.stage AND r.terminal IS NULL
        JOIN win w ON q.at >= w.f AND q.at < w.t
      WHERE q.prev IS NULL OR q.prev <> q.stage
      ORDER BY q.deal, w.win, q.stage, q.i
    ), ex AS (
      -- ... and its first later forward exit from that stage before the window's end (isAdvance).
      SELECT DISTINCT ON (e.deal, e.win, e.stage) e.*, x.at AS exit_at
      FROM ent e LEFT JOIN (seq x JOIN d dx ON dx.id = x.deal
          JOIN st rx ON rx.process = dx.process AND rx.stage = x.stage AND rx.terminal IS DISTINCT FROM 'lost')
        ON x.deal = e.deal AND x.i > e.i AND x.at < e.t AND x.prev = e.stage AND rx.rank > e.rank
      ORDER BY e.deal, e.win, e.stage, x.i
    ), gev AS (
      -- gateStats: forward moves into a gated stage in the current window, override or standard met.
      SELECT e.deal, e.id, e.at, e.after AS stage, d.process, r.rank,
        coalesce(jsonb_typeof(e.data->'override') = 'string', false) AS overridden
      FROM sev e JOIN d ON d.id = e.deal
        JOIN st r ON r.process = d.process AND r.stage = e.after AND r.terminal IS NULL AND r.gated
        LEFT JOIN st rb ON rb.process = d.process AND rb.stage = e.before
      WHERE e.type = 'stage_changed' AND e.at >= ${current.from}::timestamptz AND e.at < ${current.to}::timestamptz
        AND coalesce(rb.rank, -1) < r.rank
    ), gex AS (
      -- ... and the first later move out of it before the window's end; forward counts as converted.
      SELECT DISTINCT ON (g.deal, g.id) g.*, y.at AS exit_at, (rx.rank > g.rank AND rx.terminal IS DISTINCT FROM 'lost') AS fwd
      FROM gev g LEFT JOIN sev y ON y.deal = g.deal AND (y.at, y.id) > (g.at, g.id) AND y.at < ${current.to}::timestamptz AND y.after <> g.stage
        LEFT JOIN st rx ON rx.process = g.process AND rx.stage = y.after
      ORDER BY g.deal, g.id, y.at, y.id
    )
    SELECT 'stage' AS kind, process, win, stage, owner, false AS overridden, count(*)::int AS entered,
      array_agg(((extract(epoch FROM exit_at) - extract(epoch FROM at)) * 1000)::float8) FILTER (WHERE exit_at IS NOT NULL) AS ms
    FROM ex GROUP BY process, win, stage, owner
    UNION ALL
    SELECT 'gate', process, 'current', stage, '', overridden, count(*)::int,
      array_agg(((extract(epoch FROM exit_at) - extract(epoch FROM at)) * 1000)::float8) FILTER (WHERE fwd)
    FROM gex GROUP BY process, stage, overridden`
    : [];
  return assemble(q.processes, rows);
}

/** Rows into the reference's shapes: every open stage in funnel order, byOwner on the current window. */
function assemble(processes: readonly Process[], rows: Row[]): Map<string, WeeklyStats> {
  const days = (r: Row) => (r.ms ?? []).map((ms) => ms / DAY_MS);
  const out = new Map<string, WeeklyStats>();
  for (const p of processes) {
    const mine = rows.filter((r) => r.process === p.key);
    const open = p.stages.filter((s) => !s.terminal);
    const stat = (win: Row['win'], stage: string): StageStat => {
      const rs = mine.filter((r) => r.kind === 'stage' && r.win === win && r.stage === stage);
      const s: StageStat = {
        stage,
        ...rateFrom(
          rs.reduce((n, r) => n + r.entered, 0),
          rs.flatMap(days),
        ),
      };
      if (win === 'current') s.byOwner = Object.fromEntries(rs.map((r) => [r.owner, rateFrom(r.entered, days(r))]));
      return s;
    };
    const gate = (stage: string, overridden: boolean) => {
      const r = mine.find((x) => x.kind === 'gate' && x.stage === stage && x.overridden === overridden);
      return r ? rateFrom(r.entered, days(r)) : rateFrom(0, []);
    };
    out.set(p.key, {
      current: open.map((s) => stat('current', s.key)),
      previous: open.map((s) => stat('previous', s.key)),
      gates: open
        .filter((s) => s.requires.length > 0)
        .map((s): GateStat => ({ stage: s.key, overridden: gate(s.key, true), met: gate(s.key, false) })),
    });
  }
  return out;
}
