// The only module (with database.ts) that touches the generated Prisma client: repositories
// behind the app's `Repos` port. No business rules here, only reads and writes.

import type { Message } from '../app/message.ts';
import type {
  Clock,
  DealFilter,
  DigestDelivery,
  DigestRepos,
  InboundEntry,
  OutboxStep,
  Repos,
  Store,
  UploadKind,
} from '../app/ports.ts';
import { DealroomError } from '../domain/errors.ts';
import type {
  Account,
  ActionItem,
  Contact,
  Deal,
  DealEvent,
  DealMember,
  Member,
  NewEvent,
  Workspace,
} from '../domain/model.ts';
import type { Db } from './database.ts';
import { Prisma } from './generated/client.ts';
import { weeklyStatsSql } from './weekly-sql.ts';

type Tx = Prisma.TransactionClient | Db;

const toIsoDate = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);
const fromIsoDate = (s: string | null | undefined): Date | null | undefined =>
  s === undefined ? undefined : s === null ? null : new Date(`${s}T00:00:00Z`);
const key = (s: string) => s.trim().toLowerCase().normalize('NFKC').replace(/\s+/g, ' ');

function workspace(r: any): Workspace {
  return {
    id: r.id,
    platform: r.platform,
    externalId: r.externalId,
    name: r.name,
    defaultCurrency: r.defaultCurrency,
    timezone: r.timezone,
    locale: r.locale,
    digestTime: r.digestTime,
    digestWeekends: r.digestWeekends,
    processVersion: r.processVersion ?? 0,
  };
}
function member(r: any): Member {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    externalId: r.externalId,
    name: r.name,
    displayName: r.displayName,
    role: r.role,
    managerId: r.managerId,
    timezone: r.timezone,
    locale: r.locale,
    language: r.language ?? null,
    digestTime: r.digestTime,
    nudgeOptOut: r.nudgeOptOut,
    profileAt: r.profileAt,
  };
}
function account(r: any): Account {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    name: r.name,
    industry: r.industry,
    region: r.region,
    address: r.address,
  };
}
function contact(r: any): Contact {
  return {
    id: r.id,
    accountId: r.accountId,
    name: r.name,
    title: r.title,
    role: r.role,
    email: r.email,
    phone: r.phone,
  };
}
export function deal(r: any): Deal {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    number: r.number,
    accountId: r.accountId,
    title: r.title,
    process: r.process,
    stage: r.stage,
    status: r.status,
    amount: r.amount === null ? null : r.amount.toFixed(2),
    currency: r.currency,
    closeDate: toIsoDate(r.closeDate),
    competitors: r.competitors,
    nextStep: r.nextStep,
    lastContactAt: r.lastContactAt,
    nextContactOn: toIsoDate(r.nextContactOn),
    ownerId: r.ownerId,
    roomId: r.roomId,
    cardRef: r.cardRef,
    roomArchivedAt: r.roomArchivedAt,
    lostReason: r.lostReason,
    stageEnteredAt: r.stageEnteredAt,
    closedAt: r.closedAt,
    createdAt: r.createdAt,
  };
}
function action(r: any): ActionItem {
  return {
    id: r.id,
    dealId: r.dealId,
    number: r.number,
    text: r.text,
    assigneeId: r.assigneeId,
    dueOn: toIsoDate(r.dueOn),
    status: r.status,
    createdById: r.createdById,
    closedById: r.closedById,
    closedAt: r.closedAt,
    createdAt: r.createdAt,
  };
}
function event(r: any): DealEvent {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    dealId: r.dealId,
    actorId: r.actorId,
    type: r.type,
    at: r.at,
    data: r.data,
  };
}

function dealData(p: Partial<Deal>) {
  const { closeDate, nextContactOn, ...rest } = p;
  return { ...rest, closeDate: fromIsoDate(closeDate), nextContactOn: fromIsoDate(nextContactOn) };
}

