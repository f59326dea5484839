// Files an admin sends the bot in a direct message (issue 13): a CSV to import, or a process file.
// The platform's delivery is written to the durable inbox first (src/app/inbox.ts); the download
// and everything after it run here, in the inbox worker, never before the platform's ack.
// - A CSV gets the import's dry run (src/app/csv.ts) as the answer, and is kept (table Upload) so
//   `import confirm` imports it later, on any replica and after a restart.
// - A process file is checked (src/domain/process-file.ts) and kept for `process load`.

import type { CommandOf } from '../../commands/types.ts';
import { PlatformError, UserError } from '../../domain/errors.ts';
import type { Locale } from '../../domain/process.ts';
import { ProcessFileError, parseProcessFile } from '../../domain/process-file.ts';
import { t, tLabel } from '../../i18n/index.ts';
import type { Deps, TxContext } from '../context.ts';
import { COLUMNS as CSV_COLUMNS, type CsvKind, importCsv, importCsvWith } from '../csv.ts';
import { personLocale, prefetchSpeaker } from '../identity.ts';
import { join, type Message, plain, type Rich } from '../message.ts';
import type { Outcome } from '../outcome.ts';
import type { SharedFile, UploadKind, WorkspaceRef } from '../ports.ts';

/** A file delivery as the inbox keeps it: who sent which files where. */
export interface InboundFile {
  kind: 'file';
  ws: WorkspaceRef & { name?: string };
  userId: string;
  /** The delivery's key (Slack's event id, Lark's event id): a redelivery is the same key. */
  requestKey: string;
  files: SharedFile[];
}

/** What each kind of file may weigh, and the names it goes by. */
export const UPLOAD_LIMITS: Record<UploadKind, { maxBytes: number; extensions: string[] }> = {
  csv: { maxBytes: 5 * 1024 * 1024, extensions: ['.csv'] },
  process: { maxBytes: 256 * 1024, extensions: ['.yaml', '.yml', '.json'] },
};
/** How long a CSV's dry run stays confirmable. */
export const UPLOAD_TTL_MS = 24 * 3600_000;

const kindOf = (name: string): UploadKind | undefined => {
  const n = name.toLowerCase();
  return (Object.keys(UPLOAD_LIMITS) as UploadKind[]).find((k) =>
    UPLOAD_LIMITS[k].extensions.some((e) => n.endsWith(e)),
  );
};

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;

/** Which of the three CSV files this is: by its name, else by its header. */
export function csvKindOf(name: string, text: string): CsvKind | undefined {
  const n = name.toLowerCase();
  const byName = (Object.keys(CSV_COLUMNS) as CsvKind[]).find((k) => n.includes(k) || n.includes(k.slice(0, -1)));
  if (byName) return byName;
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  if (header.includes('title') || header.includes('owner')) return 'deals';
  if (header.includes('account')) return 'contacts';
  if (header.includes('name')) return 'accounts';
  return undefined;
}

/** Reads one file delivery and answers its sender by DM. Throws only what is worth a retry (the
 * database, or the platform unreachable): the inbox runs the row again. */
