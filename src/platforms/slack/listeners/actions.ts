// Buttons and menus on the deal card and App Home. A click is the same command as typed text
// (`done #12 3`, `stage #12 proposal`), so both paths share one use case and one history.
import type { App, BlockAction } from '@slack/bolt';
import { ACTION_DONE, STAGE_SELECT } from '../../../app/card.ts';
import type { Deps } from '../../../app/context.ts';
import { handleCommand } from '../../../app/dispatch.ts';
import { toBlockKit } from '../block-kit.ts';
import { deliveryKey } from '../request-key.ts';
import { publishHome } from './events.ts';

export function registerActions(app: App, deps: Deps) {
  const run = async (body: BlockAction, text: string, respond: (m: any) => Promise<unknown>) => {
    const ws = { platform: 'slack' as const, externalId: body.team?.id ?? body.user.team_id ?? '' };
    const reply = await handleCommand(deps, {
      ws,
      userId: body.user.id,
      roomId: body.channel?.id,
      text,
      requestKey: deliveryKey('action', body),
    });
    if (body.view?.type === 'home') await publishHome(app, deps, ws, body.user.id);
    else if (reply.message && body.response_url)
      await respond({ response_type: 'ephemeral', replace_original: false, ...toBlockKit(reply.message) });
    else if (reply.message && !reply.ok) await deps.platform.dm(ws, body.user.id, reply.message);
  };

  app.action<BlockAction>(ACTION_DONE, async ({ ack, body, action, respond }) => {
    await ack();
    const [deal, n] = String((action as any).value ?? '').split(':');
    await run(body, `done #${deal} ${n}`, respond).catch((e) => deps.log.error({ err: e }, 'done button failed'));
  });

  app.action<BlockAction>(STAGE_SELECT, async ({ ack, body, action, respond }) => {
    await ack();
    const [deal, stage] = String((action as any).selected_option?.value ?? '').split(':');
    await run(body, `stage #${deal} ${stage}`, respond).catch((e) => deps.log.error({ err: e }, 'stage menu failed'));
  });
}
