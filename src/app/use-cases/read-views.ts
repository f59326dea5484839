// `info`, `history`, `actions [mine]`, `list`, `pipeline`, `mine`: read-only, and only what the
// reader may see (deals whose room they are in, their team's deals, all for admins).
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import { Exact } from '../../domain/funnel.ts';
import type { Deal, DealEvent, Member } from '../../domain/model.ts';
import { pipelineRows } from '../../domain/pipeline.ts';
import {
  defaultProcessKey,
  getProcess,
  type Locale,
  matchStage,
  type Process,
  processesInUse,
} from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import { reportsOf } from '../authorize.ts';
import { buildDealCard } from '../card.ts';
import type { TxContext } from '../context.ts';
import { loadDealView } from '../deal-view.ts';
import { formatDate, formatInstant, formatMoney, stageName, todayIn } from '../format.ts';
import { displayName } from '../identity.ts';
import { type Block, join, type Message, mention, plain, r, type Text, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import type { Repos } from '../ports.ts';

/** Lines shown per list before "…and N more". */
const LIMIT = 15;
/** Latest history entries shown. */
const HISTORY = 30;

export async function showInfo(ctx: TxContext, deal: Deal): Promise<Outcome> {
  const v = await loadDealView(ctx.repos, deal);
  const card = buildDealCard(v, ctx.actor.locale, todayIn(ctx.now, ctx.actor.timezone));
  const L = ctx.actor.locale;
  const extra: Block[] = [];
  if (v.contacts.length) {
    extra.push({
      type: 'list',
      title: tLabel(L, 'info.contacts'),
      items: v.contacts
        .slice(0, LIMIT)
        .map(
          (c) =>
            `${c.name}${c.title ? `, ${c.title}` : ''}${c.role ? ` — ${tLabel(L, `role.${c.role}`)}` : ''}${c.email ? ` · ${c.email}` : ''}${c.phone ? ` · ${c.phone}` : ''}`,
        ),
      more: moreOf(L, v.contacts.length),
    });
  }
  extra.push({
    type: 'context',
    text: t(L, 'info.last_contact', {
      when: deal.lastContactAt ? formatInstant(deal.lastContactAt, ctx.actor.timezone, L) : '—',
    }),
  });
  return { reply: { text: card.text, blocks: [...card.blocks.filter((b) => b.type !== 'select'), ...extra] } };
}

function describeEvent(e: DealEvent, L: Locale, names: Map<string, Member>, process: Process): Text {
  const d = e.data as any;
  const who = e.actorId ? displayName(names.get(e.actorId) ?? { name: '?', displayName: '' }) : t(L, 'history.system');
  const stage = (k: unknown) =>
    typeof k === 'string' && process.stages.some((s) => s.key === k) ? stageName(process, k, L) : String(k);
  const member = (id: unknown) => displayName(names.get(String(id)) ?? { name: String(id), displayName: '' });
  // Values in words: an amount as money, a list joined; never raw JSON in front of a person.
  const val = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.length ? v.map(val).join(', ') : '—';
    if (typeof v !== 'object') return String(v);
    const o = v as Record<string, unknown>;
    if ('amount' in o) return formatMoney(typeof o.amount === 'string' ? o.amount : null, String(o.currency ?? ''), L);
    return Object.values(o).map(val).join(' ');
  };
  switch (e.type) {
    case 'created':
      return t(L, 'history.created', { who, account: d.after.account, title: d.after.title });
    case 'stage_changed':
      return r`${t(L, 'history.stage', { who, from: stage(d.before), to: stage(d.after) })}${d.override ? r` (${t(L, 'history.override', { reason: userText(String(d.override)) })})` : ''}`;
    case 'field_changed':
      return t(L, 'history.field', { who, field: d.field, before: val(d.before), after: val(d.after) });
    case 'action_added':
      return t(L, 'history.action_added', {
        who,
        n: d.number,
        text: userText(String(d.text)),
        assignee: member(d.assigneeId),
      });
    case 'action_done':
      return t(L, 'history.action_done', { who, n: d.number });
    case 'action_reopened':
      return t(L, 'history.action_reopened', { who, n: d.number });
    case 'member_added':
      return t(L, 'history.member_added', { who, member: member(d.memberId), role: d.role });
    case 'contact_logged':
      return r`${t(L, 'history.contact_logged', { who, note: userText(String(d.note)) })}${d.after?.nextContactOn ? ` → ${d.after.nextContactOn}` : ''}`;
    case 'contact_saved':
      return t(L, 'history.contact_saved', { who, contact: d.after.name });
    case 'won':
      return t(L, 'history.won', { who });
    case 'lost':
      return t(L, 'history.lost', { who, reason: userText(String(d.reason ?? '')) });
    case 'reopened':
      return t(L, 'history.reopened', { who });
    case 'room_linked':
      return t(L, 'history.room_linked', { room: d.roomId });
    case 'process_changed': {
      const before = (d.before ?? {}) as Record<string, unknown>;
      const after = (d.after ?? {}) as Record<string, unknown>;
      return t(L, 'history.process_changed', {
        who,
        from: `${String(before.process)} / ${String(before.stage)}`,
        to: `${String(after.process)} / ${String(after.stage)}`,
      });
    }
    case 'outcome_recorded': {
      const o = process.outcomes.find((x) => x.key === d.outcome);
      return t(L, 'history.outcome', {
        who,
        outcome: o?.names[L] ?? String(d.outcome ?? ''),
        date: formatDate(typeof d.on === 'string' ? d.on : null, L),
        by: typeof d.confirmedBy === 'string' ? t(L, 'outcome.by', { who: userText(d.confirmedBy) }) : '',
      });
    }
  }
}

