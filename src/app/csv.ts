// CSV import and export of accounts, contacts and deals (teams start from a spreadsheet or a CRM
// export). Parsing and writing CSV is csv-parse / csv-stringify (quotes, embedded newlines, BOMs):
// a hand-written splitter gets those wrong. An import checks every row first and lists each one it
// would reject and why; it writes only when no row is rejected, all in one transaction.
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { isCurrencyCode, parseAmount } from '../commands/amounts.ts';
import { dateInRange } from '../commands/dates.ts';
import type { Account, Deal, Member, NewEvent, Workspace } from '../domain/model.ts';
import { CONTACT_ROLES, DEFAULT_PROCESSES, type Locale, type Process } from '../domain/process.ts';
import { csvText } from '../i18n/csv-messages.ts';
import { join, type Rich, r } from './message.ts';
import type { Repos, Store } from './ports.ts';

export const COLUMNS = {
  accounts: ['name', 'industry', 'region', 'address'],
  contacts: ['account', 'name', 'title', 'role', 'email', 'phone'],
  deals: [
    'number',
    'account',
    'title',
    'process',
    'stage',
    'amount',
    'currency',
    'close_date',
    'next_contact',
    'next_step',
    'competitors',
    'owner',
    'lost_reason',
  ],
} as const;
export type CsvKind = keyof typeof COLUMNS;
const REQUIRED: Record<CsvKind, string[]> = {
  accounts: ['name'],
  contacts: ['account', 'name'],
  deals: ['account', 'title', 'owner'],
};
/** The same limits as the chat commands (README: Bad input). */
const MAX: Record<string, number> = { account: 200, name: 200, title: 200, stage: 100, lost_reason: 2000 };
const maxOf = (column: string) => MAX[column] ?? 500;

/** The CSV texts of an import or an export; a file left out is not imported. */
export type CsvFiles = Partial<Record<CsvKind, string>>;

export interface Rejection {
  file: string;
  line: number; // 1-based, the header is line 1
  reason: Rich;
}

interface Row {
  line: number;
  cells: Record<string, string>;
}

const norm = (s: string) => s.trim().toLowerCase().normalize('NFKC').replace(/\s+/g, ' ');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters other than tab and line ends, or half an emoji: not text anyone meant. */
const badText = (s: string) =>
  LONE_SURROGATE.test(s) ||
  [...s].some((c) => {
    const n = c.codePointAt(0) ?? 0;
    return (n < 32 && n !== 9 && n !== 10 && n !== 13) || n === 127;
  });

/** Reads one file: header checked against the known columns, each record with its line. */
function readFile(kind: CsvKind, text: string, L: Locale): { rows: Row[]; errors: Rejection[] } {
  const file = `${kind}.csv`;
  const expected = COLUMNS[kind].join(', ');
  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true, info: true, raw: true });
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    const reason = (err.message ?? String(e)).replace(/^Invalid [^:]*: /, '').split(':')[0] ?? '';
    return {
      rows: [],
      errors: [
        {
          file,
          line: err.lines ?? 1,
          reason: csvText(L, 'csv.file_unreadable', { file, line: err.lines ?? 1, reason }),
        },
      ],
    };
  }
  const header = records[0] ? Object.keys(records[0].record) : headerOf(text);
  const unknown = header.filter((h) => !(COLUMNS[kind] as readonly string[]).includes(h));
  if (unknown.length)
    return {
      rows: [],
      errors: [
        { file, line: 1, reason: csvText(L, 'csv.unknown_columns', { file, columns: unknown.join(', '), expected }) },
      ],
    };
  const missing = REQUIRED[kind].filter((c) => !header.includes(c));
  if (missing.length)
    return {
      rows: [],
      errors: [
        { file, line: 1, reason: csvText(L, 'csv.missing_columns', { file, columns: missing.join(', '), expected }) },
      ],
    };
  // `info.lines` is the record's LAST line; a quoted cell may span lines, and people look for the first.
  const first = (r: (typeof records)[number]) => r.info.lines - (r.raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
  return { rows: records.map((r) => ({ line: first(r), cells: r.record })), errors: [] };
}

function headerOf(text: string): string[] {
  const rows = parse(text, { bom: true, to_line: 1, trim: true }) as string[][];
  return rows[0] ?? [];
}

