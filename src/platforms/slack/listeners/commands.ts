// `/deal …`: written to the inbox, THEN acked (Slack allows 3 s:
// https://api.slack.com/interactivity/slash-commands#responding_basic_receipt). If the write fails
// the request is not acked and Slack retries it; a retry of one already written is acked and
// dropped. The inbox pool does the work and answers through the response URL (src/app/inbox.ts).
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/context.ts';
import { type InboxPool, receive } from '../../../app/inbox.ts';
import { unescapeSlack } from '../block-kit.ts';
import { deliveryKey } from '../request-key.ts';
import { newDealModal } from './views.ts';

export function registerCommands(app: App, deps: Deps, inbox: InboxPool, command = '/deal') {
  app.command(command, async ({ command: c, ack, client }) => {
    const text = unescapeSlack(c.text ?? '').trim();
    const ws = { platform: 'slack' as const, externalId: c.team_id, name: c.team_domain };
    if (!text) {
      // The form must open within the trigger's 3 s; it changes nothing until it is submitted.
      await ack();
      await client.views
        .open({ trigger_id: c.trigger_id, view: (await newDealModal(deps, ws, c.user_id, c.channel_id)) as any })
        .catch((e) => deps.log.error({ err: e }, 'new deal form failed to open'));
      return;
    }
    // trigger_id is unique per invocation and identical on a redelivery: the idempotency key.
    const fresh = await receive(deps, {
      inv: { ws, userId: c.user_id, roomId: c.channel_id, text, requestKey: deliveryKey('slash', c) },
      answer: { via: 'respond', handle: c.response_url },
    });
    await ack();
    if (fresh) inbox.wake();
  });
}
