// Fixing mistakes, each kept in history: `edit <n>`, `reassign <n> @x`, `cancel <n>` (an action is
// never deleted: cancelled, it leaves the open lists), `set owner @x`, `remove @x` (from the deal
// and from its platform room).
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { ActionItem, Deal, Member, NewEvent } from '../../domain/model.ts';
import { t, tLabel } from '../../i18n/index.ts';
import { assertCanManage } from '../authorize.ts';
import type { TxContext } from '../context.ts';
import { formatDate } from '../format.ts';
import { roomLocale } from '../identity.ts';
import { join, mention, plain, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';

async function actionOf(ctx: TxContext, deal: Deal, n: number): Promise<ActionItem> {
  const a = await ctx.repos.findAction(deal.id, n);
  if (!a) throw new UserError('action.not_found', { deal: deal.number, n });
  return a;
}

const event = (ctx: TxContext, deal: Deal, type: NewEvent['type'], data: Record<string, unknown>): NewEvent => ({
  dealId: deal.id,
  actorId: ctx.actor.member.id,
  type,
  at: ctx.now,
  data,
});

export async function editAction(ctx: TxContext, deal: Deal, cmd: CommandOf<'edit'>): Promise<Outcome> {
  const W = roomLocale(ctx.actor.workspace);
  const a = await actionOf(ctx, deal, cmd.number);
  if (a.status === 'cancelled') throw new UserError('action.is_cancelled', { n: a.number });
  const after = { text: cmd.text ?? a.text, dueOn: cmd.due ?? a.dueOn };
  if (after.text === a.text && after.dueOn === a.dueOn) throw new UserError('action.unchanged', { n: a.number });
  await ctx.repos.updateAction(a.id, after);
  await ctx.repos.appendEvents(deal.workspaceId, deal.id, [
    event(ctx, deal, 'action_edited', { number: a.number, before: { text: a.text, dueOn: a.dueOn }, after }),
  ]);
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, 'action.edited', {
        user: mention(ctx.actor.member.externalId),
        n: a.number,
        text: userText(after.text),
        due: after.dueOn ? t(W, 'action.due', { date: formatDate(after.dueOn, W) }) : '',
      }),
    ),
    reply: plain(t(ctx.actor.locale, 'action.edited_reply', { n: a.number, deal: deal.number })),
  };
}

export async function reassignAction(
  ctx: TxContext,
  deal: Deal,
  cmd: CommandOf<'reassign'>,
  assignee: Member,
): Promise<Outcome> {
  const W = roomLocale(ctx.actor.workspace);
  const a = await actionOf(ctx, deal, cmd.number);
  if (a.status === 'cancelled') throw new UserError('action.is_cancelled', { n: a.number });
  if (a.assigneeId === assignee.id) throw new UserError('action.unchanged', { n: a.number });
  await ctx.repos.updateAction(a.id, { assigneeId: assignee.id });
  const events = [
    event(ctx, deal, 'action_reassigned', { number: a.number, before: a.assigneeId, after: assignee.id }),
  ];
  // Like a new action: someone outside the room could not see or tick it, so they join.
  const joined = await ctx.repos.addDealMember(deal.id, assignee.id, 'member');
  if (joined) events.push(event(ctx, deal, 'member_added', { memberId: assignee.id, role: 'member', via: 'action' }));
  await ctx.repos.appendEvents(deal.workspaceId, deal.id, events);
  return {
    dealId: deal.id,
    refreshCard: true,
    invite: joined ? [assignee.externalId] : undefined,
    announce: plain(
      t(W, 'action.reassigned', {
        user: mention(ctx.actor.member.externalId),
        n: a.number,
        text: userText(a.text),
        assignee: mention(assignee.externalId),
      }),
    ),
    reply: plain(t(ctx.actor.locale, 'action.reassigned_reply', { n: a.number, deal: deal.number })),
  };
}

export async function cancelAction(ctx: TxContext, deal: Deal, cmd: CommandOf<'cancel'>): Promise<Outcome> {
  const W = roomLocale(ctx.actor.workspace);
  const a = await actionOf(ctx, deal, cmd.number);
  if (a.status === 'cancelled') throw new UserError('action.already_cancelled', { n: a.number });
  await ctx.repos.updateAction(a.id, { status: 'cancelled', closedById: ctx.actor.member.id, closedAt: ctx.now });
  await ctx.repos.appendEvents(deal.workspaceId, deal.id, [
    event(ctx, deal, 'action_cancelled', { number: a.number, text: a.text, before: a.status, after: 'cancelled' }),
  ]);
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, 'action.cancelled', { user: mention(ctx.actor.member.externalId), n: a.number, text: userText(a.text) }),
    ),
    reply: plain(t(ctx.actor.locale, 'action.cancelled_reply', { n: a.number, deal: deal.number })),
  };
}

export async function setOwner(ctx: TxContext, deal: Deal, owner: Member): Promise<Outcome> {
  const W = roomLocale(ctx.actor.workspace);
  await assertCanManage(ctx.repos, ctx.actor.member, deal);
  if (owner.id === deal.ownerId)
    throw new UserError('owner.already', { deal: deal.number, user: mention(owner.externalId) });
  await ctx.repos.updateDeal(deal.workspaceId, deal.id, { ownerId: owner.id });
  const events = [event(ctx, deal, 'field_changed', { field: 'ownerId', before: deal.ownerId, after: owner.id })];
  const joined = await ctx.repos.addDealMember(deal.id, owner.id, 'owner');
  if (joined) events.push(event(ctx, deal, 'member_added', { memberId: owner.id, role: 'owner' }));
  await ctx.repos.appendEvents(deal.workspaceId, deal.id, events);
  return {
    dealId: deal.id,
    refreshCard: true,
    invite: joined ? [owner.externalId] : undefined,
    announce: plain(
      t(W, 'set.changed', {
        user: mention(ctx.actor.member.externalId),
        field: tLabel(W, 'field.owner'),
        value: mention(owner.externalId),
      }),
    ),
    reply: plain(
      t(ctx.actor.locale, 'set.changed_reply', {
        deal: deal.number,
        field: tLabel(ctx.actor.locale, 'field.owner'),
        value: mention(owner.externalId),
      }),
    ),
  };
}

export async function removeMembers(
  ctx: TxContext,
  deal: Deal,
  _cmd: CommandOf<'remove'>,
  people: Member[],
): Promise<Outcome> {
  const W = roomLocale(ctx.actor.workspace);
  await assertCanManage(ctx.repos, ctx.actor.member, deal);
  const owner = people.find((p) => p.id === deal.ownerId);
  if (owner) throw new UserError('remove.owner', { user: mention(owner.externalId) });
  const removed: Member[] = [];
  for (const p of people) if (await ctx.repos.removeDealMember(deal.id, p.id)) removed.push(p);
  if (!removed.length) throw new UserError('remove.none', { deal: deal.number });
  await ctx.repos.appendEvents(
    deal.workspaceId,
    deal.id,
    removed.map((p) => event(ctx, deal, 'member_removed', { memberId: p.id })),
  );
  const names = join(
    removed.map((p) => mention(p.externalId)),
    ', ',
  );
  return {
    dealId: deal.id,
    refreshCard: true,
    removeFromRoom: removed.map((p) => p.externalId),
    announce: plain(t(W, 'remove.done', { user: mention(ctx.actor.member.externalId), people: names })),
    reply: plain(t(ctx.actor.locale, 'remove.done_reply', { deal: deal.number, count: removed.length })),
  };
}