/** A checked import, ready to write. */
export interface ImportPlan {
  rejections: Rejection[];
  accounts: { name: string; industry: string | null; region: string | null; address: string | null }[];
  contacts: {
    account: string;
    name: string;
    title: string | null;
    role: string | null;
    email: string | null;
    phone: string | null;
  }[];
  deals: {
    account: string;
    title: string;
    process: Process;
    stage: string;
    status: Deal['status'];
    amount: string | null;
    currency: string;
    closeDate: string | null;
    nextContactOn: string | null;
    nextStep: string | null;
    competitors: string[];
    owner: Member;
    lostReason: string | null;
  }[];
}

/** Checks every row of every file against the files and the workspace; writes nothing. */
export async function planImport(
  repos: Repos,
  ws: Workspace,
  files: CsvFiles,
  L: Locale,
  processes: readonly Process[] = DEFAULT_PROCESSES,
): Promise<ImportPlan> {
  const plan: ImportPlan = { rejections: [], accounts: [], contacts: [], deals: [] };
  const read = (kind: CsvKind) => {
    const text = files[kind];
    if (text === undefined) return [];
    const r = readFile(kind, text, L);
    plan.rejections.push(...r.errors);
    return r.rows;
  };
  /** Checks a row's cells; returns a reason or the cleaned cells (empty → null). */
  const check = (kind: CsvKind, row: Row, reject: (reason: Rich) => void) => {
    const out: Record<string, string | null> = {};
    for (const c of COLUMNS[kind]) {
      const v = (row.cells[c] ?? '').trim();
      if (badText(v)) return reject(csvText(L, 'csv.bad_text', { column: c }));
      if (v.length > maxOf(c)) return reject(csvText(L, 'csv.too_long', { column: c, max: maxOf(c) }));
      out[c] = v === '' ? null : v;
    }
    for (const c of REQUIRED[kind]) if (out[c] === null) return reject(csvText(L, 'csv.required', { column: c }));
    return out;
  };
  const rejecter = (kind: CsvKind, line: number) => (reason: Rich) => {
    plan.rejections.push({ file: `${kind}.csv`, line, reason });
    return undefined;
  };

  const accountLines = new Map<string, number>();
  for (const row of read('accounts')) {
    const reject = rejecter('accounts', row.line);
    const c = check('accounts', row, reject);
    if (!c) continue;
    const name = c.name as string;
    const other = accountLines.get(norm(name));
    if (other) {
      reject(csvText(L, 'csv.duplicate_account', { name, other }));
      continue;
    }
    accountLines.set(norm(name), row.line);
    plan.accounts.push({ name, industry: c.industry ?? null, region: c.region ?? null, address: c.address ?? null });
  }

  const roleWords = CONTACT_ROLES.map((r) => r.replace('_', '-')).join(', ');
  const contactLines = new Map<string, number>();
  for (const row of read('contacts')) {
    const reject = rejecter('contacts', row.line);
    const c = check('contacts', row, reject);
    if (!c) continue;
    const account = c.account as string;
    const name = c.name as string;
    const role = c.role === null ? null : norm(c.role).replace(/[\s-]/g, '_');
    if (role !== null && !(CONTACT_ROLES as readonly string[]).includes(role)) {
      reject(csvText(L, 'csv.bad_role', { value: c.role ?? '', roles: roleWords }));
      continue;
    }
    if (c.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email)) {
      reject(csvText(L, 'csv.bad_email', { value: c.email }));
      continue;
    }
    const k = `${norm(account)}\u0000${norm(name)}`;
    const other = contactLines.get(k);
    if (other) {
      reject(csvText(L, 'csv.duplicate_contact', { name, account, other }));
      continue;
    }
    contactLines.set(k, row.line);
    plan.contacts.push({ account, name, title: c.title ?? null, role, email: c.email ?? null, phone: c.phone ?? null });
  }

  const byKey = new Map(processes.map((p) => [p.key, p]));
  const dealLines = new Map<string, number>();
  const owners = new Map<string, Member[]>();
  for (const row of read('deals')) {
    const reject = rejecter('deals', row.line);
    const c = check('deals', row, reject);
    if (!c) continue;
    const account = c.account as string;
    const title = c.title as string;
    const process = byKey.get(c.process ?? processes[0]?.key ?? '');
    if (!process) {
      reject(csvText(L, 'csv.unknown_process', { value: c.process ?? '', known: [...byKey.keys()].join(', ') }));
      continue;
    }
    const stage = c.stage === null ? process.stages[0] : process.stages.find((s) => s.key === norm(c.stage ?? ''));
    if (!stage) {
      const stages = process.stages.map((s) => s.key).join(', ');
      reject(csvText(L, 'csv.unknown_stage', { value: c.stage ?? '', process: process.key, stages }));
      continue;
    }
    let currency = c.currency === null ? null : c.currency.toUpperCase();
    if (currency !== null && !isCurrencyCode(currency)) {
      reject(csvText(L, 'csv.bad_currency', { value: c.currency ?? '' }));
      continue;
    }
    let amount: string | null = null;
    if (c.amount !== null) {
      const money = parseAmount(c.amount);
      if (!money) {
        reject(csvText(L, 'csv.bad_amount', { value: c.amount }));
        continue;
      }
      if (money.currency && currency && money.currency !== currency) {
        reject(csvText(L, 'csv.currency_conflict', { amount: c.amount, inAmount: money.currency, currency }));
        continue;
      }
      amount = money.value;
      currency = currency ?? money.currency ?? null;
    }
    const dates: Record<string, string | null> = {};
    let badDate = false;
    for (const col of ['close_date', 'next_contact'] as const) {
      const v = c[col] ?? null;
      if (v !== null && !(DateTime.fromFormat(v, 'yyyy-MM-dd').isValid && dateInRange(v))) {
        reject(csvText(L, 'csv.bad_date', { column: col, value: v }));
        badDate = true;
        break;
      }
      dates[col] = v;
    }
    if (badDate) continue;
    if (stage.terminal === 'lost' && c.lost_reason === null) {
      reject(csvText(L, 'csv.lost_needs_reason'));
      continue;
    }
    const ownerName = (c.owner as string).replace(/^@/, '');
    let found = owners.get(norm(ownerName));
    if (!found) {
      found = await repos.findMembersByName(ws.id, ownerName);
      owners.set(norm(ownerName), found);
    }
    if (found.length !== 1 || !found[0]) {
      reject(
        csvText(L, found.length ? 'csv.ambiguous_owner' : 'csv.unknown_owner', {
          value: ownerName,
          count: found.length,
        }),
      );
      continue;
    }
    const k = `${norm(account)}\u0000${norm(title)}`;
    const other = dealLines.get(k);
    if (other) {
      reject(csvText(L, 'csv.duplicate_deal', { title, account, other }));
      continue;
    }
    const existing = await existingDeal(repos, ws.id, account, title);
    if (existing) {
      reject(csvText(L, 'csv.deal_exists', { title, account, number: existing.number }));
      continue;
    }
    dealLines.set(k, row.line);
    plan.deals.push({
      account,
      title,
      process,
      stage: stage.key,
      status: stage.terminal ?? 'open',
      amount,
      currency: currency ?? ws.defaultCurrency,
      closeDate: dates.close_date ?? null,
      nextContactOn: dates.next_contact ?? null,
      nextStep: c.next_step ?? null,
      competitors: (c.competitors ?? '')
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean),
      owner: found[0],
      lostReason: stage.terminal === 'lost' ? c.lost_reason : null,
    });
  }
  plan.rejections.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return plan;
}

