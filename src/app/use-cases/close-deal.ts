// `won [note]`, `lost <reason>`, `reopen`: the end of a deal (or its return), each in history.
import { UserError } from '../../domain/errors.ts';
import type { Deal } from '../../domain/model.ts';
import { openStages, terminalStage } from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatMoney, stageName } from '../format.ts';
import { roomLocale } from '../identity.ts';
import { mention, plain, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';

export type CloseCommand = { name: 'won'; note?: string } | { name: 'lost'; reason: string } | { name: 'reopen' };

export async function closeDeal(ctx: TxContext, deal: Deal, cmd: CloseCommand): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const L = actor.locale;
  const W = roomLocale(actor.workspace);
  const process = ctx.processes.set.get(deal.process);
  const who = mention(actor.member.externalId);

  if (cmd.name === 'reopen') {
    if (deal.status === 'open') throw new UserError('deal.already_open', { deal: deal.number });
    // Back to the stage it was in before it closed (the last open stage in its history).
    const events = await repos.listEvents(deal.id);
    const lastOpen = [...events]
      .reverse()
      .find((e) => (e.type === 'won' || e.type === 'lost') && typeof e.data.before === 'string')?.data.before as
      | string
      | undefined;
    const stage =
      lastOpen && openStages(process).some((s) => s.key === lastOpen) ? lastOpen : openStages(process).at(-1)!.key;
    // An archived room comes back where the platform lets the bot unarchive it; elsewhere the deal
    // gets a fresh room, linked in history to the old one. (Where rooms are not archived at all,
    // the room was only marked done and simply serves the deal again.)
    const { archive, unarchive } = ctx.capabilities;
    const archived = deal.roomArchivedAt !== null;
    const freshRoom = archived && archive && !unarchive;
    await repos.updateDeal(deal.workspaceId, deal.id, {
      status: 'open',
      stage,
      stageEnteredAt: now,
      closedAt: null,
      lostReason: null,
      ...(freshRoom ? { roomId: null, cardRef: null } : {}),
      ...(archived ? { roomArchivedAt: null } : {}),
    });
    await repos.appendEvents(deal.workspaceId, deal.id, [
      {
        dealId: deal.id,
        actorId: actor.member.id,
        type: 'reopened',
        at: now,
        data: { before: { status: deal.status, stage: deal.stage }, after: { status: 'open', stage } },
      },
    ]);
    return {
      dealId: deal.id,
      refreshCard: true,
      ensureRoom: freshRoom,
      unarchiveRoom: archived && archive && unarchive,
      announce: plain(t(W, 'close.reopened', { user: who, deal: deal.number, stage: stageName(process, stage, W) })),
      reply: plain(t(L, 'close.reopened_reply', { deal: deal.number })),
    };
  }

  if (deal.status !== 'open')
    throw new UserError('deal.closed', { deal: deal.number, status: tLabel(L, `status.${deal.status}`) });
  const status = cmd.name;
  const reason = cmd.name === 'lost' ? cmd.reason : undefined;
  // The process's own won/lost stage, found by its flag (a process file may call it `signed`).
  const closedStage = terminalStage(process, status).key;
  await repos.updateDeal(deal.workspaceId, deal.id, {
    status,
    stage: closedStage,
    stageEnteredAt: now,
    closedAt: now,
    lostReason: reason ?? null,
  });
  await repos.appendEvents(deal.workspaceId, deal.id, [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: status,
      at: now,
      data: {
        before: deal.stage,
        after: closedStage,
        amount: deal.amount,
        currency: deal.currency,
        ...(reason ? { reason } : {}),
        ...(cmd.name === 'won' && cmd.note ? { note: cmd.note } : {}),
      },
    },
  ]);
  const open = await repos.listActions(deal.id, 'open');
  const summary = t(W, status === 'won' ? 'close.won' : 'close.lost', {
    user: who,
    deal: deal.number,
    amount: formatMoney(deal.amount, deal.currency, W),
    reason: userText(reason ?? ''),
    note: cmd.name === 'won' && cmd.note ? userText(cmd.note) : '',
    days: Math.max(0, Math.round((now.getTime() - deal.createdAt.getTime()) / 86_400_000)),
    open: open.length,
  });
  // What will happen to the room, in the words that are true on this platform (archived, or marked closed).
  const archive = ctx.capabilities.archive;
  const archiveNote = archive
    ? [W === 'zh' ? '' : ' ', ...t(W, archive === 'mark' ? 'close.mark_note' : 'close.archive_note')]
    : [];
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain([...summary, ...archiveNote]),
    reply: plain(t(L, 'close.closed_reply', { deal: deal.number, status: tLabel(L, `status.${status}`) })),
  };
}
