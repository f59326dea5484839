// `outcome <outcome> [<date>] [by:<who>]`: a verifiable, customer-confirmed result (the method's
// measure of a good stage standard), kept in the deal's history with its date and who confirmed
// it. A stage whose process requires it lets the deal in once it is recorded.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Deal, DealEvent } from '../../domain/model.ts';
import type { OutcomeDef, Process } from '../../domain/process.ts';
import { t } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatDate } from '../format.ts';
import { roomLocale } from '../identity.ts';
import { mention, plain, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';

const norm = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s_-]+/g, '');

/** The process's outcome named by its key or its English or Chinese name. */
export function findOutcome(process: Process, written: string): OutcomeDef | undefined {
  const q = norm(written);
  return process.outcomes.find((o) => [o.key, o.names.en, o.names.zh].some((w) => norm(w) === q));
}

/** The outcome keys recorded on a deal (what its gates read). */
export const recordedOutcomes = (events: DealEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'outcome_recorded' && typeof e.data.outcome === 'string' ? [e.data.outcome] : []));

export async function recordOutcome(ctx: TxContext, deal: Deal, cmd: CommandOf<'outcome'>): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const L = actor.locale;
  const W = roomLocale(actor.workspace);
  const process = ctx.processes.set.get(deal.process);
  const outcome = findOutcome(process, cmd.outcome);
  if (!outcome)
    throw new UserError('outcome.unknown', {
      outcome: cmd.outcome,
      process: process.names[L],
      known: process.outcomes.map((o) => `${o.key} (${o.names[L]})`).join(', ') || '—',
    });
  await repos.appendEvents(deal.workspaceId, deal.id, [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'outcome_recorded',
      at: now,
      data: { outcome: outcome.key, on: cmd.on, ...(cmd.by ? { confirmedBy: cmd.by } : {}) },
    },
  ]);
  const by = cmd.by ? t(W, 'outcome.by', { who: userText(cmd.by) }) : '';
  return {
    dealId: deal.id,
    announce: plain(
      t(W, 'outcome.recorded', {
        user: mention(actor.member.externalId),
        outcome: outcome.names[W],
        date: formatDate(cmd.on, W),
        by,
      }),
    ),
    reply: plain(t(L, 'outcome.recorded_reply', { deal: deal.number, outcome: outcome.names[L] })),
  };
}