async function existingDeal(repos: Repos, workspaceId: string, account: string, title: string) {
  const a = await repos.findAccountByName(workspaceId, account);
  if (!a) return null;
  const deals = await repos.listDeals(workspaceId, {});
  return deals.find((d) => d.accountId === a.id && norm(d.title) === norm(title)) ?? null;
}

/** Writes a plan with no rejections, in the caller's transaction. Deals get the next free numbers;
 * each gets a `created` event (marked imported) so funnels and history see it. No rooms. */
async function writePlan(repos: Repos, ws: Workspace, plan: ImportPlan, now: Date, rooms: boolean) {
  const accounts = new Map<string, Account>();
  const account = async (name: string) => {
    let a = accounts.get(norm(name));
    if (!a) {
      a = await repos.findOrCreateAccount(ws.id, name);
      accounts.set(norm(name), a);
    }
    return a;
  };
  for (const a of plan.accounts) {
    const acc = await account(a.name);
    accounts.set(
      norm(a.name),
      await repos.updateAccount(ws.id, acc.id, { industry: a.industry, region: a.region, address: a.address }),
    );
  }
  for (const c of plan.contacts) {
    const acc = await account(c.account);
    await repos.saveContact(ws.id, acc.id, {
      name: c.name,
      title: c.title,
      role: c.role,
      email: c.email,
      phone: c.phone,
    });
  }
  for (const d of plan.deals) {
    const acc = await account(d.account);
    const { number } = await repos.nextDealNumber(ws.id);
    const created = await repos.createDeal({
      workspaceId: ws.id,
      number,
      accountId: acc.id,
      title: d.title,
      process: d.process.key,
      stage: d.stage,
      status: d.status,
      amount: d.amount,
      currency: d.currency,
      closeDate: d.closeDate,
      ownerId: d.owner.id,
      stageEnteredAt: now,
      at: now,
    });
    await repos.updateDeal(ws.id, created.id, {
      nextContactOn: d.nextContactOn,
      nextStep: d.nextStep,
      competitors: d.competitors,
      lostReason: d.lostReason,
      closedAt: d.status === 'open' ? null : now,
    });
    await repos.addDealMember(created.id, d.owner.id, 'owner');
    const event: NewEvent = {
      dealId: created.id,
      actorId: null,
      type: 'created',
      at: now,
      data: {
        imported: true,
        after: {
          account: acc.name,
          title: d.title,
          stage: d.stage,
          amount: d.amount,
          currency: d.currency,
          closeDate: d.closeDate,
          process: d.process.key,
        },
      },
    };
    await repos.appendEvents(ws.id, created.id, [event]);
    // Rooms only when asked: a step in the durable outbox per open deal, written with the import.
    // The bot's outbox worker creates them one by one and waits out the platform's rate limits
    // (Retry-After), so a thousand-row import never floods the chat platform.
    if (rooms && d.status === 'open')
      await repos.enqueueSteps([{ workspaceId: ws.id, dealId: created.id, kind: 'room', payload: {} }], now);
  }
}

