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
  // Each process's stages as maps { process: { stage: rank } } (rank = index in funnel order, as
  // stageIndex): looked up by expression, so the planner sees no joins it could misjudge.
  const ranks = (keep: (s: Process['stages'][number]) => boolean) =>
    JSON.stringify(
      Object.fromEntries(
        q.processes.map((p) => [p.key, Object.fromEntries(p.stages.flatMap((s, i) => (keep(s) ? [[s.key, i]] : [])))]),
      ),
    );
  const all = ranks(() => true);
  const open = ranks((s) => !s.terminal);
  const notLost = ranks((s) => s.terminal !== 'lost'); // isAdvance: a move to lost never advances
  const gated = ranks((s) => !s.terminal && s.requires.length > 0);
  // stageAfter: won and lost land in the process's stage with that flag, or the type itself.
  const terminal = (t: 'won' | 'lost') =>
    JSON.stringify(
      Object.fromEntries(q.processes.map((p) => [p.key, p.stages.find((s) => s.terminal === t)?.key ?? t])),
    );
  const [cf, ct, pf, pt] = [current.from, current.to, previous.from, previous.to].map((d) => d.getTime());
  const rows = q.ownerIds.length
    ? await db.$queryRaw<Row[]>`
    WITH d AS MATERIALIZED (
      SELECT d.id, d.process, d.stage, d."createdAt", d."ownerId"::text AS owner
      FROM "Deal" d
      WHERE d."workspaceId" = ${q.workspaceId}::uuid AND d."ownerId" = ANY(${[...new Set(q.ownerIds)]}::uuid[])
        AND d.process = ANY(${q.processes.map((p) => p.key)}::text[])
        AND (d.status = 'open' OR d."closedAt" >= ${q.since}::timestamptz)
    ), sev AS MATERIALIZED (
      -- The events that move a deal (stageAfter defined), with the stage they leave it in and, for
      -- a history without its 'created', the stage they left (stageBefore).
      SELECT * FROM (
        SELECT e."dealId" AS deal, d.process, d.owner, e.id, e.at, e.type, e.data,
          (extract(epoch FROM e.at) * 1000)::float8 AS ms,
          CASE e.type
            WHEN 'stage_changed' THEN CASE WHEN jsonb_typeof(e.data->'after') = 'string' THEN e.data->>'after' END
            WHEN 'won' THEN ${terminal('won')}::jsonb->>d.process
            WHEN 'lost' THEN ${terminal('lost')}::jsonb->>d.process
            ELSE CASE WHEN jsonb_typeof(e.data->'after'->'stage') = 'string' THEN e.data->'after'->>'stage' END
          END AS after,
          CASE WHEN e.type = 'reopened'
            THEN CASE WHEN jsonb_typeof(e.data->'before'->'stage') = 'string' THEN e.data->'before'->>'stage' END
            ELSE CASE WHEN jsonb_typeof(e.data->'before') = 'string' THEN e.data->>'before' END
          END AS before
        -- Each deal's events by the (dealId, at) index; OFFSET 0 keeps it so: left to itself, the
        -- planner hashes a scan of the whole workspace's log once the org is large enough.
        FROM d CROSS JOIN LATERAL (SELECT * FROM "DealEvent" x WHERE x."dealId" = d.id AND x.at >= ${q.since}::timestamptz
          AND x."workspaceId" = ${q.workspaceId}::uuid
          AND x.type IN ('created', 'stage_changed', 'won', 'lost', 'reopened', 'process_changed') OFFSET 0) e
      ) x WHERE after IS NOT NULL
    ), firsts AS (
      SELECT DISTINCT ON (deal) deal, type, after, before FROM sev ORDER BY deal, at, id
    ), states AS (
      -- timelines(): a history without 'created' starts at createdAt in the stage its first move
      -- left; a deal that never moved sits in its current stage since createdAt.
      SELECT d.id AS deal, d.process, d.owner, 0 AS o, d."createdAt" AS at, 0::bigint AS id, coalesce(f.before, f.after) AS stage
        FROM firsts f JOIN d ON d.id = f.deal WHERE f.type <> 'created'
      UNION ALL
      SELECT d.id, d.process, d.owner, 0, d."createdAt", 0::bigint, d.stage FROM d
        WHERE NOT EXISTS (SELECT 1 FROM sev WHERE sev.deal = d.id)
      UNION ALL
      SELECT deal, process, owner, 1, at, id, after FROM sev
    ), seq AS (
      SELECT s.deal, s.process, s.owner, s.stage, (extract(epoch FROM s.at) * 1000)::float8 AS ms,
        row_number() OVER w AS i, lag(s.stage) OVER w AS prev
      FROM states s WINDOW w AS (PARTITION BY s.deal ORDER BY s.o, s.at, s.id)
    ), marks AS (
      -- stageStats: entries into an open stage (key = the stage entered), in the window they fall
      -- in, and forward exits (key = the stage left; isAdvance).
      SELECT deal, process, owner, stage AS key, i, ms, true AS entry,
        CASE WHEN ms >= ${cf}::float8 AND ms < ${ct}::float8 THEN 'current'
             WHEN ms >= ${pf}::float8 AND ms < ${pt}::float8 THEN 'previous' END AS win
      FROM seq WHERE ${open}::jsonb->process->>stage IS NOT NULL AND (prev IS NULL OR prev <> stage)
      UNION ALL
      SELECT deal, process, owner, prev, i, ms, false, NULL
      FROM seq WHERE (${notLost}::jsonb->process->>stage)::int > (${open}::jsonb->process->>prev)::int
    ), ex AS (
      -- The FIRST entry per window, and the first forward exit after it before the window's end.
      SELECT m.*, row_number() OVER (PARTITION BY deal, key, win ORDER BY i) AS nth,
        min(ARRAY[i::float8, ms]) FILTER (WHERE NOT entry AND ms < ${ct}::float8) OVER later AS exit_cur,
        min(ARRAY[i::float8, ms]) FILTER (WHERE NOT entry AND ms < ${pt}::float8) OVER later AS exit_prev
      FROM marks m WINDOW later AS (PARTITION BY deal, key ORDER BY i ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
    ), runs AS (
      -- gateStats: the log in (at, id) order, in runs of events leaving the deal in the same stage ...
      SELECT s.*, sum(changed) OVER (PARTITION BY deal ORDER BY at, id ROWS UNBOUNDED PRECEDING) AS run
      FROM (SELECT sev.*, (after IS DISTINCT FROM lag(after) OVER (PARTITION BY deal ORDER BY at, id))::int AS changed
        FROM sev) s
    ), gex AS (
      -- ... the first later move out of a stage is the first event of the next run.
      SELECT r.*, min(ARRAY[ms, id::float8, coalesce((${notLost}::jsonb->process->>after)::int, -1)])
        OVER (PARTITION BY deal ORDER BY run GROUPS BETWEEN 1 FOLLOWING AND 1 FOLLOWING) AS nxt
      FROM runs r
    )
    SELECT 'stage' AS kind, process, win, key AS stage, owner, false AS overridden, count(*)::int AS entered,
      array_agg(CASE win WHEN 'current' THEN exit_cur[2] ELSE exit_prev[2] END - ms)
        FILTER (WHERE CASE win WHEN 'current' THEN exit_cur ELSE exit_prev END IS NOT NULL) AS ms
    FROM ex WHERE entry AND win IS NOT NULL AND nth = 1
    GROUP BY process, win, key, owner
    UNION ALL
    -- Forward moves into a gated stage in the current window, by override or with the standard met;
    -- converted when the next move (before the window's end) is forward.
    SELECT 'gate', process, 'current', after, '', coalesce(jsonb_typeof(data->'override') = 'string', false), count(*)::int,
      array_agg(nxt[1] - ms) FILTER (WHERE nxt[1] < ${ct}::float8 AND nxt[3] > (${open}::jsonb->process->>after)::int)
    FROM gex
    WHERE type = 'stage_changed' AND ms >= ${cf}::float8 AND ms < ${ct}::float8
      AND ${gated}::jsonb->process->>after IS NOT NULL
      AND coalesce((${all}::jsonb->process->>before)::int, -1) < (${open}::jsonb->process->>after)::int
    GROUP BY process, after, coalesce(jsonb_typeof(data->'override') = 'string', false)`
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
