// `set <field> <value>`, `contact …`, `log <note> [next:<date>]`: the deal's facts, each change
// recorded with its before and after.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Deal, NewEvent } from '../../domain/model.ts';
import type { Locale } from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatDate, formatMoney } from '../format.ts';
import { roomLocale } from '../identity.ts';
import { mention, plain, type Text, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import { switchProcess } from './switch-process.ts';

const wsLocale = (ctx: TxContext) => roomLocale(ctx.actor.workspace);

export async function setField(ctx: TxContext, deal: Deal, cmd: CommandOf<'set'>): Promise<Outcome> {
  if (cmd.field === 'process') return switchProcess(ctx, deal, cmd);
  const { repos, actor, now } = ctx;
  const W = wsLocale(ctx);
  const change = (field: string, before: unknown, after: unknown): NewEvent => ({
    dealId: deal.id,
    actorId: actor.member.id,
    type: 'field_changed',
    at: now,
    data: { field, before, after },
  });
  if (cmd.field === 'owner') throw new Error('set owner is carried out by setOwner (corrections.ts)');
  let event: NewEvent;
  let shown: (L: Locale) => Text; // in the reader's language: the room's post and the speaker's reply differ
  switch (cmd.field) {
    case 'amount': {
      const m = cmd.money!;
      const currency = m.currency ?? deal.currency;
      await repos.updateDeal(deal.workspaceId, deal.id, { amount: m.value, currency });
      event = change('amount', { amount: deal.amount, currency: deal.currency }, { amount: m.value, currency });
      shown = (L) => formatMoney(m.value, currency, L);
      break;
    }
    case 'currency': {
      const currency = cmd.value.toUpperCase();
      await repos.updateDeal(deal.workspaceId, deal.id, { currency });
      event = change('currency', deal.currency, currency);
      shown = () => currency;
      break;
    }
    case 'close':
      await repos.updateDeal(deal.workspaceId, deal.id, { closeDate: cmd.date! });
      event = change('closeDate', deal.closeDate, cmd.date);
      shown = (L) => formatDate(cmd.date!, L);
      break;
    case 'next-contact':
      await repos.updateDeal(deal.workspaceId, deal.id, { nextContactOn: cmd.date! });
      event = change('nextContactOn', deal.nextContactOn, cmd.date);
      shown = (L) => formatDate(cmd.date!, L);
      break;
    case 'next-step':
      await repos.updateDeal(deal.workspaceId, deal.id, { nextStep: cmd.value });
      event = change('nextStep', deal.nextStep, cmd.value);
      shown = () => userText(cmd.value);
      break;
    case 'competitor': {
      // One more competitor; `-Name` takes one off.
      const remove = cmd.value.startsWith('-');
      const name = cmd.value.replace(/^[-+]/, '').trim();
      const known = deal.competitors.some((c) => c.toLowerCase() === name.toLowerCase());
      // Nothing to take off, or already listed: say so, and record no change that did not happen.
      if (remove !== known)
        throw new UserError(remove ? 'set.competitor_absent' : 'set.competitor_present', {
          name,
          competitors: deal.competitors.join(', ') || '—',
        });
      const next = remove
        ? deal.competitors.filter((c) => c.toLowerCase() !== name.toLowerCase())
        : [...deal.competitors, name];
      await repos.updateDeal(deal.workspaceId, deal.id, { competitors: next });
      event = change('competitors', deal.competitors, next);
      shown = () => next.join(', ') || '—';
      break;
    }
    case 'competitors': {
      const next = [
        ...new Set(
          cmd.value
            .split(/[,，、]/)
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      await repos.updateDeal(deal.workspaceId, deal.id, { competitors: next });
      event = change('competitors', deal.competitors, next);
      shown = () => next.join(', ');
      break;
    }
    case 'title':
      await repos.updateDeal(deal.workspaceId, deal.id, { title: cmd.value });
      event = change('title', deal.title, cmd.value);
      shown = () => cmd.value;
      break;
    case 'account':
    case 'industry':
    case 'region':
    case 'address': {
      const account = (await repos.findAccountById(deal.workspaceId, deal.accountId))!;
      const key = cmd.field === 'account' ? 'name' : cmd.field;
      if (key === 'name') {
        // Renaming must not collide with another customer of the same name.
        const clash = await repos.findAccountByName(deal.workspaceId, cmd.value);
        if (clash && clash.id !== account.id) throw new UserError('set.account_exists', { account: clash.name });
      }
      await repos.updateAccount(deal.workspaceId, account.id, { [key]: cmd.value });
      event = change(`account.${key}`, account[key], cmd.value);
      shown = () => cmd.value;
      break;
    }
  }
  await repos.appendEvents(deal.workspaceId, deal.id, [event]);
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, 'set.changed', {
        user: mention(actor.member.externalId),
        field: tLabel(W, `field.${cmd.field}`),
        value: shown(W),
      }),
    ),
    reply: plain(
      t(actor.locale, 'set.changed_reply', {
        deal: deal.number,
        field: tLabel(actor.locale, `field.${cmd.field}`),
        value: shown(actor.locale),
      }),
    ),
  };
}

export async function saveContact(ctx: TxContext, deal: Deal, cmd: CommandOf<'contact'>): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const W = wsLocale(ctx);
  const before = await repos.findContactByName(deal.accountId, cmd.contact);
  const patch = Object.fromEntries(
    Object.entries({ role: cmd.role, title: cmd.title, email: cmd.email, phone: cmd.phone }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const saved = await repos.saveContact(deal.workspaceId, deal.accountId, { name: cmd.contact, ...patch });
  await repos.appendEvents(deal.workspaceId, deal.id, [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'contact_saved',
      at: now,
      data: {
        contactId: saved.id,
        before: before && {
          name: before.name,
          role: before.role,
          title: before.title,
          email: before.email,
          phone: before.phone,
        },
        after: { name: saved.name, role: saved.role, title: saved.title, email: saved.email, phone: saved.phone },
      },
    },
  ]);
  const desc = [saved.title, saved.role ? tLabel(W, `role.${saved.role}`) : null].filter(Boolean).join(', ');
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, before ? 'contact.updated' : 'contact.added', {
        user: mention(actor.member.externalId),
        contact: saved.name,
        desc: desc ? ` (${desc})` : '',
      }),
    ),
    reply: plain(t(actor.locale, 'contact.saved_reply', { contact: saved.name, deal: deal.number })),
  };
}

export async function logTouch(ctx: TxContext, deal: Deal, cmd: CommandOf<'log'>): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const W = wsLocale(ctx);
  const patch = { lastContactAt: now, ...(cmd.next ? { nextContactOn: cmd.next } : {}) };
  await repos.updateDeal(deal.workspaceId, deal.id, patch);
  await repos.appendEvents(deal.workspaceId, deal.id, [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'contact_logged',
      at: now,
      data: {
        note: cmd.note,
        before: { lastContactAt: deal.lastContactAt?.toISOString() ?? null, nextContactOn: deal.nextContactOn },
        after: { lastContactAt: now.toISOString(), nextContactOn: cmd.next ?? deal.nextContactOn },
      },
    },
  ]);
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(
      t(W, 'log.logged', {
        user: mention(actor.member.externalId),
        note: userText(cmd.note),
        next: cmd.next ? t(W, 'log.next', { date: formatDate(cmd.next, W) }) : '',
      }),
    ),
    reply: plain(t(actor.locale, 'log.logged_reply', { deal: deal.number })),
  };
}
