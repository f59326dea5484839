// Sentences of CSV import and export: each rejected row says what is wrong and how to fix it.
// Kept out of the chat catalogs (index.ts) because the CSV commands run outside chat today.
import type { Locale } from '../domain/process.ts';
import { type Catalog, cmd, type Params, partsOf, type Rich, r } from './sentence.ts';

const en: Catalog = {
  'csv.file_unreadable': (p) =>
    r`${p.file} could not be read as CSV at line ${p.line}: ${p.reason}. Save it as CSV (UTF-8) and try again.`,
  'csv.unknown_columns': (p) =>
    r`${p.file} has columns Dealroom does not know: ${p.columns}. The columns are: ${p.expected}.`,
  'csv.missing_columns': (p) => r`${p.file} lacks the column(s) ${p.columns}. The columns are: ${p.expected}.`,
  'csv.required': (p) => r`${p.column} is empty; fill it in.`,
  'csv.too_long': (p) => r`${p.column} is longer than ${p.max} characters; shorten it.`,
  'csv.bad_text': (p) => r`${p.column} contains a control character or a broken character; retype it.`,
  'csv.duplicate_account': (p) => r`account "${p.name}" is already on line ${p.other}; keep one row per account.`,
  'csv.duplicate_contact': (p) =>
    r`contact "${p.name}" of "${p.account}" is already on line ${p.other}; keep one row per contact.`,
  'csv.duplicate_deal': (p) =>
    r`a deal "${p.title}" of "${p.account}" is already on line ${p.other}; keep one row per deal.`,
  'csv.deal_exists': (p) =>
    r`"${p.title}" of "${p.account}" already exists as deal #${p.number}; remove the row (import adds, it does not update deals).`,
  'csv.bad_role': (p) => r`role "${p.value}" is not one of ${p.roles}.`,
  'csv.bad_email': (p) => r`email "${p.value}" is not an email address (name@example.com).`,
  'csv.bad_amount': (p) => r`amount "${p.value}" is not an amount (write 120000, 120000.50 or 120k).`,
  'csv.bad_currency': (p) => r`currency "${p.value}" is not an ISO code such as USD or CNY.`,
  'csv.currency_conflict': (p) =>
    r`amount "${p.amount}" is in ${p.inAmount} but the currency column says ${p.currency}; make them agree.`,
  'csv.bad_date': (p) =>
    r`${p.column} "${p.value}" is not a date; write YYYY-MM-DD (e.g. 2026-12-31), between 1900 and 2200.`,
  'csv.unknown_process': (p) => r`process "${p.value}" is not one of ${p.known}.`,
  'csv.unknown_stage': (p) => r`stage "${p.value}" is not a stage of process ${p.process} (${p.stages}).`,
  'csv.lost_needs_reason': () => r`a lost deal needs lost_reason; fill it in.`,
  'csv.unknown_owner': (p) =>
    r`owner "${p.value}" is not a member of this workspace; they need to use Dealroom (or be mentioned) once first.`,
  'csv.ambiguous_owner': (p) => r`owner "${p.value}" matches ${p.count} members; use their exact chat handle.`,
  'csv.rejected_line': (p) => r`${p.file} line ${p.line}: ${p.reason}`,
  'csv.dry_run_ok': (p) =>
    r`Dry run: ${p.accounts} account(s), ${p.contacts} contact(s) and ${p.deals} deal(s) would be imported; no row is rejected. Nothing was written.`,
  'csv.dry_run_rejected': (p) =>
    r`Dry run: ${p.count} row(s) would be rejected; nothing was written. Fix them and run again:`,
  'csv.refused': (p) =>
    r`Nothing imported: ${p.count} row(s) are rejected (an import is all or nothing). Fix them and run again:`,
  'csv.imported': (p) =>
    r`Imported ${p.accounts} account(s), ${p.contacts} contact(s) and ${p.deals} deal(s). Rooms are not created by an import; ${cmd('room')} in a deal creates its room.`,
  'csv.imported_rooms': (p) =>
    r`Imported ${p.accounts} account(s), ${p.contacts} contact(s) and ${p.deals} deal(s). The bot creates the rooms of the open deals one by one, at the pace the chat platform allows.`,
  'csv.exported': (p) =>
    r`Exported ${p.accounts} account(s), ${p.contacts} contact(s) and ${p.deals} deal(s) to ${p.dir}.`,
};

