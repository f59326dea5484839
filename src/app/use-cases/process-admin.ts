// `/deal process …` (admins): the workspace's sales processes — shown with where they come from,
// checked (dry run), loaded, exported as a file to edit, or reset to the default. A file that is
// invalid or would orphan a deal changes nothing.
import type { CommandOf } from '../../commands/types.ts';
import { UserError } from '../../domain/errors.ts';
import type { Locale, ProcessSet } from '../../domain/process.ts';
import { ProcessFileError, processFileText } from '../../domain/process-file.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { formatInstant } from '../format.ts';
import { type Block, join, type Message, mention, plain, r, type Text } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import { loadWorkspaceProcessFile, ProcessChangeRefused, type WorkspaceProcesses } from '../process-config.ts';
import { UPLOAD_TTL_MS } from './uploads.ts';

/** Slack shows at most 3,000 characters per text block: an exported file goes in pieces, cut at lines. */
const PIECE = 2800;

const summary = (set: ProcessSet, L: Locale) =>
  set.list.map((p) => `${p.key} (${p.names[L]}, ${p.stages.length})`).join(', ');

export async function processCommand(
  ctx: TxContext,
  base: WorkspaceProcesses,
  cmd: CommandOf<'process'>,
): Promise<Outcome> {
  const { actor, repos } = ctx;
  const L = actor.locale;
  if (actor.member.role !== 'admin') throw new UserError('process_admin.admins_only');
  const current = ctx.processes;
  switch (cmd.action) {
    case 'show':
      return { reply: await show(ctx, current) };
    case 'export':
      return { reply: exportFile(current, L) };
    case 'check':
    case 'load': {
      // No text after the command: the process file this admin last sent the bot (uploads.ts).
      const upload =
        cmd.text === undefined
          ? await repos.latestUpload(
              actor.workspace.id,
              actor.member.id,
              'process',
              new Date(ctx.now.getTime() - UPLOAD_TTL_MS),
            )
          : null;
      if (cmd.text === undefined && !upload) throw new UserError('process_admin.no_file', { action: cmd.action });
      const source = upload ? upload.name : 'chat';
      const r0 = await guarded(L, () =>
        loadWorkspaceProcessFile(repos, base, actor.workspace.id, actor.member.id, upload?.text ?? cmd.text!, source, {
          dryRun: cmd.action === 'check',
        }),
      );
      // Used only once it is in force (a refused load throws above and leaves the upload to fix).
      if (upload && cmd.action === 'load') await repos.markUploadUsed(upload.id, ctx.now);
      const processes = summary(r0.processes, L);
      return {
        reply: plain(
          cmd.action === 'check'
            ? t(L, 'process_admin.check_ok', { processes })
            : t(L, 'process_admin.loaded', { processes, version: r0.version ?? 0 }),
        ),
      };
    }
    case 'reset': {
      if (current.origin.kind !== 'loaded')
        return { reply: plain(t(L, 'process_admin.already_default', { processes: summary(current.set, L) })) };
      const r0 = await guarded(L, () =>
        loadWorkspaceProcessFile(repos, base, actor.workspace.id, actor.member.id, null, 'reset', { dryRun: false }),
      );
      return {
        reply: plain(t(L, 'process_admin.reset', { processes: summary(r0.processes, L), version: r0.version ?? 0 })),
      };
    }
  }
}

/** A file's problems and the deals it would orphan, as the sentences a person reads. */
async function guarded<T>(L: Locale, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ProcessFileError) {
      const shown = e.issues
        .slice(0, 20)
        .map((i) => tLabel(L, 'process_admin.issue', { line: i.line, field: i.field || '(top)', message: i.message }));
      if (e.issues.length > 20) shown.push(tLabel(L, 'common.and_more', { count: e.issues.length - 20 }));
      throw new UserError('process_admin.invalid', { count: e.issues.length, issues: shown.join('\n') });
    }
    if (e instanceof ProcessChangeRefused) {
      const deals = e.deals.slice(0, 20).map((d) => `#${d.number} (${d.process} / ${d.stage})`);
      if (e.deals.length > 20) deals.push(tLabel(L, 'common.and_more', { count: e.deals.length - 20 }));
      throw new UserError('process_admin.orphans', { count: e.deals.length, deals: deals.join(', ') });
    }
    throw e;
  }
}

async function show(ctx: TxContext, current: WorkspaceProcesses): Promise<Message> {
  const L = ctx.actor.locale;
  const o = current.origin;
  let origin: Text;
  if (o.kind === 'built-in') origin = t(L, 'process_admin.origin_built_in');
  else if (o.kind === 'config') origin = t(L, 'process_admin.origin_config', { file: o.file });
  else {
    const who = await ctx.repos.findMemberById(ctx.actor.workspace.id, o.loadedById);
    origin = t(L, 'process_admin.origin_loaded', {
      who: who ? [mention(who.externalId)] : '?',
      when: formatInstant(o.loadedAt, ctx.actor.timezone, L),
      version: o.version,
      source: o.source,
    });
  }
  const lines = current.set.list.map((p) =>
    t(L, 'process_admin.process_line', {
      name: p.names[L],
      key: p.key,
      default: p.key === current.set.defaultKey ? tLabel(L, 'process_admin.default_mark') : '',
      stages: p.stages.map((s) => `${s.names[L]} (${s.key})`).join(' → '),
    }),
  );
  const foot = t(L, 'process_admin.show_footer');
  const blocks: Block[] = [
    { type: 'text', text: origin },
    { type: 'list', items: lines },
    { type: 'context', text: foot },
  ];
  return { text: join([origin, ...lines, foot], '\n'), blocks };
}

function exportFile(current: WorkspaceProcesses, L: Locale): Message {
  const o = current.origin;
  const origin =
    o.kind === 'built-in'
      ? tLabel(L, 'process_admin.export_built_in')
      : o.kind === 'config'
        ? tLabel(L, 'process_admin.export_config', { file: o.file })
        : tLabel(L, 'process_admin.export_loaded', { version: o.version });
  const text = current.text ?? processFileText(current.set.list);
  const head = t(L, 'process_admin.export_head', { origin });
  const pieces: string[] = [];
  let piece = '';
  for (const line of text.split('\n')) {
    if (piece && piece.length + line.length + 1 > PIECE) {
      pieces.push(piece);
      piece = '';
    }
    piece += `${piece ? '\n' : ''}${line.slice(0, PIECE)}`;
  }
  if (piece) pieces.push(piece);
  return {
    text: r`${head}\n${text}`,
    blocks: [{ type: 'text', text: head }, ...pieces.map((p): Block => ({ type: 'text', text: p }))],
  };
}
