// `set process <key> [old=new …]`: a deal moves to another process (the seed methods: reps pick
// the process that fits the sale). Its history is kept as it was (events keep the stage keys they
// had); the move itself is one event with the mapping. When the deal's stage has no twin in the
// new process, a mapping must say where it goes; every mapping is checked before anything changes.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Deal } from '../../domain/model.ts';
import { type Locale, type Process, stageOf } from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { stageName } from '../format.ts';
import { roomLocale } from '../identity.ts';
import { mention, plain } from '../message.ts';
import type { Outcome } from '../outcome.ts';

const list = (p: Process, L: Locale) =>
  p.stages
    .filter((s) => !s.terminal)
    .map((s) => `${s.key} (${s.names[L]})`)
    .join(', ');

export async function switchProcess(ctx: TxContext, deal: Deal, cmd: CommandOf<'set'>): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const L = actor.locale;
  const W = roomLocale(actor.workspace);
  if (deal.status !== 'open')
    throw new UserError('deal.closed', { deal: deal.number, status: tLabel(L, `status.${deal.status}`) });
  const from = ctx.processes.set.get(deal.process);
  const known = ctx.processes.set.list;
  const to = known.find((p) => p.key === cmd.process);
  if (!to)
    throw new UserError('process.unknown', {
      process: cmd.process ?? '',
      known: known.map((p) => `${p.key} (${p.names[L]})`).join(', '),
    });
  if (to.key === from.key) throw new UserError('process.same', { deal: deal.number, process: to.names[L] });
  const mapping = new Map<string, string>();
  for (const [a, b] of cmd.mapping ?? []) {
    if (!from.stages.some((s) => s.key === a && !s.terminal))
      throw new UserError('process.bad_from', { stage: a, process: from.names[L], stages: list(from, L) });
    if (!to.stages.some((s) => s.key === b && !s.terminal))
      throw new UserError('process.bad_to', { stage: b, process: to.names[L], stages: list(to, L) });
    mapping.set(a, b);
  }
  const target =
    mapping.get(deal.stage) ?? (to.stages.some((s) => s.key === deal.stage && !s.terminal) ? deal.stage : undefined);
  if (!target)
    throw new UserError('process.needs_mapping', {
      deal: deal.number,
      stage: stageName(from, deal.stage, L),
      key: deal.stage,
      process: to.key,
      stages: list(to, L),
      first: to.stages[0]?.key ?? '',
    });
  await repos.updateDeal(deal.workspaceId, deal.id, {
    process: to.key,
    stage: target,
    ...(target !== deal.stage ? { stageEnteredAt: now } : {}),
  });
  await repos.appendEvents(deal.workspaceId, deal.id, [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'process_changed',
      at: now,
      data: {
        before: { process: from.key, stage: deal.stage },
        after: { process: to.key, stage: target },
        mapping: [...mapping],
      },
    },
  ]);
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, 'process.changed', {
        user: mention(actor.member.externalId),
        deal: deal.number,
        from: from.names[W],
        to: to.names[W],
        stage: stageOf(to, target).names[W],
      }),
    ),
    reply: plain(t(L, 'process.changed_reply', { deal: deal.number, process: to.names[L] })),
  };
}
