// `info`, `history`, `actions [mine]`, `list`, `pipeline`, `mine`: read-only, and only what the
// reader may see (deals whose room they are in, their team's deals, all for admins).
import type { CommandOf } from '../../commands/types.ts';
import { Exact } from '../../domain/funnel.ts';
import type { Deal, Member } from '../../domain/model.ts';
import { pipelineRows } from '../../domain/pipeline.ts';
import type { Locale } from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import { reportsOf } from '../authorize.ts';
import { buildDealCard } from '../card.ts';
import type { TxContext } from '../context.ts';
import { loadDealView } from '../deal-view.ts';
import { formatDate, formatInstant, formatMoney, todayIn } from '../format.ts';
import { type Block, join, type Message, mention, plain, r, type Text, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import { funnelPictureOf } from '../pictures.ts';
import type { Repos } from '../ports.ts';

/** Lines shown per list before "…and N more". */
const LIMIT = 15;

export async function showInfo(ctx: TxContext, deal: Deal): Promise<Outcome> {
  const v = await loadDealView(ctx.repos, deal);
  const card = buildDealCard(
    v,
    ctx.processes.set.get(deal.process),
    ctx.actor.locale,
    todayIn(ctx.now, ctx.actor.timezone),
  );
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
  // What `set industry / region / address` saved, so it is seen somewhere.
  const account = await ctx.repos.findAccountById(deal.workspaceId, deal.accountId);
  const details = (['industry', 'region', 'address'] as const)
    .filter((k) => account?.[k])
    .map((k) => `${tLabel(L, `field.${k}`)}${L === 'zh' ? '：' : ': '}${account![k]}`);
  if (details.length) extra.push({ type: 'context', text: t(L, 'info.account', { details: details.join(' · ') }) });
  extra.push({
    type: 'context',
    text: t(L, 'info.last_contact', {
      when: deal.lastContactAt ? formatInstant(deal.lastContactAt, ctx.actor.timezone, L) : '—',
    }),
  });
  return { reply: { text: card.text, blocks: [...card.blocks.filter((b) => b.type !== 'select'), ...extra] } };
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
    r`${a.status === 'done' ? '☑' : a.status === 'cancelled' ? '✕' : '☐'} #${a.number} ${userText(a.text)} — ${mention(names.get(a.assigneeId)!.externalId)}${a.dueOn ? ` · ${formatDate(a.dueOn, L)}${a.status === 'open' && a.dueOn < today ? ' ⚠️' : ''}` : ''}`;
  // Open ones first: on a long-running deal the list is cut, and what is still to do matters most.
  const ordered = ['open', 'done', 'cancelled'].flatMap((s) => all.filter((a) => a.status === s));
  return { reply: listMessage(tLabel(L, 'actions.title', { deal: deal.number }), ordered.map(line), L) };
}

/** "…and N more" when a list of `n` is cut to LIMIT. */
const moreOf = (L: Locale, n: number) => (n > LIMIT ? t(L, 'common.and_more', { count: n - LIMIT }) : undefined);

/** A titled list of at most LIMIT lines that says how many more there are. */
export function listMessage(title: string, lines: Text[], L: Locale, total = lines.length): Message {
  const items = lines.slice(0, LIMIT);
  const more = moreOf(L, total);
  return { text: join([title, ...items, more], '\n'), blocks: [{ type: 'list', title, items, more }] };
}

/** The deals a member may see: admins all, managers their team's and their rooms', reps their rooms'.
 * `status` undefined: every deal, open or closed. */
export async function visibleDeals(repos: Repos, me: Member, status?: Deal['status']): Promise<Deal[]> {
  if (me.role === 'admin') return repos.listDeals(me.workspaceId, { status });
  const rooms = await repos.listDeals(me.workspaceId, { status, memberId: me.id });
  if (me.role !== 'manager') return rooms;
  const team = reportsOf(await repos.listMembers(me.workspaceId), me.id).map((m) => m.id);
  const owned = team.length ? await repos.listDeals(me.workspaceId, { status, ownerIds: team }) : [];
  const byId = new Map([...rooms, ...owned].map((d) => [d.id, d]));
  return [...byId.values()].sort((a, b) => a.number - b.number);
}

export const visibleOpenDeals = (repos: Repos, me: Member) => visibleDeals(repos, me, 'open');

export async function showPipeline(ctx: TxContext): Promise<Outcome> {
  const L = ctx.actor.locale;
  const deals = await visibleOpenDeals(ctx.repos, ctx.actor.member);
  const currency = ctx.actor.workspace.defaultCurrency;
  // One funnel per process the deals follow (each has its own stages and probabilities); the
  // default process is shown even when empty. Sums are exact decimals, in one currency.
  const set = ctx.processes.set;
  const processes = set.list.filter((p) => p.key === set.defaultKey || deals.some((d) => d.process === p.key));
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
  // The same funnels as pictures: one per process that has deals (the default one when none has).
  const drawn = sections.filter((x) => deals.some((d) => d.process === x.p.key));
  const pictures = (drawn.length ? drawn : sections.slice(0, 1)).map(({ p, rows }) =>
    funnelPictureOf({
      locale: L,
      process: p,
      rows,
      currency,
      count: deals.filter((d) => d.process === p.key).length,
    }),
  );
  return {
    reply: plain(r`${t(L, 'pipeline.title', { count: deals.length })}\n${lines.join('\n')}\n${foot}`),
    pictures,
  };
}
