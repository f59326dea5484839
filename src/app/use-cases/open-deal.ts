// `new <account> | <title>`: a deal, its people, its history's first line. The room is created
// after commit (src/app/rooms.ts) so a slow or failing platform never loses the deal.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Member, NewEvent } from '../../domain/model.ts';
import { t } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { join, plain } from '../message.ts';
import type { Outcome } from '../outcome.ts';

/** `createKey` (the delivery's request key) lets a retried delivery find this deal and finish its room. */
export async function openDeal(
  ctx: TxContext,
  cmd: CommandOf<'new'>,
  mentioned: Member[],
  createKey?: string,
): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const ws = actor.workspace;
  // The process the rep picked for this sale (`process:transactional`), else the default one.
  const known = ctx.processes.set.list;
  const process = known.find((p) => p.key === (cmd.process ?? ctx.processes.set.defaultKey));
  if (!process)
    throw new UserError('new.unknown_process', {
      process: cmd.process ?? '',
      known: known.map((p) => `${p.key} (${p.names[actor.locale]})`).join(', '),
      first: known[0]?.key ?? '',
    });
  const account = await repos.findOrCreateAccount(ws.id, cmd.account);
  // The same account and title already open: a warning, not a block (a second project may share a name).
  const title = cmd.title.trim().toLowerCase();
  const twin = (await repos.listDeals(ws.id, { status: 'open' })).find(
    (d) => d.accountId === account.id && d.title.trim().toLowerCase() === title,
  );
  const { number, processVersion } = await repos.nextDealNumber(ws.id);
  // A process file loaded since this command read the processes (`/deal process load` locks the
  // same row): the process picked above may be gone, so nothing is saved.
  if (processVersion !== ws.processVersion) throw new UserError('new.processes_changed');
  const deal = await repos.createDeal({
    workspaceId: ws.id,
    number,
    accountId: account.id,
    title: cmd.title.trim(),
    process: process.key,
    stage: process.stages[0].key,
    status: 'open',
    amount: cmd.amount?.value ?? null,
    currency: cmd.amount?.currency ?? ws.defaultCurrency,
    closeDate: cmd.close ?? null,
    ownerId: actor.member.id,
    stageEnteredAt: now,
    createKey,
    at: now,
  });
  await repos.addDealMember(deal.id, actor.member.id, 'owner');
  const events: NewEvent[] = [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'created',
      at: now,
      data: {
        after: {
          account: account.name,
          title: deal.title,
          stage: deal.stage,
          amount: deal.amount,
          currency: deal.currency,
          closeDate: deal.closeDate,
          process: deal.process,
        },
      },
    },
  ];
  for (const m of mentioned) {
    if (m.id === actor.member.id) continue;
    if (await repos.addDealMember(deal.id, m.id, 'member')) {
      events.push({
        dealId: deal.id,
        actorId: actor.member.id,
        type: 'member_added',
        at: now,
        data: { memberId: m.id, role: 'member' },
      });
    }
  }
  await repos.appendEvents(ws.id, deal.id, events);
  return {
    dealId: deal.id,
    ensureRoom: true,
    reply: plain(
      join(
        [
          t(actor.locale, 'new.created', { deal: number, account: account.name, title: deal.title }),
          twin &&
            t(actor.locale, 'new.duplicate', {
              deal: twin.number,
              new: number,
              account: account.name,
              title: twin.title,
            }),
        ],
        '\n',
      ),
    ),
  };
}
