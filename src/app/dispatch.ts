// One entry point for every platform: text in, reply out. Parse once, find the deal, check who may
// act, run the use case in one transaction, then carry out what it decided on the platform.
import { randomBytes } from 'node:crypto';
import { parseCommand } from '../commands/parse.ts';
import { type Command, DEAL_COMMANDS, type Mention } from '../commands/types.ts';
import { DealroomError, UserError } from '../domain/errors.ts';
import type { Deal } from '../domain/model.ts';
import type { Locale } from '../domain/process.ts';
import { type Params, t } from '../i18n/index.ts';
import { assertCanAccess } from './authorize.ts';
import type { Actor, Deps, Invocation, TxContext } from './context.ts';
import {
  ensureSpeaker,
  personLocale,
  prefetchMentions,
  prefetchSpeaker,
  resolveMentions,
  timezoneFor,
} from './identity.ts';
import { isEmpty, join, type Message, plain } from './message.ts';
import { describeStepProblem, enqueue, runSteps, stepsFor } from './outbox.ts';
import type { Outcome } from './outcome.ts';
import type { FunnelPictureRequest } from './pictures.ts';
import type { LockedDeal } from './ports.ts';
import { PROCESS_ID } from './process-id.ts';
import { addAction, checkAction, inviteMembers } from './use-cases/action-items.ts';
import { changeStage } from './use-cases/change-stage.ts';
import { closeDeal } from './use-cases/close-deal.ts';
import { cancelAction, editAction, reassignAction, removeMembers, setOwner } from './use-cases/corrections.ts';
import { digestCommand } from './use-cases/digest.ts';
import { logTouch, saveContact, setField } from './use-cases/edit-deal.ts';
import { findDeals, listDeals } from './use-cases/find-deals.ts';
import { showHelp } from './use-cases/help.ts';
import { showHistory } from './use-cases/history.ts';
import { setLanguage } from './use-cases/language.ts';
import { openDeal } from './use-cases/open-deal.ts';
import { processCommand } from './use-cases/process-admin.ts';
import { showActions, showInfo, showPipeline } from './use-cases/read-views.ts';
import { recordOutcome } from './use-cases/record-outcome.ts';
import { repairRoom } from './use-cases/repair-room.ts';
import { setTeam, showTeam } from './use-cases/team.ts';
import { confirmImport } from './use-cases/uploads.ts';

export interface Reply {
  /** Shown only to the speaker (ephemeral on Slack). Absent when the room post says it all. */
  message?: Message;
  ok: boolean;
  /** The command that ran (absent when the text did not parse). */
  command?: Command['name'];
  /** The deal the command acted on, e.g. so the console can step into a new deal's room. */
  dealNumber?: number;
  roomId?: string;
  /** Pictures to attach where the reply is read, after it (src/app/pictures.ts); the message
   * already says the same in text. */
  pictures?: FunnelPictureRequest[];
}

const READ_ONLY = new Set<Command['name']>([
  'info',
  'history',
  'actions',
  'list',
  'find',
  'pipeline',
  'mine',
  'help',
  'digest',
]);

const mentionsOf = (c: Command): Mention[] => {
  switch (c.name) {
    case 'new':
    case 'invite':
      return c.mentions;
    case 'action':
      return [c.assignee];
    case 'team':
      return c.manager ? [c.manager, ...c.reps] : [];
    case 'digest':
      return c.target ? [c.target] : [];
    case 'list':
    case 'set':
      return c.owner ? [c.owner] : [];
    case 'reassign':
      return [c.assignee];
    case 'remove':
      return c.mentions;
    default:
      return [];
  }
};