/** Every timestamp comes from `clock` (the app's injected clock), never from a database default. */
export function makeRepos(db: Tx, clock: Clock): Repos {
  return {
    async findWorkspace(platform, externalId) {
      const r = await db.workspace.findUnique({ where: { platform_externalId: { platform, externalId } } });
      return r && workspace(r);
    },
    async findSpeaker(platform, externalId, userId) {
      // One round trip for the two rows every command starts from.
      const [r] = await db.$queryRaw<{ w: any; m: any }[]>`
        SELECT to_jsonb(w) AS w, to_jsonb(m) AS m FROM "Workspace" w
        LEFT JOIN "Member" m ON m."workspaceId" = w.id AND m."externalId" = ${userId}
        WHERE w.platform = ${platform} AND w."externalId" = ${externalId}`;
      if (!r) return { workspace: null, member: null };
      const m = r.m && { ...r.m, profileAt: r.m.profileAt ? new Date(r.m.profileAt) : null };
      return { workspace: workspace(r.w), member: m && member(m) };
    },
    async findWorkspaceById(id) {
      const r = await db.workspace.findUnique({ where: { id } });
      return r && workspace(r);
    },
    async createWorkspace(platform, externalId, init) {
      // upsert: two first commands arriving together must not fail on the unique key
      return workspace(
        await db.workspace.upsert({
          where: { platform_externalId: { platform, externalId } },
          create: { platform, externalId, ...init, createdAt: clock.now() },
          update: {},
        }),
      );
    },
    async updateWorkspace(id, patch) {
      return workspace(await db.workspace.update({ where: { id }, data: patch }));
    },

    async findMemberById(workspaceId, id) {
      const r = await db.member.findFirst({ where: { id, workspaceId } });
      return r && member(r);
    },
    async findMemberByExternalId(workspaceId, externalId) {
      const r = await db.member.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } } });
      return r && member(r);
    },
    async findMembersByName(workspaceId, name) {
      const rows = await db.member.findMany({
        where: {
          workspaceId,
          OR: [{ name: { equals: name, mode: 'insensitive' } }, { displayName: { equals: name, mode: 'insensitive' } }],
        },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(member);
    },
    async listMembers(workspaceId) {
      return (await db.member.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } })).map(member);
    },
    async listMembersByIds(workspaceId, ids) {
      if (!ids.length) return [];
      return (await db.member.findMany({ where: { workspaceId, id: { in: [...new Set(ids)] } } })).map(member);
    },
    async countMembers(workspaceId) {
      return db.member.count({ where: { workspaceId } });
    },
    async createMember(workspaceId, m) {
      return member(
        await db.member.upsert({
          where: { workspaceId_externalId: { workspaceId, externalId: m.externalId } },
          create: { workspaceId, ...m, createdAt: clock.now() },
          update: {},
        }),
      );
    },
    async updateMember(workspaceId, id, patch) {
      return member(await db.member.update({ where: { id, workspaceId }, data: patch }));
    },

    async findAccountById(workspaceId, id) {
      const r = await db.account.findFirst({ where: { id, workspaceId } });
      return r && account(r);
    },
    async listAccounts(workspaceId, ids) {
      if (!ids.length) return [];
      return (await db.account.findMany({ where: { workspaceId, id: { in: [...new Set(ids)] } } })).map(account);
    },
    async findAccountByName(workspaceId, name) {
      const r = await db.account.findUnique({ where: { workspaceId_nameKey: { workspaceId, nameKey: key(name) } } });
      return r && account(r);
    },
    async findOrCreateAccount(workspaceId, name) {
      const nameKey = key(name);
      return account(
        await db.account.upsert({
          where: { workspaceId_nameKey: { workspaceId, nameKey } },
          create: { workspaceId, name: name.trim(), nameKey, createdAt: clock.now() },
          update: {},
        }),
      );
    },
    async updateAccount(workspaceId, id, patch) {
      const data = patch.name ? { ...patch, nameKey: key(patch.name) } : patch;
      return account(await db.account.update({ where: { id, workspaceId }, data }));
    },
    async findContactByName(accountId, name) {
      const r = await db.contact.findUnique({ where: { accountId_nameKey: { accountId, nameKey: key(name) } } });
      return r && contact(r);
    },
    async saveContact(workspaceId, accountId, c) {
      const nameKey = key(c.name);
      const { name, ...fields } = c;
      return contact(
        await db.contact.upsert({
          where: { accountId_nameKey: { accountId, nameKey } },
          create: { workspaceId, accountId, name: name.trim(), nameKey, ...fields, createdAt: clock.now() },
          update: fields,
        }),
      );
    },
    async listContacts(accountId) {
      return (await db.contact.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } })).map(contact);
    },
    async listDealStages(f) {
      return db.deal.findMany({
        where:
          f && 'workspaceId' in f
            ? { workspaceId: f.workspaceId }
            : f?.onBaseProcesses
              ? { workspace: { processVersion: 0 } }
              : {},
        select: { workspaceId: true, number: true, process: true, stage: true },
        orderBy: [{ workspaceId: 'asc' }, { number: 'asc' }],
      });
    },
    async listWorkspaceAccounts(workspaceId) {
      const rows = await db.account.findMany({
        where: { workspaceId },
        orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
      });
      return rows.map(account);
    },
    async listWorkspaceContacts(workspaceId) {
      const rows = await db.contact.findMany({
        where: { workspaceId },
        orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
      });
      return rows.map(contact);
    },

    async saveProcessFile(workspaceId, f) {
      // The increment locks the workspace row until commit: concurrent loads get successive versions.
      const w = await db.workspace.update({ where: { id: workspaceId }, data: { processVersion: { increment: 1 } } });
      const at = clock.now();
      await db.processFile.create({ data: { workspaceId, version: w.processVersion, ...f, loadedAt: at } });
      return { workspaceId, version: w.processVersion, ...f, loadedAt: at };
    },
    async findProcessFile(workspaceId, version) {
      const r = await db.processFile.findUnique({ where: { workspaceId_version: { workspaceId, version } } });
      return (
        r && {
          workspaceId: r.workspaceId,
          version: r.version,
          text: r.text,
          source: r.source,
          loadedById: r.loadedById,
          loadedAt: r.loadedAt,
        }
      );
    },
    async nextDealNumber(workspaceId) {
      const w = await db.workspace.update({ where: { id: workspaceId }, data: { dealSeq: { increment: 1 } } });
      return { number: w.dealSeq, processVersion: w.processVersion };
    },
    async createDeal(d) {
      const { closeDate, at, ...rest } = d;
      return deal(
        await db.deal.create({
          data: { ...rest, closeDate: fromIsoDate(closeDate), stageEnteredAt: at, createdAt: at, updatedAt: at },
        }),
      );
    },
    async findDealById(workspaceId, id) {
      const r = await db.deal.findFirst({ where: { id, workspaceId } });
      return r && deal(r);
    },
    async findDealByNumber(workspaceId, number) {
      const r = await db.deal.findUnique({ where: { workspaceId_number: { workspaceId, number } } });
      return r && deal(r);
    },
    async findDealByRoom(workspaceId, roomId) {
      const r = await db.deal.findUnique({ where: { workspaceId_roomId: { workspaceId, roomId } } });
      return r && deal(r);
    },
    async findDealByCreateKey(workspaceId, createKey) {
      const r = await db.deal.findUnique({ where: { workspaceId_createKey: { workspaceId, createKey } } });
      return r && deal(r);
    },
    async lockDeal(workspaceId, id) {
      await db.$executeRaw`SELECT 1 FROM "Deal" WHERE id = ${id}::uuid AND "workspaceId" = ${workspaceId}::uuid FOR UPDATE`;
      return deal(await db.deal.findFirstOrThrow({ where: { id, workspaceId } }));
    },
    async lockDealFor(workspaceId, by, o) {
      // One round trip: this delivery's receipt written (a concurrent redelivery waits on its key
      // and then writes nothing), the deal row locked, and whether the speaker is in its room.
      const where = 'number' in by ? Prisma.sql`d.number = ${by.number}` : Prisma.sql`d."roomId" = ${by.roomId}`;
      const receipt = o.requestKey
        ? Prisma.sql`WITH r AS (INSERT INTO "RequestReceipt" ("workspaceId", key, at)
            VALUES (${workspaceId}::uuid, ${o.requestKey}, ${clock.now()}) ON CONFLICT DO NOTHING RETURNING 1)`
        : Prisma.empty;
      const fresh = o.requestKey ? Prisma.sql`EXISTS (SELECT 1 FROM r)` : Prisma.sql`true`;
      const [r] = await db.$queryRaw<any[]>`
        ${receipt}
        SELECT d.*, ${fresh} AS "fresh",
          EXISTS (SELECT 1 FROM "DealMember" dm WHERE dm."dealId" = d.id AND dm."memberId" = ${o.memberId}::uuid) AS "speakerInRoom"
        FROM "Deal" d WHERE d."workspaceId" = ${workspaceId}::uuid AND ${where}
        FOR UPDATE OF d`;
      return r ? { deal: deal(r), speakerInRoom: r.speakerInRoom, fresh: r.fresh } : null;
    },
    async updateDeal(workspaceId, id, patch) {
      return deal(
        await db.deal.update({ where: { id, workspaceId }, data: { ...dealData(patch), updatedAt: clock.now() } }),
      );
    },
    async listDeals(workspaceId, f: DealFilter) {
      const rows = await db.deal.findMany({
        where: {
          workspaceId,
          status: f.status,
          stage: f.stage,
          ownerId: f.ownerIds ? { in: f.ownerIds } : undefined,
          members: f.memberId ? { some: { memberId: f.memberId } } : undefined,
          ...(f.openOrClosedSince ? { OR: [{ status: 'open' }, { closedAt: { gte: f.openOrClosedSince } }] } : {}),
        },
        orderBy: { number: 'asc' },
        take: f.limit,
      });
      return rows.map(deal);
    },

    async findDealView(d) {
      // One round trip for everything the card and `/deal info` show (five reads before). Rows
      // come back as JSON: timestamps as text, revived here.
      const [r] = await db.$queryRaw<any[]>`
        SELECT to_jsonb(a) AS account,
          (SELECT to_jsonb(m) FROM "Member" m WHERE m.id = ${d.ownerId}::uuid AND m."workspaceId" = a."workspaceId") AS owner,
          (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c."createdAt", c.id), '[]') FROM "Contact" c
            WHERE c."accountId" = a.id) AS contacts,
          (SELECT coalesce(jsonb_agg(jsonb_build_object('member', to_jsonb(m), 'role', dm.role) ORDER BY dm."addedAt", dm."memberId"), '[]')
            FROM "DealMember" dm JOIN "Member" m ON m.id = dm."memberId"
            WHERE dm."dealId" = ${d.id}::uuid AND m."workspaceId" = a."workspaceId") AS members,
          (SELECT coalesce(jsonb_agg(jsonb_build_object('action', to_jsonb(x), 'assignee', to_jsonb(m)) ORDER BY x.number), '[]')
            FROM "ActionItem" x JOIN "Member" m ON m.id = x."assigneeId"
            WHERE x."dealId" = ${d.id}::uuid AND x.status = 'open' AND m."workspaceId" = a."workspaceId") AS actions
        FROM "Account" a WHERE a.id = ${d.accountId}::uuid AND a."workspaceId" = ${d.workspaceId}::uuid`;
      if (!r?.owner) return null;
      const at = (v: string | null) => (v === null ? null : new Date(v));
      const m = (x: any) => member({ ...x, profileAt: at(x.profileAt) });
      return {
        account: account(r.account),
        owner: m(r.owner),
        contacts: r.contacts.map(contact),
        members: r.members.map((x: any) => ({ member: m(x.member), role: x.role })),
        openActions: r.actions.map((x: any) => ({
          ...action({ ...x.action, dueOn: null, closedAt: at(x.action.closedAt), createdAt: at(x.action.createdAt) }),
          dueOn: x.action.dueOn, // a date column: already 'YYYY-MM-DD' in JSON
          assignee: m(x.assignee),
        })),
      };
    },
    async listRoomsToArchive(closedBefore, limit) {
      const rows = await db.deal.findMany({
        where: {
          status: { not: 'open' },
          closedAt: { lt: closedBefore },
          roomArchivedAt: null,
          roomId: { not: null },
        },
        orderBy: { closedAt: 'asc' },
        take: limit,
      });
      return rows.map(deal);
    },
    async addDealMember(dealId, memberId, role) {
      const r = await db.dealMember.createMany({
        data: [{ dealId, memberId, role, addedAt: clock.now() }],
        skipDuplicates: true,
      });
      return r.count === 1;
    },
    async listDealMembers(dealId) {
      return (await db.dealMember.findMany({ where: { dealId }, orderBy: { addedAt: 'asc' } })) as DealMember[];
    },
    async isDealMember(dealId, memberId) {
      return (await db.dealMember.count({ where: { dealId, memberId } })) > 0;
    },
    async removeDealMember(dealId, memberId) {
      return (await db.dealMember.deleteMany({ where: { dealId, memberId } })).count === 1;
    },

    async nextActionNumber(workspaceId, dealId) {
      const r = await db.deal.update({
        where: { id: dealId, workspaceId },
        data: { actionSeq: { increment: 1 } },
        select: { actionSeq: true },
      });
      return r.actionSeq;
    },
    async createAction(a) {
      return action(
        await db.actionItem.create({ data: { ...a, dueOn: fromIsoDate(a.dueOn), createdAt: clock.now() } }),
      );
    },
    async findAction(dealId, number) {
      const r = await db.actionItem.findUnique({ where: { dealId_number: { dealId, number } } });
      return r && action(r);
    },
    async updateAction(id, patch) {
      const data = 'dueOn' in patch ? { ...patch, dueOn: fromIsoDate(patch.dueOn ?? null) } : patch;
      return action(await db.actionItem.update({ where: { id }, data }));
    },
    async listActions(dealId, status) {
      return (await db.actionItem.findMany({ where: { dealId, status }, orderBy: { number: 'asc' } })).map(action);
    },
    async listActionsOfAssignee(workspaceId, memberId, status) {
      const rows = await db.actionItem.findMany({
        where: { assigneeId: memberId, status, deal: { workspaceId } },
        include: { deal: { select: { number: true, title: true } } },
        orderBy: [{ dueOn: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
      });
      return rows.map((r) => ({ ...action(r), dealNumber: r.deal.number, dealTitle: r.deal.title }));
    },

    async recordRequest(workspaceId, key) {
      const r = await db.requestReceipt.createMany({
        data: [{ workspaceId, key, at: clock.now() }],
        skipDuplicates: true,
      });
      return r.count === 1;
    },
    async saveRequestReply(workspaceId, key, reply) {
      await db.requestReceipt.updateMany({
        where: { workspaceId, key },
        data: { reply: reply as unknown as Prisma.InputJsonValue },
      });
    },
    async findRequestReply(workspaceId, key) {
      const r = await db.requestReceipt.findUnique({ where: { workspaceId_key: { workspaceId, key } } });
      return (r?.reply as unknown as Message | null) ?? null;
    },
    async pruneRequests(before) {
      return (await db.requestReceipt.deleteMany({ where: { at: { lt: before } } })).count;
    },
    async appendEvents(workspaceId, dealId, events: NewEvent[]) {
      if (!events.length) return;
      await db.dealEvent.createMany({
        data: events.map((e) => ({
          workspaceId,
          dealId,
          actorId: e.actorId,
          type: e.type,
          at: e.at ?? clock.now(),
          data: e.data as Prisma.InputJsonValue,
        })),
      });
    },
    async listEvents(dealId, limit) {
      return (await db.dealEvent.findMany({ where: { dealId }, orderBy: { id: 'asc' }, take: limit })).map(event);
    },

    async enqueueSteps(steps, now, o = {}) {
      if (!steps.length) return [];
      const rows = steps.map((s, i) => ({
        i,
        w: s.workspaceId,
        d: s.dealId,
        k: s.kind,
        p: s.payload,
        r: (s.runAfter ?? now).toISOString(),
        c: s.reservedFor?.claimer ?? null,
        l: s.reservedFor?.until.toISOString() ?? null,
      }));
      // One statement for all of a command's steps, in order; a card refresh is left out when one
      // not yet tried is queued for the deal (it renders the deal as it is when it runs).
      const ids = await db.$queryRaw<{ id: bigint }[]>`
        INSERT INTO "OutboxStep" ("workspaceId", "dealId", kind, payload, "runAfter", "createdAt", "claimedBy", "leaseUntil")
        SELECT v.w, v.d, v.k, v.p, v.r, ${now}, v.c, v.l
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS v(i int, w uuid, d uuid, k text, p jsonb, r timestamptz, c text, l timestamptz)
        WHERE NOT (${Boolean(o.skipQueuedCard)} AND v.k = 'card' AND v.d IS NOT NULL AND EXISTS (
          SELECT 1 FROM "OutboxStep" y
          WHERE y."dealId" = v.d AND y.kind = 'card' AND y.status = 'pending' AND y.attempts = 0))
        ORDER BY v.i
        RETURNING id`;
      return ids
        .map((r) => BigInt(r.id))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map(String);
    },
    async claimSteps(claimer, now, leaseMs, o) {
      const until = new Date(now.getTime() + leaseMs);
      const only = (o.ids ?? []).join(',');
      // SKIP LOCKED: replicas on one PostgreSQL take different steps. A deal's later step waits
      // until every earlier one of that deal is no longer pending (the room before its card).
      // Named steps may be reserved for this claimer (the command's own, run at once by its process).
      const rows = await db.$queryRaw<any[]>`
        UPDATE "OutboxStep" s SET "claimedBy" = ${claimer}, "leaseUntil" = ${until}, attempts = s.attempts + 1
        WHERE s.id IN (
          SELECT x.id FROM "OutboxStep" x
          WHERE x.status = 'pending' AND x."runAfter" <= ${now}
            AND (x."leaseUntil" IS NULL OR x."leaseUntil" < ${now} OR (${only} <> '' AND x."claimedBy" = ${claimer}))
            AND (${only} = '' OR x.id::text = ANY(string_to_array(${only}, ',')))
            AND NOT EXISTS (SELECT 1 FROM "OutboxStep" y
              WHERE y."dealId" = x."dealId" AND y.status = 'pending' AND y.id < x.id)
          ORDER BY x.id LIMIT ${o.limit} FOR UPDATE OF x SKIP LOCKED)
        RETURNING s.*`;
      return rows.map(outboxStep).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    },
    async finishStep(id, claimer, patch) {
      const r = await db.outboxStep.updateMany({
        where: { id: BigInt(id), claimedBy: claimer, status: 'pending' },
        data: { ...patch, leaseUntil: null },
      });
      return r.count === 1;
    },
    async listSteps(f) {
      const rows = await db.outboxStep.findMany({
        where: { dealId: f.dealId, status: f.status },
        orderBy: { id: 'asc' },
      });
      return rows.map(outboxStep);
    },
    async oldestPendingStep() {
      const r = await db.outboxStep.findFirst({ where: { status: 'pending' }, orderBy: { id: 'asc' } });
      return r?.createdAt ?? null;
    },

    async saveUpload(u) {
      const r = await db.upload.createMany({ data: [u], skipDuplicates: true });
      return r.count === 1;
    },
    async latestUpload(workspaceId, memberId, kind, since) {
      const r = await db.upload.findFirst({
        where: { workspaceId, memberId, kind, receivedAt: { gte: since } },
        orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      });
      return r && !r.usedAt ? { ...r, id: String(r.id), kind: r.kind as UploadKind } : null;
    },
    async markUploadUsed(id, at) {
      return (
        (await db.upload.updateMany({ where: { id: BigInt(id), usedAt: null }, data: { usedAt: at } })).count === 1
      );
    },

    async receiveInbound(e, now) {
      // One round trip on the ack path; a redelivery (rare) looks its row up.
      const [r] = await db.$queryRaw<{ id: bigint }[]>`
        INSERT INTO "InboxEntry" (platform, key, lane, payload, "receivedAt")
        VALUES (${e.platform}, ${e.key}, ${e.lane}, ${JSON.stringify(e.payload)}::jsonb, ${now})
        ON CONFLICT (platform, key) DO NOTHING RETURNING id`;
      if (r) return { id: String(r.id), fresh: true };
      const row = await db.inboxEntry.findUniqueOrThrow({
        where: { platform_key: { platform: e.platform, key: e.key } },
        select: { id: true },
      });
      return { id: String(row.id), fresh: false };
    },
    async claimInbound(claimer, now, leaseMs, limit) {
      const until = new Date(now.getTime() + leaseMs);
      // The head of each lane only: a lane's next entry waits until the one before it is finished.
      // Fair between workspaces: each workspace's oldest head first, then each one's second, …, so
      // a busy workspace (many people at once) never fills every worker while another waits. A
      // lane is `<workspace>:<person>` (src/app/inbox.ts). The lock is taken in the outer select:
      // PostgreSQL allows no FOR UPDATE beside a window function.
      const rows = await db.$queryRaw<any[]>`
        UPDATE "InboxEntry" e SET "claimedBy" = ${claimer}, "leaseUntil" = ${until}, attempts = e.attempts + 1
        WHERE e.id IN (
          SELECT z.id FROM "InboxEntry" z JOIN (
            SELECT x.id, row_number() OVER (PARTITION BY x.platform, split_part(x.lane, ':', 1) ORDER BY x.id) AS turn
            FROM "InboxEntry" x
            WHERE x.status = 'pending' AND (x."leaseUntil" IS NULL OR x."leaseUntil" < ${now})
              AND NOT EXISTS (SELECT 1 FROM "InboxEntry" y
                WHERE y.lane = x.lane AND y.status = 'pending' AND y.id < x.id)) h ON h.id = z.id
          WHERE z.status = 'pending'
          ORDER BY h.turn, z.id LIMIT ${limit} FOR UPDATE OF z SKIP LOCKED)
        RETURNING e.*`;
      return rows.map(inbound).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    },
    async finishInbound(id, claimer, patch) {
      const r = await db.inboxEntry.updateMany({
        where: { id: BigInt(id), claimedBy: claimer, status: 'pending' },
        data: { ...patch, leaseUntil: null },
      });
      return r.count === 1;
    },
    async oldestPendingInbound() {
      const r = await db.inboxEntry.findFirst({ where: { status: 'pending' }, orderBy: { id: 'asc' } });
      return r?.receivedAt ?? null;
    },
    async listClaimers() {
      const [inbox, outbox, digests] = await Promise.all([
        db.inboxEntry.findMany({ where: { status: 'pending', claimedBy: { not: null } }, distinct: ['claimedBy'] }),
        db.outboxStep.findMany({ where: { status: 'pending', claimedBy: { not: null } }, distinct: ['claimedBy'] }),
        db.digestDelivery.findMany({ where: { status: 'sending', claimedBy: { not: null } }, distinct: ['claimedBy'] }),
      ]);
      return [...new Set([...inbox, ...outbox, ...digests].map((r) => r.claimedBy!))];
    },
    async releaseClaims(claimers) {
      if (!claimers.length) return;
      const mine = { status: 'pending', claimedBy: { in: claimers } };
      await db.inboxEntry.updateMany({ where: mine, data: { leaseUntil: null } });
      await db.outboxStep.updateMany({ where: mine, data: { leaseUntil: null } });
      // A digest its sender was sending: due for the arrived-or-not check on the next tick.
      await db.digestDelivery.updateMany({
        where: { status: 'sending', claimedBy: { in: claimers } },
        data: { claimedAt: new Date(0) },
      });
    },
  };
}

