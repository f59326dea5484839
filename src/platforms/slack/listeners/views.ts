// `/deal` with no text opens a form for a new deal; its submission is the same `new` command.
// Bad input is shown on the form's field (response_action: errors), so nothing is lost.
// https://api.slack.com/surfaces/modals#displaying_errors
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/context.ts';
import { personLocale } from '../../../app/identity.ts';
import { type InboxPool, receive } from '../../../app/inbox.ts';
import type { WorkspaceRef } from '../../../app/ports.ts';
import { parseCommand } from '../../../commands/parse.ts';
import { tLabel } from '../../../i18n/index.ts';
import { literalText } from '../block-kit.ts';

export const NEW_DEAL_VIEW = 'deal_new';

export async function newDealModal(deps: Deps, ws: WorkspaceRef, userId: string, channelId: string) {
  const w = await deps.store.repos.findWorkspace(ws.platform, ws.externalId);
  const m = w && (await deps.store.repos.findMemberByExternalId(w.id, userId));
  const L = personLocale(w, m);
  const input = (id: string, label: string, element: Record<string, unknown>, optional = false) => ({
    type: 'input',
    block_id: id,
    optional,
    label: { type: 'plain_text', text: label },
    element: { action_id: id, ...element },
  });
  return {
    type: 'modal',
    callback_id: NEW_DEAL_VIEW,
    private_metadata: JSON.stringify({ channelId }),
    title: { type: 'plain_text', text: tLabel(L, 'modal.title') },
    submit: { type: 'plain_text', text: tLabel(L, 'modal.submit') },
    blocks: [
      input('account', tLabel(L, 'modal.account'), { type: 'plain_text_input', max_length: 200 }),
      input('title', tLabel(L, 'modal.deal_title'), { type: 'plain_text_input', max_length: 200 }),
      input('amount', tLabel(L, 'modal.amount'), { type: 'plain_text_input', max_length: 40 }, true),
      input('close', tLabel(L, 'modal.close'), { type: 'datepicker' }, true),
      input('people', tLabel(L, 'modal.people'), { type: 'multi_users_select' }, true),
    ],
  };
}

/** The form's values as the one command language; `|` cannot appear inside account or title. */
export function modalToCommand(values: Record<string, Record<string, any>>): string {
  const v = (id: string) => values[id]?.[id];
  const clean = (s: string | undefined) => literalText((s ?? '').replace(/[|｜]/g, '/').trim());
  const parts = [`new ${clean(v('account')?.value)} | ${clean(v('title')?.value)}`];
  if (v('amount')?.value) parts.push(`amount:${String(v('amount').value).replace(/\s+/g, '')}`);
  if (v('close')?.selected_date) parts.push(`close:${v('close').selected_date}`);
  for (const u of v('people')?.selected_users ?? []) parts.push(`<@${u}>`);
  return parts.join(' ');
}

export function registerViews(app: App, deps: Deps, inbox: InboxPool) {
  app.view(NEW_DEAL_VIEW, async ({ ack, body, view }) => {
    const text = modalToCommand(view.state.values as any);
    const parsed = parseCommand(text, { now: deps.clock.now(), timezone: 'UTC' });
    if (!parsed.ok) {
      const field = String(parsed.error.params.field ?? '').replace(':', '');
      const block = field === 'close' ? 'close' : field === 'amount' ? 'amount' : 'account';
      await ack({
        response_action: 'errors',
        errors: { [block]: tLabel('en', parsed.error.key, parsed.error.params).split('\n')[0] },
      });
      return;
    }
    const ws = { platform: 'slack' as const, externalId: body.team?.id ?? body.user.team_id ?? '' };
    const { channelId } = JSON.parse(view.private_metadata || '{}');
    // Written before the ack (which closes the form), so a crash cannot lose the submission.
    const fresh = await receive(deps, {
      inv: { ws, userId: body.user.id, roomId: channelId, text, requestKey: `view:${view.id}` },
      answer: { via: 'form' },
    });
    await ack();
    if (fresh) inbox.wake();
  });
}
