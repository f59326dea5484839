// `room`: the repair for a room whose outbox steps gave up (src/app/outbox.ts). A deal without a
// room gets one (an interrupted one is adopted); a deal with one gets everyone invited again and its
// card posted or updated, and pinned. Every part is idempotent, so running it twice is harmless.

import { UserError } from '../../domain/errors.ts';
import type { Deal } from '../../domain/model.ts';
import { t } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { plain } from '../message.ts';
import type { Outcome } from '../outcome.ts';

export async function repairRoom(ctx: TxContext, deal: Deal): Promise<Outcome> {
  // Slack does not let bots unarchive (https://api.slack.com/methods/conversations.unarchive): a
  // closed deal's archived room stays archived; reopening the deal is what brings a fresh one.
  // Where the platform can bring the room back (Lark takes its closed mark off), reopening does that.
  if (deal.roomArchivedAt) {
    const { archive, unarchive } = ctx.capabilities;
    const key = archive === 'mark' ? 'room.repair_marked' : unarchive ? 'room.repair_archived' : 'room.repair_closed';
    throw new UserError(key, { deal: deal.number });
  }
  return {
    dealId: deal.id,
    ensureRoom: true,
    reply: plain(t(ctx.actor.locale, 'room.repairing', { deal: deal.number })),
  };
}