export async function receiveFile(deps: Deps, f: InboundFile, answerKey: string): Promise<void> {
  const platform = deps.platforms.get(f.ws.platform);
  const pre = await prefetchSpeaker(deps, { ws: f.ws, userId: f.userId, text: '' });
  const L = personLocale(pre.workspace, pre.speaker, pre.profiles.get(f.userId));
  const answer = (text: Rich) => platform.dm(f.ws, f.userId, plain(text), { key: answerKey });
  // Nothing is read or kept for anyone else: no member row is created for a refused sender either.
  if (!pre.workspace || !pre.speaker || pre.speaker.role !== 'admin') return answer(t(L, 'upload.admin_only'));
  if (f.files.length !== 1) return answer(t(L, 'upload.one_file', { count: f.files.length }));
  const file = f.files[0]!;
  const kind = kindOf(file.name);
  if (!kind || !platform.downloadFile) return answer(t(L, 'upload.wrong_type', { name: file.name }));
  const { maxBytes } = UPLOAD_LIMITS[kind];
  const tooBig = () =>
    answer(t(L, 'upload.too_big', { name: file.name, max: size(maxBytes), kind: kindLabel(L, kind) }));
  if (file.size !== undefined && file.size > maxBytes) return tooBig();
  let bytes: Buffer | 'too_big';
  try {
    bytes = await platform.downloadFile(f.ws, file, { maxBytes });
  } catch (e) {
    if (e instanceof PlatformError && (e.code === 'network' || e.code === 'rate_limited')) throw e;
    deps.log.warn({ err: e, file: file.name }, 'file download failed');
    const reason =
      e instanceof PlatformError && e.code === 'missing_scope'
        ? t(L, 'upload.download_refused')
        : t(L, 'upload.download_other', { code: e instanceof PlatformError ? e.platformCode : 'error' });
    return answer(t(L, 'upload.download_failed', { name: file.name, reason }));
  }
  if (bytes === 'too_big') return tooBig();
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 are refused, not turned into U+FFFD; the BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return answer(t(L, 'upload.not_utf8', { name: file.name }));
  }
  const now = deps.clock.now();
  const ws = pre.workspace;
  // Kept before the answer: a redelivered row (a crash after this) finds it and keeps one copy.
  await deps.store.repos.saveUpload({
    workspaceId: ws.id,
    memberId: pre.speaker.id,
    kind,
    name: file.name,
    text,
    key: f.requestKey,
    receivedAt: now,
  });
  if (kind === 'process') return answer(checkProcessFile(L, file.name, text));
  const csvKind = csvKindOf(file.name, text);
  if (!csvKind) return answer(t(L, 'upload.csv_kind_unknown', { name: file.name }));
  const dry = await importCsv(
    deps.store,
    ws,
    { [csvKind]: text },
    {
      dryRun: true,
      locale: L,
      now,
      processes: (await deps.processes.forWorkspace(deps.store.repos, ws)).set.list,
    },
  );
  return answer(
    join(
      [
        t(L, 'upload.csv_dry_run', { report: dry.report, name: file.name, kind: csvKind }),
        t(L, dry.rejections.length ? 'upload.csv_fix' : 'upload.csv_confirm'),
      ],
      '\n',
    ),
  );
}

const kindLabel = (L: Locale, kind: UploadKind) => tLabel(L, `upload.kind_${kind}`);

function checkProcessFile(L: Locale, name: string, text: string): Rich {
  try {
    const processes = parseProcessFile(text, name);
    return t(L, 'upload.process_valid', { name, processes: processes.map((p) => p.key).join(', ') });
  } catch (e) {
    if (!(e instanceof ProcessFileError)) throw e;
    const issues = e.issues.map((i) =>
      t(L, 'upload.process_issue', { line: i.line, field: i.field || '(top)', message: i.message }),
    );
    return t(L, 'upload.process_invalid', { name, issues: join(issues, '\n') });
  }
}

/** `import confirm [rooms]`: imports the speaker's latest CSV of the last 24 hours that was not
 * imported yet, in the command's transaction; the upload is marked used with the import, so a
 * second confirm (here or on another replica) finds nothing to import. */
export async function confirmImport(ctx: TxContext, cmd: CommandOf<'import'>): Promise<Outcome> {
  const { repos, actor, now } = ctx;
  const L = actor.locale;
  if (actor.member.role !== 'admin') throw new UserError('upload.admin_only');
  const upload = await repos.latestUpload(
    actor.workspace.id,
    actor.member.id,
    'csv',
    new Date(now.getTime() - UPLOAD_TTL_MS),
  );
  // Marked first: of two confirms at once, the second waits on this row and then finds it used.
  if (!upload || !(await repos.markUploadUsed(upload.id, now))) throw new UserError('upload.no_csv');
  const csvKind = csvKindOf(upload.name, upload.text);
  if (!csvKind) throw new UserError('upload.csv_kind_unknown', { name: upload.name });
  const result = await importCsvWith(
    repos,
    actor.workspace,
    { [csvKind]: upload.text },
    {
      dryRun: false,
      locale: L,
      now,
      rooms: cmd.rooms,
      processes: ctx.processes.set.list,
    },
  );
  // Refused (a row became invalid since the dry run): the error rolls the mark back with the rest.
  if (!result.imported) throw new UserError('upload.import_refused', { report: result.report, name: upload.name });
  return { reply: plain(t(L, 'upload.imported', { report: result.report, name: upload.name })) as Message };
}
