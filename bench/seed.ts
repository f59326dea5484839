// Generates a large org straight in SQL (generate_series), identical on PGlite and PostgreSQL:
// managers with teams of reps, open deals spread over the funnel, an event log, open actions.
import type { Db } from '../src/store/database.ts';

export interface OrgSize {
  managers: number;
  repsPerManager: number;
  deals: number;
  events: number;
  actions: number;
}

export const FULL: OrgSize = { managers: 100, repsPerManager: 8, deals: 120_000, events: 1_000_000, actions: 100_000 };

export function scaled(f: number): OrgSize {
  return {
    managers: Math.max(2, Math.round(FULL.managers * f)),
    repsPerManager: 8,
    deals: Math.round(FULL.deals * f),
    events: Math.round(FULL.events * f),
    actions: Math.round(FULL.actions * f),
  };
}

/** `now` anchors the data: creation and events within the 180 days before it. */
export async function seedOrg(db: Db, size: OrgSize, now: Date): Promise<string> {
  const reps = size.managers * size.repsPerManager;
  const q = (sql: string) => db.$executeRawUnsafe(sql);
  const nowSql = `'${now.toISOString()}'::timestamptz`;
  await q(
    `INSERT INTO "Workspace"(id, platform, "externalId", name, timezone, "dealSeq", "createdAt") VALUES (gen_random_uuid(), 'console', 'bench', 'Bench', 'Asia/Shanghai', ${size.deals}, ${nowSql})`,
  );
  const ws = (await db.workspace.findFirstOrThrow({ where: { externalId: 'bench' } })).id;
  const W = `'${ws}'::uuid`;
  // managers m1..mN, reps r1..rR; rep i reports to manager ((i-1) % N) + 1
  await q(`INSERT INTO "Member"(id, "workspaceId", "externalId", name, role, timezone, "createdAt")
    SELECT gen_random_uuid(), ${W}, 'm' || g, 'manager' || g, 'manager', (ARRAY['Asia/Shanghai','America/New_York','Europe/Berlin'])[1 + g % 3], ${nowSql} FROM generate_series(1, ${size.managers}) g`);
  await q(`INSERT INTO "Member"(id, "workspaceId", "externalId", name, role, "managerId", timezone, "createdAt")
    SELECT gen_random_uuid(), ${W}, 'r' || g, 'rep' || g, 'rep', m.id, m.timezone, ${nowSql}
    FROM generate_series(1, ${reps}) g JOIN "Member" m ON m."externalId" = 'm' || (1 + (g - 1) % ${size.managers}) AND m."workspaceId" = ${W}`);
  await q(
    `CREATE TEMP TABLE rep_ix AS SELECT row_number() OVER (ORDER BY "externalId") AS i, id FROM "Member" WHERE role = 'rep' AND "workspaceId" = ${W}`,
  );
  const accounts = Math.max(1, Math.round(size.deals / 4));
  await q(
    `INSERT INTO "Account"(id, "workspaceId", name, "nameKey", "createdAt") SELECT gen_random_uuid(), ${W}, 'Account ' || g, 'account ' || g, ${nowSql} FROM generate_series(1, ${accounts}) g`,
  );
  await q(
    `CREATE TEMP TABLE acc_ix AS SELECT row_number() OVER (ORDER BY "nameKey") AS i, id FROM "Account" WHERE "workspaceId" = ${W}`,
  );
  await q(`INSERT INTO "Deal"(id, "workspaceId", number, "accountId", title, stage, status, amount, currency, "closeDate", "nextContactOn", "ownerId", "roomId", "stageEnteredAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), ${W}, g, a.id, 'Deal ' || g,
      (ARRAY['lead','qualified','proposal','negotiation'])[1 + g % 4], 'open', (1000 + (g * 7919) % 500000)::numeric, 'USD',
      (${nowSql} + ((g % 120) || ' days')::interval)::date,
      CASE WHEN g % 5 = 0 THEN NULL ELSE (${nowSql} + (((g % 30) - 10) || ' days')::interval)::date END,
      r.id, 'room-' || g, ${nowSql} - ((g % 60) || ' days')::interval, ${nowSql} - ((60 + g % 120) || ' days')::interval, ${nowSql}
    FROM generate_series(1, ${size.deals}) g
    JOIN rep_ix r ON r.i = 1 + (g - 1) % ${reps}
    JOIN acc_ix a ON a.i = 1 + (g - 1) % ${accounts}`);
  await q(
    `CREATE TEMP TABLE deal_ix AS SELECT row_number() OVER (ORDER BY number) AS i, id, "ownerId", "createdAt" FROM "Deal" WHERE "workspaceId" = ${W}`,
  );
  const stages = `ARRAY['lead','qualified','proposal','negotiation']`;
  // one `created` per deal, the rest spread over deals and the last 180 days
  await q(`INSERT INTO "DealEvent"("workspaceId", "dealId", "actorId", type, at, data)
    SELECT ${W}, d.id, d."ownerId", 'created', d."createdAt", jsonb_build_object('after', jsonb_build_object('stage', 'lead', 'amount', '1000.00', 'currency', 'USD'))
    FROM deal_ix d`);
  const rest = Math.max(0, size.events - size.deals);
  await q(`INSERT INTO "DealEvent"("workspaceId", "dealId", "actorId", type, at, data)
    SELECT ${W}, d.id, d."ownerId",
      CASE WHEN g % 10 < 3 THEN 'stage_changed' WHEN g % 10 < 7 THEN 'contact_logged' WHEN g % 10 < 9 THEN 'field_changed' ELSE 'action_added' END,
      ${nowSql} - ((g % (180 * 24)) || ' hours')::interval,
      CASE WHEN g % 10 < 3 THEN jsonb_build_object('field', 'stage', 'before', (${stages})[1 + g % 3], 'after', (${stages})[2 + g % 3], 'direction', 'advance')
           WHEN g % 10 < 7 THEN jsonb_build_object('note', 'call ' || g)
           WHEN g % 10 < 9 THEN jsonb_build_object('field', 'nextStep', 'before', null, 'after', 'step ' || g)
           ELSE jsonb_build_object('number', 1, 'text', 'task ' || g) END
    FROM generate_series(1, ${rest}) g JOIN deal_ix d ON d.i = 1 + (g * 7) % ${size.deals}`);
  await q(`INSERT INTO "ActionItem"(id, "dealId", number, text, "assigneeId", "dueOn", status, "createdAt")
    SELECT gen_random_uuid(), d.id, 1 + g / ${size.deals}, 'Action ' || g, d."ownerId", (${nowSql} + (((g % 20) - 10) || ' days')::interval)::date, 'open', d."createdAt"
    FROM generate_series(1, ${size.actions}) g JOIN deal_ix d ON d.i = 1 + (g - 1) % ${size.deals}`);
  await q(`ANALYZE`);
  return ws;
}
