// `/deal …`: ack at once (Slack allows 3 s: https://api.slack.com/interactivity/slash-commands#responding_basic_receipt),
// then do the work and answer privately through the response URL; room posts go to the room.
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/context.ts';
import { handleCommand } from '../../../app/dispatch.ts';
import { toBlockKit, unescapeSlack } from '../block-kit.ts';
import { deliveryKey } from '../request-key.ts';
import { newDealModal } from './views.ts';

export function registerCommands(app: App, deps: Deps, command = '/deal') {
  app.command(command, async ({ command: c, ack, respond, client }) => {
    await ack();
    const text = unescapeSlack(c.text ?? '').trim();
    const ws = { platform: 'slack' as const, externalId: c.team_id, name: c.team_domain };
    try {
      if (!text) {
        await client.views.open({
          trigger_id: c.trigger_id,
          view: (await newDealModal(deps, ws, c.user_id, c.channel_id)) as any,
        });
        return;
      }
      // trigger_id is unique per invocation and identical on a redelivery: the idempotency key.
      const reply = await handleCommand(deps, {
        ws,
        userId: c.user_id,
        roomId: c.channel_id,
        text,
        requestKey: deliveryKey('slash', c),
      });
      if (reply.message) await respond({ response_type: 'ephemeral', ...toBlockKit(reply.message) } as any);
    } catch (e) {
      deps.log.error({ err: e }, 'slash command follow-up failed');
    }
  });
}
