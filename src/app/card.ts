// The live deal card pinned in every room: stage progress, key fields, open actions with Done buttons.
import { type Locale, openStages, type Process, stageIndex, stageOf } from '../domain/process.ts';
import { t, tLabel } from '../i18n/index.ts';
import type { DealView } from './deal-view.ts';
import { formatDate, formatMoney, stageName } from './format.ts';
import { displayName } from './identity.ts';
import { type Block, type Message, mention, r, strong, userText } from './message.ts';

export const ACTION_DONE = 'action_done';
export const STAGE_SELECT = 'stage_select';

/** Button values carry the deal number and action number: a click is `done #deal n`. */
export const actionButtonValue = (dealNumber: number, n: number) => `${dealNumber}:${n}`;

/** `process`: the deal's own (from its workspace's set). */
export function buildDealCard(v: DealView, process: Process, locale: Locale, today: string): Message {
  const { deal, account } = v;
  const current = stageIndex(process, deal.stage);
  const steps = openStages(process).map((s, i) => ({
    label: s.names[locale],
    state: (deal.status === 'lost'
      ? 'lost'
      : deal.status === 'won' || i < current
        ? 'done'
        : i === current
          ? 'current'
          : 'todo') as 'done' | 'current' | 'todo' | 'lost',
  }));
  const status =
    deal.status === 'open'
      ? `${stageName(process, deal.stage, locale)} · ${Math.round(stageOf(process, deal.stage).probability * 100)}%`
      : tLabel(locale, `status.${deal.status}`);
  const dm = v.contacts.find((c) => c.role === 'decision_maker');
  const blocks: Block[] = [
    { type: 'header', text: `#${deal.number} ${account.name} — ${deal.title}` },
    { type: 'progress', steps },
    {
      type: 'fields',
      fields: [
        { label: tLabel(locale, 'card.stage'), value: status },
        { label: tLabel(locale, 'card.amount'), value: formatMoney(deal.amount, deal.currency, locale) },
        { label: tLabel(locale, 'card.close'), value: formatDate(deal.closeDate, locale) },
        {
          label: tLabel(locale, 'card.next_contact'),
          value:
            formatDate(deal.nextContactOn, locale) +
            (deal.nextContactOn && deal.nextContactOn < today && deal.status === 'open' ? ` ⚠️` : ''),
        },
        { label: tLabel(locale, 'card.owner'), value: [mention(v.owner.externalId)] },
        {
          label: tLabel(locale, 'card.decision_maker'),
          value: dm ? `${dm.name}${dm.title ? ` (${dm.title})` : ''}` : '—',
        },
      ],
    },
  ];
  if (deal.nextStep)
    blocks.push({ type: 'context', text: r`${t(locale, 'card.next_step')}: ${userText(deal.nextStep)}` });
  if (deal.competitors.length)
    blocks.push({ type: 'context', text: r`${t(locale, 'card.competitors')}: ${deal.competitors.join(', ')}` });
  if (deal.lostReason && deal.status === 'lost')
    blocks.push({ type: 'context', text: r`${t(locale, 'card.lost_reason')}: ${userText(deal.lostReason)}` });
  blocks.push({ type: 'divider' });
  if (v.openActions.length) {
    blocks.push({ type: 'text', text: [strong(tLabel(locale, 'card.open_actions', { count: v.openActions.length }))] });
    blocks.push({
      type: 'items',
      items: v.openActions.slice(0, 10).map((a) => ({
        text: r`#${a.number} ${userText(a.text)} — ${mention(a.assignee.externalId)}${a.dueOn ? ` · ${tLabel(locale, 'card.due')} ${formatDate(a.dueOn, locale)}${a.dueOn < today ? ' ⚠️' : ''}` : ''}`,
        button: {
          actionId: ACTION_DONE,
          label: tLabel(locale, 'card.done_button'),
          value: actionButtonValue(deal.number, a.number),
          style: 'primary' as const,
        },
      })),
    });
    if (v.openActions.length > 10)
      blocks.push({ type: 'context', text: t(locale, 'common.and_more', { count: v.openActions.length - 10 }) });
  } else {
    blocks.push({ type: 'context', text: t(locale, 'card.no_actions') });
  }
  if (deal.status === 'open') {
    blocks.push({
      type: 'select',
      actionId: STAGE_SELECT,
      placeholder: tLabel(locale, 'card.move_stage'),
      selected: deal.stage,
      options: process.stages
        .filter((s) => s.terminal !== 'lost')
        .map((s) => ({ label: s.names[locale], value: `${deal.number}:${s.key}` })),
    });
  }
  blocks.push({
    type: 'context',
    text: t(locale, 'card.people', { people: v.members.map((m) => displayName(m.member)).join(', ') }),
  });
  const text = `#${deal.number} ${account.name} — ${deal.title}: ${status}, ${formatMoney(deal.amount, deal.currency, locale)}`;
  return { text, blocks };
}