export interface ImportResult {
  imported: boolean;
  rejections: Rejection[];
  counts: { accounts: number; contacts: number; deals: number };
  /** What to tell the person who ran it, in their language. */
  report: Rich;
}

type ImportOptions = { dryRun: boolean; locale: Locale; now: Date; processes?: readonly Process[]; rooms?: boolean };

/** Checks, then (unless a dry run, and only when nothing is rejected) imports in one transaction. */
export async function importCsv(store: Store, ws: Workspace, files: CsvFiles, o: ImportOptions): Promise<ImportResult> {
  // A real import plans inside its transaction: what it checked is what it writes.
  return o.dryRun
    ? importCsvWith(store.repos, ws, files, o)
    : store.transaction((repos) => importCsvWith(repos, ws, files, o));
}

/** `importCsv` within the caller's transaction (the chat command's `import confirm`). */
export async function importCsvWith(
  repos: Repos,
  ws: Workspace,
  files: CsvFiles,
  o: ImportOptions,
): Promise<ImportResult> {
  const L = o.locale;
  const plan = await planImport(repos, ws, files, L, o.processes);
  if (!plan.rejections.length && !o.dryRun) await writePlan(repos, ws, plan, o.now, o.rooms ?? false);
  const counts = { accounts: plan.accounts.length, contacts: plan.contacts.length, deals: plan.deals.length };
  const lines = plan.rejections.map(
    (x) => r`• ${csvText(L, 'csv.rejected_line', { file: x.file, line: x.line, reason: x.reason })}`,
  );
  const head = plan.rejections.length
    ? csvText(L, o.dryRun ? 'csv.dry_run_rejected' : 'csv.refused', { count: plan.rejections.length })
    : csvText(L, o.dryRun ? 'csv.dry_run_ok' : o.rooms ? 'csv.imported_rooms' : 'csv.imported', counts);
  return {
    imported: !o.dryRun && !plan.rejections.length,
    rejections: plan.rejections,
    counts,
    report: join([head, ...lines], '\n'),
  };
}
