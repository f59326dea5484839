// A person's own view (Slack App Home, `/deal mine` elsewhere): their open deals and open actions.

import { t, tLabel } from '../../i18n/index.ts';
import { ACTION_DONE, actionButtonValue } from '../card.ts';
import type { Deps } from '../context.ts';
import { formatDate, formatMoney, stageName, todayIn } from '../format.ts';
import { personLocale } from '../identity.ts';
import { type Block, type Message, r, roomLink, strong, userText } from '../message.ts';
import type { WorkspaceRef } from '../ports.ts';

export async function buildHome(deps: Deps, ws: WorkspaceRef, userId: string): Promise<Message> {
  const repos = deps.store.repos;
  const workspace = await repos.findWorkspace(ws.platform, ws.externalId);
  const member = workspace && (await repos.findMemberByExternalId(workspace.id, userId));
  const L = personLocale(workspace, member);
  const blocks: Block[] = [{ type: 'header', text: tLabel(L, 'home.title') }];
  if (!workspace || !member) {
    blocks.push({ type: 'text', text: t(L, 'home.welcome') });
    return { text: tLabel(L, 'home.title'), blocks };
  }
  const processes = (await deps.processes.forWorkspace(repos, workspace)).set;
  const today = todayIn(deps.clock.now(), member.timezone ?? workspace.timezone);
  const deals = await repos.listDeals(workspace.id, { status: 'open', memberId: member.id, limit: 30 });
  blocks.push({ type: 'text', text: [strong(tLabel(L, 'home.deals', { count: deals.length }))] });
  if (!deals.length) blocks.push({ type: 'context', text: t(L, 'list.none') });
  for (const d of deals.slice(0, 15)) {
    const link = d.roomId ? [' ', roomLink(d.roomId)] : '';
    blocks.push({
      type: 'text',
      text: r`#${d.number} ${d.title} · ${stageName(processes.get(d.process), d.stage, L)} · ${formatMoney(d.amount, d.currency, L)} · ${formatDate(d.closeDate, L)}${link}`,
    });
  }
  blocks.push({ type: 'divider' });
  const actions = await repos.listActionsOfAssignee(workspace.id, member.id, 'open');
  blocks.push({ type: 'text', text: [strong(tLabel(L, 'home.actions', { count: actions.length }))] });
  if (!actions.length) blocks.push({ type: 'context', text: t(L, 'actions.none_mine') });
  else
    blocks.push({
      type: 'items',
      items: actions.slice(0, 20).map((a) => ({
        text: r`#${a.dealNumber} ${a.dealTitle} — #${a.number} ${userText(a.text)}${a.dueOn ? ` · ${formatDate(a.dueOn, L)}${a.dueOn < today ? ' ⚠️' : ''}` : ''}`,
        button: {
          actionId: ACTION_DONE,
          label: tLabel(L, 'card.done_button'),
          value: actionButtonValue(a.dealNumber, a.number),
          style: 'primary' as const,
        },
      })),
    });
  return { text: t(L, 'home.title'), blocks };
}
