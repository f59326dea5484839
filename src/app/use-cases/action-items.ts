// `action <@user> <text> [due:<date>]`, `done <n>`, `undo <n>`: the room's action plan. The
// colleague comes back and ticks it, and everyone sees the loop closed.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Deal, Member } from '../../domain/model.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatDate } from '../format.ts';
import { personLocale, roomLocale } from '../identity.ts';
import { join, mention, plain, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';

const wsLocale = (ctx: TxContext) => roomLocale(ctx.actor.workspace);

export async function addAction(
  ctx: TxContext,
  deal: Deal,
  cmd: CommandOf<'action'>,
  assignee: Member,
): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const W = wsLocale(ctx);
  const number = await repos.nextActionNumber(deal.workspaceId, deal.id);
  const a = await repos.createAction({
    dealId: deal.id,
    number,
    text: cmd.text,
    assigneeId: assignee.id,
    dueOn: cmd.due ?? null,
    createdById: actor.member.id,
  });
  const events = [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'action_added' as const,
      at: now,
      data: { number, text: a.text, assigneeId: assignee.id, dueOn: a.dueOn },
    },
  ];
  // An assignee outside the room could not see or tick their action: they join the room.
  const joined = await repos.addDealMember(deal.id, assignee.id, 'member');
  if (joined)
    events.push({
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'member_added' as const,
      at: now,
      data: { memberId: assignee.id, role: 'member', via: 'action' },
    } as any);
  await repos.appendEvents(deal.workspaceId, deal.id, events);
  const due = a.dueOn ? t(W, 'action.due', { date: formatDate(a.dueOn, W) }) : '';
  const assigneeLocale = personLocale(ctx.actor.workspace, assignee);
  return {
    dealId: deal.id,
    refreshCard: true,
    invite: joined ? [assignee.externalId] : undefined,
    announce: plain(
      t(W, 'action.added', {
        user: mention(actor.member.externalId),
        n: number,
        text: userText(a.text),
        assignee: mention(assignee.externalId),
        due,
      }),
    ),
    dms:
      assignee.id === actor.member.id
        ? []
        : [
            {
              userId: assignee.externalId,
              message: plain(
                t(assigneeLocale, 'action.dm', {
                  user: mention(actor.member.externalId),
                  deal: deal.number,
                  n: number,
                  text: userText(a.text),
                  due: a.dueOn ? t(assigneeLocale, 'action.due', { date: formatDate(a.dueOn, assigneeLocale) }) : '',
                }),
              ),
            },
          ],
    reply: plain(t(actor.locale, 'action.added_reply', { deal: deal.number, n: number })),
  };
}

export async function checkAction(
  ctx: TxContext,
  deal: Deal,
  cmd: CommandOf<'done'> | CommandOf<'undo'>,
): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const W = wsLocale(ctx);
  const a = await repos.findAction(deal.id, cmd.number);
  if (!a) throw new UserError('action.not_found', { deal: deal.number, n: cmd.number });
  const done = cmd.name === 'done';
  if (done && a.status === 'done') throw new UserError('action.already_done', { n: a.number });
  if (done && a.status === 'cancelled') throw new UserError('action.is_cancelled', { n: a.number });
  if (!done && a.status === 'open') throw new UserError('action.already_open', { n: a.number });
  await repos.updateAction(
    a.id,
    done
      ? { status: 'done', closedById: actor.member.id, closedAt: now }
      : { status: 'open', closedById: null, closedAt: null },
  );
  await repos.appendEvents(deal.workspaceId, deal.id, [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: done ? 'action_done' : 'action_reopened',
      at: now,
      data: { number: a.number, text: a.text, before: a.status, after: done ? 'done' : 'open' },
    },
  ]);
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, done ? 'action.done' : 'action.reopened', {
        user: mention(actor.member.externalId),
        n: a.number,
        text: userText(a.text),
      }),
    ),
    reply: plain(
      t(actor.locale, done ? 'action.done_reply' : 'action.reopened_reply', { n: a.number, deal: deal.number }),
    ),
  };
}

export async function inviteMembers(
  ctx: TxContext,
  deal: Deal,
  cmd: CommandOf<'invite'>,
  people: Member[],
): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const W = wsLocale(ctx);
  const role = cmd.role?.toLowerCase() ?? 'member';
  const added: Member[] = [];
  for (const p of people) if (await repos.addDealMember(deal.id, p.id, role)) added.push(p);
  if (!added.length) throw new UserError('invite.already', { deal: deal.number });
  await repos.appendEvents(
    deal.workspaceId,
    deal.id,
    added.map((p) => ({
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'member_added' as const,
      at: now,
      data: { memberId: p.id, role },
    })),
  );
  return {
    dealId: deal.id,
    refreshCard: true,
    invite: added.map((p) => p.externalId),
    announce: plain(
      t(W, 'invite.added', {
        user: mention(actor.member.externalId),
        people: join(
          added.map((p) => mention(p.externalId)),
          ', ',
        ),
        role: role === 'member' ? tLabel(W, 'history.role.member') : role,
      }),
    ),
    reply: plain(t(actor.locale, 'invite.added_reply', { deal: deal.number, count: added.length })),
  };
}