export async function handleCommand(deps: Deps, inv: Invocation): Promise<Reply> {
  let locale: Locale = 'en';
  try {
    deps.platforms.get(inv.ws.platform); // a workspace this process does not serve: refuse before writing
    const now = deps.clock.now();
    const pre = await prefetchSpeaker(deps, inv);
    const profile = pre.profiles.get(inv.userId);
    locale = personLocale(pre.workspace, pre.speaker, profile);
    const timezone = timezoneFor(pre.workspace, pre.speaker, profile);
    const parsed = parseCommand(inv.text, { now, timezone });
    if (!parsed.ok) return { ok: false, message: plain(t(locale, parsed.error.key, parsed.error.params)) };
    const cmd = parsed.command;
    const warnings = parsed.warnings.map((w) => t(locale, w.key, w.params));
    await prefetchMentions(deps, inv.ws, pre, mentionsOf(cmd));

    const attempt = () =>
      deps.store.transaction(async (repos) => {
        const { workspace, member } = await ensureSpeaker(repos, inv, pre, now, deps.defaults);
        const actor: Actor = { workspace, member, locale, timezone, roomId: inv.roomId };
        const ctx: TxContext = {
          repos,
          actor,
          now,
          capabilities: deps.platforms.get(inv.ws.platform).capabilities,
          processes: await deps.processes.forWorkspace(repos, workspace),
        };
        const mentioned = await resolveMentions(repos, workspace, mentionsOf(cmd), pre.profiles, now, pre.known);
        const requestKey = READ_ONLY.has(cmd.name) ? undefined : inv.requestKey;
        let deal: Deal | null = null;
        let fresh = true;
        if ((DEAL_COMMANDS as readonly string[]).includes(cmd.name)) {
          // Locked: concurrent commands on one deal serialise. The receipt is written with the lock.
          const locked = await findDeal(ctx, cmd as Command & { deal?: number }, cmd.name === 'actions', requestKey);
          if (locked) {
            await assertCanAccess(repos, member, locked.deal, locked.speakerInRoom);
            deal = locked.deal;
            fresh = locked.fresh;
          }
        }
        if (requestKey && !deal) fresh = await repos.recordRequest(workspace.id, requestKey);
        // A retried delivery of a changing command: the first one did the work.
        if (requestKey && !fresh) {
          const created = cmd.name === 'new' ? await repos.findDealByCreateKey(workspace.id, requestKey) : null;
          return {
            // The same answer the first delivery got (kept with its receipt), not a bare "already handled".
            outcome: {
              dealId: created?.id,
              reply: (await repos.findRequestReply(workspace.id, requestKey)) ?? plain(t(locale, 'request.duplicate')),
            },
            workspace,
            steps: [] as string[],
            deal,
          };
        }
        const outcome = await run(deps, ctx, cmd, deal, mentioned, inv.requestKey);
        if (inv.requestKey && !READ_ONLY.has(cmd.name) && outcome.reply)
          await repos.saveRequestReply(workspace.id, inv.requestKey, outcome.reply);
        // What the change calls for on the platform is written with the change (src/app/outbox.ts).
        const steps = await enqueue(repos, stepsFor(workspace.id, outcome, { userId: inv.userId, locale }), now, true);
        return { outcome, workspace, steps, deal };
      });
    // Lost a race on a unique key: run once more against what the winner committed.
    const result = await attempt().catch((e) =>
      e instanceof DealroomError && e.code === 'conflict' ? attempt() : Promise.reject(e),
    );

    if (result.outcome.later) result.outcome.reply = await result.outcome.later();
    // Carry the steps out now, so the reply can say what happened; the worker retries what failed.
    const reports = result.steps.length
      ? await runSteps(deps, PROCESS_ID, { ids: result.steps, workspace: result.workspace })
      : [];
    const problems = reports
      .filter((r) => r.result === 'retry' || r.result === 'failed')
      .map((r) => describeStepProblem(r, locale));
    // The number and room of the deal acted on: read again only when a room step may have changed them.
    const known = result.deal?.id === result.outcome.dealId ? result.deal : null;
    const deal =
      result.outcome.dealId && (!known || reports.some((r) => r.step.kind === 'room'))
        ? await deps.store.repos.findDealById(result.workspace.id, result.outcome.dealId)
        : known;
    const announcedIn = reports.some((r) => r.step.kind === 'post' && r.result === 'done') ? deal?.roomId : undefined;
    // Typed in the room: the room post is the answer. Elsewhere: a private confirmation too.
    const lines = [
      announcedIn && announcedIn === inv.roomId ? '' : (result.outcome.reply?.text ?? ''),
      ...warnings,
      ...problems,
    ].filter((x) => !isEmpty(x));
    const keepBlocks =
      !(announcedIn && announcedIn === inv.roomId) && result.outcome.reply && !warnings.length && !problems.length;
    const message = keepBlocks ? result.outcome.reply : lines.length ? plain(join(lines, '\n')) : undefined;
    return {
      ok: true,
      command: cmd.name,
      message,
      dealNumber: deal?.number,
      roomId: deal?.roomId ?? undefined,
      ...(result.outcome.pictures?.length ? { pictures: result.outcome.pictures } : {}),
    };
  } catch (e) {
    if (e instanceof UserError) return { ok: false, message: plain(t(locale, e.key, e.params as Params)) };
    // A short reference the user can quote; the same one is in the log line.
    const ref = randomBytes(4).toString('hex');
    deps.log.error({ err: e, ref, text: inv.text.slice(0, 500), user: inv.userId }, 'command failed');
    const code = e instanceof DealroomError ? e.code : 'internal';
    return { ok: false, message: plain(t(locale, 'error.internal', { code, ref })) };
  }
}

