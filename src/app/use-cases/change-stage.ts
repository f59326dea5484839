// `stage <stage> [override:<reason>]`: the sales process's gates are checked at the moment of the
// command; a blocked move changes nothing and says what is missing and how to fix it.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Deal, Member, NewEvent } from '../../domain/model.ts';
import {
  type Assignee,
  type GateInput,
  isAdvance,
  type Locale,
  matchStage,
  missingRequirements,
  type Process,
  type Requirement,
  stageOf,
} from '../../domain/process.ts';
import { t, tLabel } from '../../i18n/index.ts';
import { assertCanOverride } from '../authorize.ts';
import type { TxContext } from '../context.ts';
import { addDays, stageName, todayIn } from '../format.ts';
import { roomLocale } from '../identity.ts';
import { command, join, mention, plain, type Rich, r, userText } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import { unknownStage } from '../stage-typo.ts';
import { closeDeal } from './close-deal.ts';
import { recordedOutcomes } from './record-outcome.ts';

/** The fix for each requirement, as the command a user types, in the reader's language. */
const FIX: Record<Locale, Record<string, string>> = {
  en: {
    amount: 'set amount 120k',
    close: 'set close 2026-12-31',
    decision_maker: 'contact "Jane Doe" role:decision-maker title:CFO',
    next_contact: 'set next-contact friday',
    next_step: 'set next-step "Send the proposal"',
    competitors: 'set competitor Globex',
    industry: 'set industry Manufacturing',
    region: 'set region East',
  },
  zh: {
    amount: '设置 金额 12万',
    close: '设置 成交日期 2026-12-31',
    decision_maker: '联系人 张伟 角色:决策者 职位:财务总监',
    next_contact: '设置 下次联系 周五',
    next_step: '设置 下一步 发送方案',
    competitors: '设置 竞争对手 阿里云',
    industry: '设置 行业 制造业',
    region: '设置 区域 华东',
  },
};

/** What a missing requirement asks for, and the command that fixes it (none yet for outcomes). */
function missingLine(q: Requirement, L: Locale, process: Process): Rich {
  switch (q.spec.kind) {
    case 'field':
      return r`• ${t(L, `req.${q.spec.field}`)} → ${command(FIX[L][q.spec.field] ?? 'info')}`;
    case 'contact': {
      const role = q.spec.role;
      const label =
        role === 'decision_maker'
          ? t(L, 'req.decision_maker')
          : t(L, 'req.contact', { role: tLabel(L, `role.${role}`) });
      const fix =
        role === 'decision_maker' ? FIX[L].decision_maker : `contact "Jane Doe" role:${role.replace('_', '-')}`;
      return r`• ${label} → ${command(fix)}`;
    }
    case 'outcome': {
      const o = q.spec.outcome;
      const name = t(L, 'req.outcome', { outcome: process.outcomes.find((x) => x.key === o)?.names[L] ?? o });
      return r`• ${name} → ${command(`outcome ${o} 2026-12-02 by:"Jane Doe"`)}`;
    }
  }
}

/** The short name of a requirement (history lines, overrides). */
function requirementName(q: Requirement, L: Locale, process: Process): Rich {
  if (q.spec.kind === 'field') return t(L, `req.${q.spec.field}`);
  if (q.spec.kind === 'contact')
    return q.spec.role === 'decision_maker'
      ? t(L, 'req.decision_maker')
      : t(L, 'req.contact', { role: tLabel(L, `role.${q.spec.role}`) });
  const o = q.spec.outcome;
  return t(L, 'req.outcome', { outcome: process.outcomes.find((x) => x.key === o)?.names[L] ?? o });
}