const zh: Catalog = {
  'csv.file_unreadable': (p) => r`${p.file} 第 ${p.line} 行无法按 CSV 读取：${p.reason}。请另存为 CSV（UTF-8）后重试。`,
  'csv.unknown_columns': (p) => r`${p.file} 含有无法识别的列：${p.columns}。可用的列为：${p.expected}。`,
  'csv.missing_columns': (p) => r`${p.file} 缺少列 ${p.columns}。可用的列为：${p.expected}。`,
  'csv.required': (p) => r`${p.column} 为空，请填写。`,
  'csv.too_long': (p) => r`${p.column} 超过 ${p.max} 个字符，请缩短。`,
  'csv.bad_text': (p) => r`${p.column} 含有控制字符或损坏的字符，请重新输入。`,
  'csv.duplicate_account': (p) => r`客户「${p.name}」已在第 ${p.other} 行出现；每个客户只保留一行。`,
  'csv.duplicate_contact': (p) =>
    r`「${p.account}」的联系人「${p.name}」已在第 ${p.other} 行出现；每个联系人只保留一行。`,
  'csv.duplicate_deal': (p) => r`「${p.account}」的商机「${p.title}」已在第 ${p.other} 行出现；每个商机只保留一行。`,
  'csv.deal_exists': (p) =>
    r`「${p.account}」的「${p.title}」已存在，为商机 #${p.number}；请删除该行（导入只新增，不更新商机）。`,
  'csv.bad_role': (p) => r`角色「${p.value}」不在 ${p.roles} 之中。`,
  'csv.bad_email': (p) => r`邮箱「${p.value}」不是有效的邮箱地址（name@example.com）。`,
  'csv.bad_amount': (p) => r`金额「${p.value}」无法识别（可写 120000、120000.50 或 12万）。`,
  'csv.bad_currency': (p) => r`币种「${p.value}」不是 ISO 代码，例如 USD 或 CNY。`,
  'csv.currency_conflict': (p) =>
    r`金额「${p.amount}」的币种是 ${p.inAmount}，但币种列写的是 ${p.currency}；请保持一致。`,
  'csv.bad_date': (p) =>
    r`${p.column}「${p.value}」不是日期；请写成 YYYY-MM-DD（如 2026-12-31），范围 1900 至 2200 年。`,
  'csv.unknown_process': (p) => r`流程「${p.value}」不在 ${p.known} 之中。`,
  'csv.unknown_stage': (p) => r`阶段「${p.value}」不属于流程 ${p.process}（${p.stages}）。`,
  'csv.lost_needs_reason': () => r`输单需要填写 lost_reason。`,
  'csv.unknown_owner': (p) => r`负责人「${p.value}」不是本工作区成员；请先让其使用一次 Dealroom（或被提及一次）。`,
  'csv.ambiguous_owner': (p) => r`负责人「${p.value}」匹配到 ${p.count} 位成员；请使用其准确的聊天账号名。`,
  'csv.rejected_line': (p) => r`${p.file} 第 ${p.line} 行：${p.reason}`,
  'csv.dry_run_ok': (p) =>
    r`试运行：将导入 ${p.accounts} 个客户、${p.contacts} 个联系人、${p.deals} 个商机；没有被拒绝的行。未写入任何数据。`,
  'csv.dry_run_rejected': (p) => r`试运行：有 ${p.count} 行将被拒绝；未写入任何数据。请修正后再试：`,
  'csv.refused': (p) => r`未导入任何数据：有 ${p.count} 行被拒绝（导入要么全部成功，要么什么都不写）。请修正后再试：`,
  'csv.imported': (p) =>
    r`已导入 ${p.accounts} 个客户、${p.contacts} 个联系人、${p.deals} 个商机。导入不会创建商机群；在商机中执行 ${cmd('room')} 即可创建。`,
  'csv.imported_rooms': (p) =>
    r`已导入 ${p.accounts} 个客户、${p.contacts} 个联系人、${p.deals} 个商机。机器人会按聊天平台允许的速度，逐个为进行中的商机创建商机群。`,
  'csv.exported': (p) => r`已导出 ${p.accounts} 个客户、${p.contacts} 个联系人、${p.deals} 个商机到 ${p.dir}。`,
};

export const csvMessages = { en, zh };

export function csvText(locale: Locale, key: string, params: Params = {}): Rich {
  const fn = csvMessages[locale][key] ?? en[key];
  return fn ? partsOf(fn(params)) : [key];
}
