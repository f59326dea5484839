// Buttons and menus on the deal card and App Home. A click is the same command as typed text
// (`done #12 3`, `stage #12 proposal`), so both paths share one use case and one history; like a
// typed command it is written to the inbox before it is acked (src/app/inbox.ts).
import type { App, BlockAction } from '@slack/bolt';
import { ACTION_DONE, STAGE_SELECT } from '../../../app/card.ts';
import type { Deps } from '../../../app/context.ts';
import { type InboxPool, receive } from '../../../app/inbox.ts';
import { deliveryKey } from '../request-key.ts';

export function registerActions(app: App, deps: Deps, inbox: InboxPool) {
  const accept = async (body: BlockAction, text: string, ack: () => Promise<void>) => {
    const ws = { platform: 'slack' as const, externalId: body.team?.id ?? body.user.team_id ?? '' };
    const fresh = await receive(deps, {
      inv: { ws, userId: body.user.id, roomId: body.channel?.id, text, requestKey: deliveryKey('action', body) },
      answer: body.view?.type === 'home' ? { via: 'home' } : { via: 'respond', handle: body.response_url },
    });
    await ack();
    if (fresh) inbox.wake();
  };

  app.action<BlockAction>(ACTION_DONE, async ({ ack, body, action }) => {
    const [deal, n] = String((action as any).value ?? '').split(':');
    await accept(body, `done #${deal} ${n}`, () => ack());
  });

  app.action<BlockAction>(STAGE_SELECT, async ({ ack, body, action }) => {
    const [deal, stage] = String((action as any).selected_option?.value ?? '').split(':');
    await accept(body, `stage #${deal} ${stage}`, () => ack());
  });
}
