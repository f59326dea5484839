// `/deal digest …`: see your digest now (it does not touch the scheduled one), a rep's nudge, or
// set when digests arrive.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Member } from '../../domain/model.ts';
import { t } from '../../i18n/index.ts';
import { managesMember } from '../authorize.ts';
import type { Deps, TxContext } from '../context.ts';
import { composeManagerDigest, composeRepNudge, isDigestManager } from '../digests.ts';
import { displayName } from '../identity.ts';
import { plain } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import type { FunnelPictureRequest } from '../pictures.ts';

const DAY = 86_400_000;

export async function digestCommand(
  deps: Deps,
  ctx: TxContext,
  cmd: CommandOf<'digest'>,
  target: Member | undefined,
): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const me = actor.member;
  const ws = actor.workspace;
  const L = actor.locale;
  if (cmd.time) {
    if (cmd.scope === 'workspace') {
      if (me.role !== 'admin') throw new UserError('digest.admin_only');
      await repos.updateWorkspace(ws.id, { digestTime: cmd.time });
      return { reply: plain(t(L, 'digest.time_workspace', { time: cmd.time, zone: ws.timezone })) };
    }
    await repos.updateMember(ws.id, me.id, { digestTime: cmd.time });
    return { reply: plain(t(L, 'digest.time_me', { time: cmd.time, zone: me.timezone ?? ws.timezone })) };
  }
  if (cmd.weekends !== undefined) {
    if (me.role !== 'admin') throw new UserError('digest.admin_only');
    await repos.updateWorkspace(ws.id, { digestWeekends: cmd.weekends });
    return { reply: plain(t(L, cmd.weekends ? 'digest.weekends_on' : 'digest.weekends_off')) };
  }
  if (cmd.nudges !== undefined) {
    await repos.updateMember(ws.id, me.id, { nudgeOptOut: !cmd.nudges });
    return { reply: plain(t(L, cmd.nudges ? 'digest.nudges_on' : 'digest.nudges_off')) };
  }
  const members = await repos.listMembers(ws.id);
  if (target) {
    if (target.id !== me.id && me.role !== 'admin' && !(await managesMember(repos, ws.id, me.id, target.id)))
      throw new UserError('digest.not_your_rep', { user: displayName(target) });
    return {
      later: async () =>
        (await composeRepNudge(deps, ws, target, now, { members })) ??
        plain(t(L, 'digest.nothing_for', { user: displayName(target) })),
    };
  }
  if (!isDigestManager(me, members)) {
    return {
      later: async () => (await composeRepNudge(deps, ws, me, now, { members })) ?? plain(t(L, 'digest.rep_quiet')),
    };
  }
  // On the weekly day the preview is the weekly digest, so it carries the same funnel pictures the
  // scheduled one attaches (composeManagerDigest fills them only then); they follow the text where
  // the reply is read (the speaker's DM), after `later` has run.
  const pictures: FunnelPictureRequest[] = [];
  return {
    later: async () => {
      const last = await deps.store.digests.lastSentDelivery(me.id, 'manager');
      return composeManagerDigest(deps, ws, me, last?.until ?? new Date(now.getTime() - DAY), now, {
        members,
        pictures,
      });
    },
    pictures,
  };
}