export async function showHistory(ctx: TxContext, deal: Deal): Promise<Outcome> {
  const L = ctx.actor.locale;
  const events = await ctx.repos.listEvents(deal.id);
  const names = new Map((await ctx.repos.listMembers(deal.workspaceId)).map((m) => [m.id, m]));
  const process = getProcess(deal.process);
  const shown = events.slice(-HISTORY);
  const lines = shown.map(
    (e) => r`${formatInstant(e.at, ctx.actor.timezone, L)}  ${describeEvent(e, L, names, process)}`,
  );
  const head = tLabel(L, 'history.title', { deal: deal.number, count: events.length });
  const more =
    events.length > shown.length ? t(L, 'history.earlier', { count: events.length - shown.length }) : undefined;
  return {
    reply: {
      text: head,
      blocks: [
        { type: 'header', text: head },
        // The earlier-changes note comes first: the list shows the latest changes, oldest first.
        ...(more ? [{ type: 'context' as const, text: more }] : []),
        { type: 'list', items: lines },
      ],
    },
  };
}

export async function showActions(ctx: TxContext, deal: Deal | null, cmd: CommandOf<'actions'>): Promise<Outcome> {
  const L = ctx.actor.locale;
  const today = todayIn(ctx.now, ctx.actor.timezone);
  if (!deal || cmd.mine) {
    const mine = await ctx.repos.listActionsOfAssignee(ctx.actor.workspace.id, ctx.actor.member.id, 'open');
    const list = deal ? mine.filter((a) => a.dealId === deal.id) : mine;
    if (!list.length) return { reply: plain(t(L, 'actions.none_mine')) };
    return {
      reply: listMessage(
        tLabel(L, 'actions.mine_title', { count: list.length }),
        list.map(
          (a) =>
            r`#${a.dealNumber}/${a.number} ${userText(a.text)}${a.dueOn ? ` — ${formatDate(a.dueOn, L)}${a.dueOn < today ? ' ⚠️' : ''}` : ''}`,
        ),
        L,
      ),
    };
  }
  const names = new Map((await ctx.repos.listMembers(deal.workspaceId)).map((m) => [m.id, m]));
  const all = await ctx.repos.listActions(deal.id);
  if (!all.length) return { reply: plain(t(L, 'actions.none', { deal: deal.number })) };
  const line = (a: (typeof all)[number]) =>
    r`${a.status === 'done' ? '☑' : '☐'} #${a.number} ${userText(a.text)} — ${mention(names.get(a.assigneeId)!.externalId)}${a.dueOn ? ` · ${formatDate(a.dueOn, L)}${a.status === 'open' && a.dueOn < today ? ' ⚠️' : ''}` : ''}`;
  // Open ones first: on a long-running deal the list is cut, and what is still to do matters most.
  const ordered = [...all.filter((a) => a.status === 'open'), ...all.filter((a) => a.status !== 'open')];
  return { reply: listMessage(tLabel(L, 'actions.title', { deal: deal.number }), ordered.map(line), L) };
}

/** "…and N more" when a list of `n` is cut to LIMIT. */
const moreOf = (L: Locale, n: number) => (n > LIMIT ? t(L, 'common.and_more', { count: n - LIMIT }) : undefined);

/** A titled list of at most LIMIT lines that says how many more there are. */
function listMessage(title: string, lines: Text[], L: Locale): Message {
  const items = lines.slice(0, LIMIT);
  const more = moreOf(L, lines.length);
  return { text: join([title, ...items, more], '\n'), blocks: [{ type: 'list', title, items, more }] };
}

