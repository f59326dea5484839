// CSV export of a workspace's accounts, contacts and deals, in exactly the columns import reads
// (csv.ts), so an export imports back as the same data. csv-stringify quotes what needs quoting.
import { stringify } from 'csv-stringify/sync';
import type { Workspace } from '../domain/model.ts';
import { COLUMNS, type CsvKind } from './csv.ts';
import type { Repos } from './ports.ts';

/** The workspace's accounts, contacts and deals as CSV texts, in the columns import reads. */
export async function exportCsv(repos: Repos, ws: Workspace): Promise<Record<CsvKind, string>> {
  const accounts = await repos.listWorkspaceAccounts(ws.id);
  const contacts = await repos.listWorkspaceContacts(ws.id);
  const deals = await repos.listDeals(ws.id, {});
  const members = new Map((await repos.listMembers(ws.id)).map((m) => [m.id, m]));
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const csv = (kind: CsvKind, rows: (string | number | null)[][]) =>
    stringify([[...COLUMNS[kind]], ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))))]);
  return {
    accounts: csv(
      'accounts',
      accounts.map((a) => [a.name, a.industry, a.region, a.address]),
    ),
    contacts: csv(
      'contacts',
      contacts.map((c) => [
        accountName.get(c.accountId) ?? '',
        c.name,
        c.title,
        c.role?.replace('_', '-') ?? null,
        c.email,
        c.phone,
      ]),
    ),
    deals: csv(
      'deals',
      deals.map((d) => [
        d.number,
        accountName.get(d.accountId) ?? '',
        d.title,
        d.process,
        d.stage,
        d.amount,
        d.currency,
        d.closeDate,
        d.nextContactOn,
        d.nextStep,
        d.competitors.join('; '),
        members.get(d.ownerId)?.name ?? '',
        d.lostReason,
      ]),
    ),
  };
}