export async function changeStage(ctx: TxContext, deal: Deal, cmd: CommandOf<'stage'>): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const L = actor.locale;
  const process = ctx.processes.set.get(deal.process);
  const { stage: target, candidates } = matchStage(process, cmd.stage);
  if (!target) {
    if (candidates.length > 1)
      throw new UserError('stage.ambiguous', {
        input: cmd.stage,
        stages: candidates.map((s) => `${s.key} (${s.names[L]})`).join(', '),
      });
    throw unknownStage(process, cmd.stage, L, (s) => (L === 'zh' ? `阶段 ${s.names.zh}` : `stage ${s.key}`));
  }
  if (deal.status !== 'open')
    throw new UserError('deal.closed', { deal: deal.number, status: tLabel(L, `status.${deal.status}`) });
  if (target.terminal === 'won') return closeDeal(ctx, deal, { name: 'won' });
  if (target.terminal === 'lost') throw new UserError('stage.lost_needs_reason');
  if (target.key === deal.stage) throw new UserError('stage.already', { deal: deal.number, stage: target.names[L] });

  // What the gates on the way need beyond the deal row is read only when a gate asks about it:
  // first checked without contacts, account or outcomes, then again with what is missing read.
  const facts: GateInput = {
    amount: deal.amount,
    closeDate: deal.closeDate,
    nextContactOn: deal.nextContactOn,
    contactRoles: [],
    nextStep: deal.nextStep,
    competitors: deal.competitors,
    industry: null,
    region: null,
    outcomes: [],
  };
  let missing = missingRequirements(process, deal.stage, target.key, facts);
  const asks = (f: (q: Requirement) => boolean) => missing.some(f);
  if (missing.length) {
    if (asks((q) => q.spec.kind === 'contact'))
      facts.contactRoles = (await repos.listContacts(deal.accountId)).map((c) => c.role ?? '');
    if (asks((q) => q.spec.kind === 'field' && (q.spec.field === 'industry' || q.spec.field === 'region'))) {
      const account = await repos.findAccountById(deal.workspaceId, deal.accountId);
      facts.industry = account?.industry ?? null;
      facts.region = account?.region ?? null;
    }
    if (asks((q) => q.spec.kind === 'outcome')) facts.outcomes = recordedOutcomes(await repos.listEvents(deal.id));
    missing = missingRequirements(process, deal.stage, target.key, facts);
  }
  if (missing.length && !cmd.override) {
    throw new UserError('stage.blocked', {
      stage: target.names[L],
      missing: join(
        missing.map((q) => missingLine(q, L, process)),
        '\n',
      ),
    });
  }
  if (cmd.override) await assertCanOverride(repos, actor.member, deal);

  const from = deal.stage;
  const updated = await repos.updateDeal(deal.workspaceId, deal.id, { stage: target.key, stageEnteredAt: now });
  const events: NewEvent[] = [
    {
      dealId: deal.id,
      actorId: actor.member.id,
      type: 'stage_changed',
      at: now,
      data: {
        field: 'stage',
        before: from,
        after: target.key,
        direction: isAdvance(process, from, target.key) ? 'advance' : 'back',
        ...(cmd.override ? { override: cmd.override, missing: missing.map((r) => r.key) } : {}),
      },
    },
  ];

  // Stage playbook: the actions this stage calls for, each for the owner, the owner's manager or
  // whoever holds a role in the room (the owner when there is no such person), due from today.
  const wsLocale = roomLocale(actor.workspace);
  const created: Rich[] = [];
  if (isAdvance(process, from, target.key) && target.playbook.length) {
    const owner =
      deal.ownerId === actor.member.id ? actor.member : (await repos.findMemberById(deal.workspaceId, deal.ownerId))!;
    const today = todayIn(now, owner.timezone ?? actor.workspace.timezone);
    // The room's members are read once for all of the playbook's room-role actions.
    let roomMembers: Awaited<ReturnType<typeof repos.listDealMembers>> | undefined;
    const assigneeOf = async (a: Assignee): Promise<Member> => {
      if (a.kind === 'manager' && owner.managerId)
        return (await repos.findMemberById(deal.workspaceId, owner.managerId)) ?? owner;
      if (a.kind === 'room_role') {
        roomMembers ??= await repos.listDealMembers(deal.id);
        const holder = roomMembers.find((m) => m.role === a.role);
        if (holder) return (await repos.findMemberById(deal.workspaceId, holder.memberId)) ?? owner;
      }
      return owner;
    };
    // Re-entering a stage (back, then forward again) does not repeat its playbook while the
    // actions it created earlier are still there (open or done; a cancelled one may come again).
    const earlier = new Set(
      (await repos.listActions(deal.id)).filter((a) => a.status !== 'cancelled').map((a) => a.text),
    );
    for (const p of target.playbook) {
      if (Object.values(p.text).some((text) => earlier.has(text))) continue;
      const assignee = await assigneeOf(p.assignee);
      const number = await repos.nextActionNumber(deal.workspaceId, deal.id);
      const a = await repos.createAction({
        dealId: deal.id,
        number,
        text: p.text[wsLocale],
        assigneeId: assignee.id,
        dueOn: addDays(today, p.dueInDays),
        createdById: null,
      });
      events.push({
        dealId: deal.id,
        actorId: null,
        type: 'action_added',
        at: now,
        data: { number, text: a.text, assigneeId: assignee.id, dueOn: a.dueOn, playbook: target.key },
      });
      created.push(r`#${number} ${a.text} → ${mention(assignee.externalId)}`);
    }
  }
  await repos.appendEvents(deal.workspaceId, deal.id, events);

  const lines = [
    t(wsLocale, 'stage.moved', {
      user: mention(actor.member.externalId),
      deal: updated.number,
      from: stageName(process, from, wsLocale),
      to: stageName(process, target.key, wsLocale),
    }),
  ];
  if (cmd.override)
    lines.push(
      t(wsLocale, 'stage.overridden', {
        reason: userText(cmd.override),
        missing: join(
          missing.map((q) => requirementName(q, wsLocale, process)),
          ', ',
        ),
      }),
    );
  if (created.length) lines.push(t(wsLocale, 'stage.playbook', { actions: join(created, '\n') }));
  return {
    dealId: deal.id,
    refreshCard: true,
    announce: plain(join(lines, '\n')),
    reply: plain(t(L, 'stage.moved_reply', { deal: updated.number, stage: stageOf(process, target.key).names[L] })),
  };
}
