// `history [page]`: the deal's event log as people read it — field names and values as the card
// shows them, in the reader's language, newest first, a page at a time. The log itself is never
// rewritten: old events are translated here, at read time.
import { UserError } from '../../domain/errors.ts';
import type { Deal, DealEvent, Member } from '../../domain/model.ts';
import type { Locale, Process } from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatDate, formatInstant, formatMoney, stageName } from '../format.ts';
import { displayName } from '../identity.ts';
import { r, type Text, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';

/** Entries per page of `history`. */
const HISTORY_PAGE = 20;

/** The name an event's field is stored under → the `field.*` label the card and `set` use. */
const FIELD_LABEL: Record<string, string> = {
  amount: 'field.amount',
  currency: 'field.currency',
  closeDate: 'field.close',
  nextContactOn: 'field.next-contact',
  nextStep: 'field.next-step',
  competitors: 'field.competitors',
  title: 'field.title',
  'account.name': 'field.account',
  'account.industry': 'field.industry',
  'account.region': 'field.region',
  'account.address': 'field.address',
};
const DATE_FIELDS = new Set(['closeDate', 'nextContactOn']);

/** A value of the log in words: money formatted, dates in the reader's language, lists joined. */
function historyValue(field: string, v: unknown, L: Locale): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => historyValue('', x, L)).join(', ') : '—';
  if (typeof v === 'string' && (DATE_FIELDS.has(field) || /^\d{4}-\d{2}-\d{2}$/.test(v))) return formatDate(v, L);
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  if ('amount' in o) return formatMoney(typeof o.amount === 'string' ? o.amount : null, String(o.currency ?? ''), L);
  return Object.values(o)
    .map((x) => historyValue('', x, L))
    .join(' ');
}

function describeEvent(e: DealEvent, L: Locale, names: Map<string, Member>, process: Process): Text {
  const d = e.data as any;
  const who = e.actorId ? displayName(names.get(e.actorId) ?? { name: '?', displayName: '' }) : t(L, 'history.system');
  const stage = (k: unknown) =>
    typeof k === 'string' && process.stages.some((s) => s.key === k) ? stageName(process, k, L) : String(k);
  const member = (id: unknown) => displayName(names.get(String(id)) ?? { name: String(id), displayName: '' });
  const role = (x: unknown) =>
    x === 'member' || x === 'owner' || x === undefined ? tLabel(L, `history.role.${x ?? 'member'}`) : String(x);
  switch (e.type) {
    case 'created':
      return t(L, 'history.created', { who, account: d.after.account, title: d.after.title });
    case 'stage_changed':
      return r`${t(L, 'history.stage', { who, from: stage(d.before), to: stage(d.after) })}${d.override ? r` (${t(L, 'history.override', { reason: userText(String(d.override)) })})` : ''}`;
    case 'field_changed': {
      if (d.field === 'ownerId')
        return t(L, 'history.field', {
          who,
          field: tLabel(L, 'field.owner'),
          before: member(d.before),
          after: member(d.after),
        });
      const label = FIELD_LABEL[d.field];
      return t(L, 'history.field', {
        who,
        field: label ? tLabel(L, label) : String(d.field),
        before: historyValue(d.field, d.before, L),
        after: historyValue(d.field, d.after, L),
      });
    }
    case 'action_added':
      return t(L, 'history.action_added', {
        who,
        n: d.number,
        text: userText(String(d.text)),
        assignee: member(d.assigneeId),
      });
    case 'action_done':
      return t(L, 'history.action_done', { who, n: d.number });
    case 'action_reopened':
      return t(L, 'history.action_reopened', { who, n: d.number });
    case 'action_edited': {
      const show = (x: { text?: string; dueOn?: string | null } | undefined) =>
        r`${userText(String(x?.text ?? ''))}${x?.dueOn ? (L === 'zh' ? `（${formatDate(x.dueOn, L)}）` : ` (${formatDate(x.dueOn, L)})`) : ''}`;
      return t(L, 'history.action_edited', { who, n: d.number, before: show(d.before), after: show(d.after) });
    }
    case 'action_reassigned':
      return t(L, 'history.action_reassigned', {
        who,
        n: d.number,
        assignee: member(d.after),
        before: member(d.before),
      });
    case 'action_cancelled':
      return t(L, 'history.action_cancelled', { who, n: d.number, text: userText(String(d.text)) });
    case 'member_removed':
      return t(L, 'history.member_removed', { who, member: member(d.memberId) });
    case 'member_added':
      return t(L, 'history.member_added', { who, member: member(d.memberId), role: role(d.role) });
    case 'contact_logged':
      return r`${t(L, 'history.contact_logged', { who, note: userText(String(d.note)) })}${d.after?.nextContactOn && d.after.nextContactOn !== d.before?.nextContactOn ? r` ${t(L, 'history.next_contact', { date: formatDate(d.after.nextContactOn, L) })}` : ''}`;
    case 'contact_saved':
      return t(L, 'history.contact_saved', { who, contact: d.after.name });
    case 'won':
      return t(L, 'history.won', { who });
    case 'lost':
      return t(L, 'history.lost', { who, reason: userText(String(d.reason ?? '')) });
    case 'reopened':
      return t(L, 'history.reopened', { who });
    case 'room_linked':
      return t(L, 'history.room_linked', { room: d.roomId });
    case 'process_changed': {
      const before = (d.before ?? {}) as Record<string, unknown>;
      const after = (d.after ?? {}) as Record<string, unknown>;
      return t(L, 'history.process_changed', {
        who,
        from: `${String(before.process)} / ${String(before.stage)}`,
        to: `${String(after.process)} / ${String(after.stage)}`,
      });
    }
    case 'outcome_recorded': {
      const o = process.outcomes.find((x) => x.key === d.outcome);
      return t(L, 'history.outcome', {
        who,
        outcome: o?.names[L] ?? String(d.outcome ?? ''),
        date: formatDate(typeof d.on === 'string' ? d.on : null, L),
        by: typeof d.confirmedBy === 'string' ? t(L, 'outcome.by', { who: userText(d.confirmedBy) }) : '',
      });
    }
    default:
      return t(L, 'history.other', { who, what: String(e.type) });
  }
}

export async function showHistory(ctx: TxContext, deal: Deal, page = 1): Promise<Outcome> {
  const L = ctx.actor.locale;
  const events = await ctx.repos.listEvents(deal.id);
  const pages = Math.max(1, Math.ceil(events.length / HISTORY_PAGE));
  if (page > pages) throw new UserError('history.no_page', { deal: deal.number, page, pages });
  const names = new Map((await ctx.repos.listMembers(deal.workspaceId)).map((m) => [m.id, m]));
  // Newest first: page 1 is the latest HISTORY_PAGE changes.
  const newestFirst = [...events].reverse();
  const shown = newestFirst.slice((page - 1) * HISTORY_PAGE, page * HISTORY_PAGE);
  const process = ctx.processes.set.get(deal.process);
  const lines = shown.map(
    (e) => r`${formatInstant(e.at, ctx.actor.timezone, L)}  ${describeEvent(e, L, names, process)}`,
  );
  const head = tLabel(L, 'history.title', { deal: deal.number, count: events.length, page, pages });
  const older =
    page < pages
      ? t(L, 'history.older', { count: events.length - page * HISTORY_PAGE, deal: deal.number, page: page + 1 })
      : undefined;
  return {
    reply: {
      text: head,
      blocks: [
        { type: 'header', text: head },
        { type: 'list', items: lines },
        ...(older ? [{ type: 'context' as const, text: older }] : []),
      ],
    },
  };
}