/** The deals a member may see: admins all, managers their team's and their rooms', reps their rooms'. */
export async function visibleOpenDeals(repos: Repos, me: Member): Promise<Deal[]> {
  if (me.role === 'admin') return repos.listDeals(me.workspaceId, { status: 'open' });
  const rooms = await repos.listDeals(me.workspaceId, { status: 'open', memberId: me.id });
  if (me.role !== 'manager') return rooms;
  const team = reportsOf(await repos.listMembers(me.workspaceId), me.id).map((m) => m.id);
  const owned = team.length ? await repos.listDeals(me.workspaceId, { status: 'open', ownerIds: team }) : [];
  const byId = new Map([...rooms, ...owned].map((d) => [d.id, d]));
  return [...byId.values()].sort((a, b) => a.number - b.number);
}

export async function listDeals(ctx: TxContext, cmd: CommandOf<'list'> | CommandOf<'mine'>): Promise<Outcome> {
  const L = ctx.actor.locale;
  const me = ctx.actor.member;
  let deals =
    cmd.name === 'mine' || cmd.mine
      ? await ctx.repos.listDeals(me.workspaceId, { status: 'open', memberId: me.id })
      : await visibleOpenDeals(ctx.repos, me);
  if (cmd.name === 'list' && cmd.stage) {
    // The stage is read in each deal's own process (`quote` is a transactional stage only).
    const want = cmd.stage;
    const matched = new Map(processesInUse().map((p) => [p.key, matchStage(p, want).stage?.key]));
    if (![...matched.values()].some(Boolean)) {
      const process = getProcess(defaultProcessKey());
      throw new UserError('stage.unknown', {
        input: want,
        stages: process.stages.map((s) => `${s.key} (${s.names[L]})`).join(', '),
      });
    }
    deals = deals.filter((d) => matched.get(d.process) === d.stage);
  }
  if (!deals.length) return { reply: plain(t(L, 'list.none')) };
  const accounts = new Map(
    (
      await ctx.repos.listAccounts(
        me.workspaceId,
        deals.slice(0, LIMIT).map((d) => d.accountId),
      )
    ).map((a) => [a.id, a.name]),
  );
  const lines = deals
    .slice(0, LIMIT)
    .map(
      (d) =>
        `#${d.number} ${accounts.get(d.accountId)} — ${d.title} · ${stageName(getProcess(d.process), d.stage, L)} · ${formatMoney(d.amount, d.currency, L)} · ${formatDate(d.closeDate, L)}`,
    );
  const msg = listMessage(tLabel(L, 'list.title', { count: deals.length }), lines, L);
  if (cmd.name === 'mine') {
    const actions = (await showActions(ctx, null, { name: 'actions', mine: true })).reply!;
    return { reply: { text: join([msg.text, actions.text], '\n'), blocks: [...msg.blocks, ...actions.blocks] } };
  }
  return { reply: msg };
}

export async function showPipeline(ctx: TxContext): Promise<Outcome> {
  const L = ctx.actor.locale;
  const deals = await visibleOpenDeals(ctx.repos, ctx.actor.member);
  const currency = ctx.actor.workspace.defaultCurrency;
  // One funnel per process the deals follow (each has its own stages and probabilities); the
  // default process is shown even when empty. Sums are exact decimals, in one currency.
  const processes = processesInUse().filter(
    (p) => p.key === defaultProcessKey() || deals.some((d) => d.process === p.key),
  );
  const sections = processes.map((p) => ({
    p,
    rows: pipelineRows(
      p,
      deals.filter((d) => d.process === p.key),
      currency,
      L,
    ),
  }));
  const other = deals.filter((d) => d.currency !== currency).length;
  const total = sections.flatMap((x) => x.rows).reduce((a, row) => a.plus(row.weighted), new Exact(0));
  const lines = sections.flatMap(({ p, rows }) => [
    ...(sections.length > 1 ? [`${p.names[L]}:`] : []),
    ...rows.map(
      (row) =>
        `• ${row.label} (${Math.round(row.probability * 100)}%): ${row.count} · ${formatMoney(row.amount, currency, L)}`,
    ),
  ]);
  const foot = join(
    [
      t(L, 'pipeline.weighted', { amount: formatMoney(total.toFixed(2), currency, L) }),
      other ? t(L, 'pipeline.other_currency', { count: other, currency }) : '',
    ].filter((x) => x.length),
    '\n',
  );
  return { reply: plain(r`${t(L, 'pipeline.title', { count: deals.length })}\n${lines.join('\n')}\n${foot}`) };
}