async function findDeal(
  ctx: TxContext,
  cmd: { deal?: number; name: string },
  optional: boolean,
  requestKey: string | undefined,
): Promise<LockedDeal | null> {
  const { repos, actor } = ctx;
  const o = { memberId: actor.member.id, requestKey };
  if (cmd.deal !== undefined) {
    const d = await repos.lockDealFor(actor.workspace.id, { number: cmd.deal }, o);
    if (!d) throw new UserError('deal.not_found', { deal: cmd.deal });
    return d;
  }
  if (actor.roomId) {
    const d = await repos.lockDealFor(actor.workspace.id, { roomId: actor.roomId }, o);
    if (d) return d;
  }
  if (optional) return null;
  throw new UserError('deal.which', { command: cmd.name });
}

async function run(
  deps: Deps,
  ctx: TxContext,
  cmd: Command,
  deal: Deal | null,
  mentioned: Awaited<ReturnType<typeof resolveMentions>>,
  requestKey?: string,
): Promise<Outcome> {
  const d = deal!; // present for every deal command but `actions` (checked in findDeal)
  switch (cmd.name) {
    case 'new':
      return openDeal(ctx, cmd, mentioned, requestKey);
    case 'stage':
      return changeStage(ctx, d, cmd);
    case 'set':
      return cmd.owner ? setOwner(ctx, d, mentioned[0]) : setField(ctx, d, cmd);
    case 'edit':
      return editAction(ctx, d, cmd);
    case 'reassign':
      return reassignAction(ctx, d, cmd, mentioned[0]);
    case 'cancel':
      return cancelAction(ctx, d, cmd);
    case 'remove':
      return removeMembers(ctx, d, cmd, mentioned);
    case 'contact':
      return saveContact(ctx, d, cmd);
    case 'log':
      return logTouch(ctx, d, cmd);
    case 'outcome':
      return recordOutcome(ctx, d, cmd);
    case 'action':
      return addAction(ctx, d, cmd, mentioned[0]);
    case 'done':
    case 'undo':
      return checkAction(ctx, d, cmd);
    case 'invite':
      return inviteMembers(ctx, d, cmd, mentioned);
    case 'won':
    case 'lost':
    case 'reopen':
      return closeDeal(ctx, d, cmd);
    case 'room':
      return repairRoom(ctx, d);
    case 'info':
      return showInfo(ctx, d);
    case 'history':
      return showHistory(ctx, d, cmd.page);
    case 'actions':
      return showActions(ctx, deal, cmd);
    case 'list':
      return listDeals(ctx, cmd, cmd.owner ? mentioned[0] : undefined);
    case 'mine':
      return listDeals(ctx, cmd);
    case 'find':
      return findDeals(ctx, cmd);
    case 'pipeline':
      return showPipeline(ctx);
    case 'team':
      return cmd.manager ? setTeam(ctx, mentioned[0], mentioned.slice(1)) : showTeam(ctx);
    case 'help':
      return showHelp(ctx, cmd.topic);
    case 'lang':
      return setLanguage(ctx, cmd);
    case 'digest':
      return digestCommand(deps, ctx, cmd, mentioned[0]);
    case 'import':
      return confirmImport(ctx, cmd);
    case 'process':
      return processCommand(ctx, deps.processes.base, cmd);
  }
}
