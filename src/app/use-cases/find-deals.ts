// `list …` and `find <text>`: finding deals among those the reader may see (src/app/authorize.ts
// rules, applied by visibleDeals): by how they ended, by owner, stage or account, or by text.
import type { CommandOf } from '../../commands/types.ts';
import type { Deal, Member } from '../../domain/model.ts';
import { matchStage } from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatDate, formatMoney, stageName } from '../format.ts';
import { isEmpty, join, mention, plain, r, type Text } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import { unknownStage } from '../stage-typo.ts';
import { listMessage, showActions, visibleDeals } from './read-views.ts';

type Which = 'open' | 'won' | 'lost' | 'closed' | 'all';

async function dealsOf(ctx: TxContext, which: Which, onlyMine: boolean): Promise<Deal[]> {
  const me = ctx.actor.member;
  const status = which === 'open' || which === 'won' || which === 'lost' ? which : undefined;
  const all = onlyMine
    ? await ctx.repos.listDeals(me.workspaceId, { status, memberId: me.id })
    : await visibleDeals(ctx.repos, me, status);
  return which === 'closed' ? all.filter((d) => d.status !== 'open') : all;
}

/** One line per deal: number, account — title, stage, amount, close date, owner. */
async function dealLines(ctx: TxContext, deals: Deal[], note?: (d: Deal) => Text | undefined): Promise<Text[]> {
  const L = ctx.actor.locale;
  const ws = ctx.actor.workspace.id;
  const accounts = new Map(
    (
      await ctx.repos.listAccounts(
        ws,
        deals.map((d) => d.accountId),
      )
    ).map((a) => [a.id, a.name]),
  );
  const people = new Map((await ctx.repos.listMembers(ws)).map((m) => [m.id, m]));
  return deals.map((d) => {
    const owner = people.get(d.ownerId);
    const extra = note?.(d);
    return r`#${d.number} ${accounts.get(d.accountId) ?? '?'} — ${d.title} · ${stageName(ctx.processes.set.get(d.process), d.stage, L)} · ${formatMoney(d.amount, d.currency, L)} · ${formatDate(d.closeDate, L)} · ${owner ? mention(owner.externalId) : '?'}${extra && !isEmpty(extra) ? r` · ${extra}` : ''}`;
  });
}

export async function listDeals(
  ctx: TxContext,
  cmd: CommandOf<'list'> | CommandOf<'mine'>,
  owner?: Member,
): Promise<Outcome> {
  const L = ctx.actor.locale;
  const which: Which = (cmd.name === 'list' && cmd.status) || 'open';
  let deals = await dealsOf(ctx, which, cmd.name === 'mine' || cmd.mine);
  const filtered = cmd.name === 'list' && Boolean(cmd.stage || cmd.account || owner);
  if (cmd.name === 'list' && cmd.stage) {
    // The stage is read in each deal's own process (`quote` is a transactional stage only).
    const want = cmd.stage;
    const set = ctx.processes.set;
    const matched = new Map(set.list.map((p) => [p.key, matchStage(p, want).stage?.key]));
    if (![...matched.values()].some(Boolean))
      throw unknownStage(set.get(set.defaultKey), want, L, (s) =>
        L === 'zh' ? `列表 阶段:${s.names.zh}` : `list stage:${s.key}`,
      );
    deals = deals.filter((d) => matched.get(d.process) === d.stage);
  }
  if (owner) deals = deals.filter((d) => d.ownerId === owner.id);
  if (cmd.name === 'list' && cmd.account) {
    const q = cmd.account.toLowerCase();
    const names = await ctx.repos.listAccounts(ctx.actor.workspace.id, [...new Set(deals.map((d) => d.accountId))]);
    const hit = new Set(names.filter((a) => a.name.toLowerCase().includes(q)).map((a) => a.id));
    deals = deals.filter((d) => hit.has(d.accountId));
  }
  if (!deals.length)
    return { reply: plain(which === 'open' && !filtered ? t(L, 'list.none') : t(L, 'list.none_match')) };
  const lines = await dealLines(ctx, deals.slice(0, 15));
  const msg = listMessage(tLabel(L, `list.title_${which}`, { count: deals.length }), lines, L, deals.length);
  if (cmd.name === 'mine') {
    const actions = (await showActions(ctx, null, { name: 'actions', mine: true })).reply!;
    return { reply: { text: join([msg.text, actions.text], '\n'), blocks: [...msg.blocks, ...actions.blocks] } };
  }
  return { reply: msg };
}

/** `find <text>`: every deal the reader may see, open or closed, whose account, title or a contact
 * (name, title or email) contains the text, case-insensitively. */
export async function findDeals(ctx: TxContext, cmd: CommandOf<'find'>): Promise<Outcome> {
  const L = ctx.actor.locale;
  const q = cmd.text.toLowerCase();
  const deals = await dealsOf(ctx, 'all', false);
  const accounts = new Map(
    (await ctx.repos.listAccounts(ctx.actor.workspace.id, [...new Set(deals.map((d) => d.accountId))])).map((a) => [
      a.id,
      a,
    ]),
  );
  const contactHit = new Map<string, string>(); // account id → the contact that matched
  for (const id of accounts.keys()) {
    const c = (await ctx.repos.listContacts(id)).find((c) =>
      [c.name, c.title, c.email].some((x) => x?.toLowerCase().includes(q)),
    );
    if (c) contactHit.set(id, c.name);
  }
  const found = deals.filter(
    (d) =>
      d.title.toLowerCase().includes(q) ||
      accounts.get(d.accountId)?.name.toLowerCase().includes(q) ||
      contactHit.has(d.accountId),
  );
  if (!found.length) return { reply: plain(t(L, 'find.none', { text: cmd.text })) };
  // Open deals first: they are what people usually look for.
  found.sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open') || a.number - b.number);
  const lines = await dealLines(ctx, found.slice(0, 15), (d) => {
    const c = contactHit.get(d.accountId);
    const status = d.status === 'open' ? undefined : tLabel(L, `status.${d.status}`);
    return join(
      [status, c ? t(L, 'find.contact', { contact: c }) : undefined].filter((x) => x !== undefined),
      ' · ',
    );
  });
  return {
    reply: listMessage(tLabel(L, 'find.title', { text: cmd.text, count: found.length }), lines, L, found.length),
  };
}