function inbound(r: any): InboundEntry {
  return {
    id: String(r.id),
    platform: r.platform,
    key: r.key,
    lane: r.lane,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    receivedAt: r.receivedAt,
  };
}

function outboxStep(r: any): OutboxStep {
  return {
    id: String(r.id),
    workspaceId: r.workspaceId,
    dealId: r.dealId,
    kind: r.kind,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    runAfter: r.runAfter,
    createdAt: r.createdAt,
    doneAt: r.doneAt,
    error: r.error,
  };
}

function delivery(r: any): DigestDelivery {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    recipientId: r.recipientId,
    kind: r.kind,
    period: r.period,
    status: r.status,
    attempts: r.attempts,
    since: r.since,
    until: r.until,
    sentAt: r.sentAt,
    claimedAt: r.claimedAt,
    error: r.error,
  };
}

export function makeDigestRepos(db: Db, clock: Clock): DigestRepos {
  return {
    async listWorkspaces(platform) {
      return (await db.workspace.findMany({ where: { platform }, orderBy: { createdAt: 'asc' } })).map(workspace);
    },
    async listEventsForDeals(workspaceId, dealIds, since) {
      if (!dealIds.length) return [];
      const rows = await db.dealEvent.findMany({
        where: { workspaceId, dealId: { in: dealIds }, at: { gte: since } },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      });
      return rows.map(event);
    },
    weeklyStats(q) {
      return weeklyStatsSql(db, q);
    },
    async listOpenActionsForAssignees(workspaceId, memberIds) {
      if (!memberIds.length) return [];
      // From the assignees' open actions (index on assignee and status) to their deals by key, in
      // one statement: a filter through the deal relation made PostgreSQL scan every deal, and the
      // include cost two more statements with IN lists of every deal id.
      const rows = await db.$queryRaw<any[]>`
        SELECT a.*, d.number AS "dealNumber", d.title AS "dealTitle", d."roomId" AS "roomId", acc.name AS "account"
        FROM "ActionItem" a
        -- OFFSET 0 keeps these lookups by key (one per action): left to itself, the planner
        -- hashes the whole Deal table once the org is large enough.
        JOIN LATERAL (SELECT x.number, x.title, x."roomId", x."accountId" FROM "Deal" x
          WHERE x.id = a."dealId" AND x."workspaceId" = ${workspaceId}::uuid AND x.status = 'open' OFFSET 0) d ON true
        JOIN LATERAL (SELECT y.name FROM "Account" y WHERE y.id = d."accountId" OFFSET 0) acc ON true
        WHERE a."assigneeId" = ANY(${[...new Set(memberIds)]}::uuid[]) AND a.status = 'open'
        ORDER BY a."dueOn" ASC NULLS LAST, a."createdAt" ASC, a.id ASC`;
      return rows.map((r) => ({
        ...action(r),
        dealNumber: r.dealNumber,
        dealTitle: r.dealTitle,
        roomId: r.roomId,
        account: r.account,
      }));
    },
    async lastSentDelivery(recipientId, kind) {
      const r = await db.digestDelivery.findFirst({
        where: { recipientId, kind, status: 'sent' },
        orderBy: { sentAt: 'desc' },
      });
      return r && delivery(r);
    },
    async ensureDelivery(d) {
      const r = await db.digestDelivery.createMany({
        data: [{ ...d, createdAt: clock.now() }],
        skipDuplicates: true,
      });
      return r.count === 1;
    },
    async claimDeliveries(platform, claimer, now, limit) {
      // SKIP LOCKED: replicas on one PostgreSQL each take different rows, never the same one.
      const rows = await db.$queryRaw<any[]>`
        UPDATE "DigestDelivery" d SET status = 'sending', "claimedBy" = ${claimer}, "claimedAt" = ${now}, attempts = d.attempts + 1
        WHERE d.id IN (
          SELECT x.id FROM "DigestDelivery" x JOIN "Workspace" w ON w.id = x."workspaceId"
          WHERE x.status = 'pending' AND w.platform = ${platform}
          ORDER BY x."createdAt" LIMIT ${limit} FOR UPDATE OF x SKIP LOCKED)
        RETURNING d.*`;
      return rows.map(delivery);
    },
    async finishDelivery(id, patch) {
      await db.digestDelivery.update({ where: { id }, data: patch });
    },
    async listStaleSending(platform, before) {
      const rows = await db.digestDelivery.findMany({
        where: { status: 'sending', claimedAt: { lt: before } },
        orderBy: { claimedAt: 'asc' },
      });
      const ws = new Map(
        (await db.workspace.findMany({ where: { id: { in: rows.map((r) => r.workspaceId) } } })).map((w) => [
          w.id,
          w.platform,
        ]),
      );
      return rows.filter((r) => ws.get(r.workspaceId) === platform).map(delivery);
    },
    async listDeliveries(f) {
      return (
        await db.digestDelivery.findMany({
          where: { recipientId: f.recipientId, period: f.period },
          orderBy: { createdAt: 'asc' },
        })
      ).map(delivery);
    },
  };
}

export function prismaStore(db: Db, clock: Clock): Store {
  return {
    repos: makeRepos(db, clock),
    digests: makeDigestRepos(db, clock),
    async transaction(fn) {
      try {
        return await db.$transaction((tx) => fn(makeRepos(tx, clock)), { timeout: 20_000, maxWait: 20_000 });
      } catch (e: any) {
        // A unique key taken by a concurrent transaction (two deliveries of one command racing):
        // the app retries once and then sees the winner's row.
        if (e?.code === 'P2002')
          throw new DealroomError('conflict', 'A concurrent change took the same key', {}, { cause: e });
        throw e;
      }
    },
  };
}
