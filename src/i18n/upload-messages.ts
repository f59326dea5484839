// Sentences about files sent to the bot (src/app/use-cases/uploads.ts) and `import confirm`.
import { type Catalog, cmd, r } from './sentence.ts';

const en: Catalog = {
  'upload.kind_csv': () => r`CSV file`,
  'upload.kind_process': () => r`process file`,
  'upload.admin_only': () =>
    r`Only an admin can send the bot files to import or load. Nothing was read or stored; ask an admin of this workspace.`,
  'upload.one_file': (p) =>
    r`You sent ${p.count} files at once; send one file per message (a CSV or a process file) so each gets its own report.`,
  'upload.wrong_type': (p) =>
    r`“${p.name}” is not a file I can read. Send a .csv file (accounts, contacts or deals) to import, or a .yaml, .yml or .json process file.`,
  'upload.too_big': (p) =>
    r`“${p.name}” is larger than ${p.max} (the limit for a ${p.kind}). Split it into smaller files and send them one by one.`,
  'upload.not_utf8': (p) =>
    r`“${p.name}” is not UTF-8 text. Save it as UTF-8 (in Excel: “CSV UTF-8”) and send it again.`,
  'upload.download_failed': (p) =>
    r`I could not download “${p.name}”: ${p.reason}. Nothing was stored; send it again, or ask an admin to check the app's permissions.`,
  'upload.download_refused': () =>
    r`the chat platform refused the bot's access to the file (check the files:read permission of the app and reinstall it)`,
  'upload.download_other': (p) => r`the chat platform answered ${p.code}`,
  'upload.csv_kind_unknown': (p) =>
    r`I cannot tell whether “${p.name}” holds accounts, contacts or deals. Name it accounts.csv, contacts.csv or deals.csv (or give it those files' columns) and send it again.`,
  'upload.csv_dry_run': (p) => r`${p.report}\nThis was a dry run of “${p.name}” (${p.kind}).`,
  'upload.csv_confirm': () =>
    r`To import it, send ${cmd('import confirm')} within 24 hours; ${cmd('import confirm rooms')} also creates the rooms of the open deals.`,
  'upload.csv_fix': () =>
    r`Fix the rows above and send the file again; only a file without rejected rows can be imported.`,
  'upload.process_valid': (p) =>
    r`“${p.name}” is a valid process file: processes ${p.processes}. ${cmd('process load')} without text puts it in force.`,
  'upload.process_invalid': (p) =>
    r`“${p.name}” is not a valid process file; fix these and send it again:\n${p.issues}`,
  'upload.process_issue': (p) => r`• line ${p.line}, ${p.field}: ${p.message}`,
  'upload.no_csv': () =>
    r`There is no CSV file to import: send the bot a .csv file in a direct message first (within the last 24 hours), read its dry run, then ${cmd('import confirm')}.`,
  'upload.import_refused': (p) => r`${p.report}\nNothing was imported from “${p.name}”.`,
  'upload.imported': (p) => r`${p.report} (from “${p.name}”)`,
};

const zh: Catalog = {
  'upload.kind_csv': () => r`CSV 文件`,
  'upload.kind_process': () => r`流程文件`,
  'upload.admin_only': () =>
    r`只有管理员可以向机器人发送用于导入或加载的文件。未读取或保存任何内容；请联系本工作区的管理员。`,
  'upload.one_file': (p) =>
    r`你一次发送了 ${p.count} 个文件；请每条消息只发送一个文件（CSV 或流程文件），以便分别给出报告。`,
  'upload.wrong_type': (p) =>
    r`无法读取「${p.name}」。导入请发送 .csv 文件（客户、联系人或商机），流程文件请发送 .yaml、.yml 或 .json 文件。`,
  'upload.too_big': (p) => r`「${p.name}」超过 ${p.max}（${p.kind}的上限）。请拆分为较小的文件后逐个发送。`,
  'upload.not_utf8': (p) => r`「${p.name}」不是 UTF-8 文本。请另存为 UTF-8（Excel 中选择“CSV UTF-8”）后重新发送。`,
  'upload.download_failed': (p) =>
    r`无法下载「${p.name}」：${p.reason}。未保存任何内容；请重新发送，或请管理员检查应用权限。`,
  'upload.download_refused': () => r`聊天平台拒绝了机器人对该文件的访问（请检查应用的文件读取权限并重新安装）`,
  'upload.download_other': (p) => r`聊天平台返回 ${p.code}`,
  'upload.csv_kind_unknown': (p) =>
    r`无法判断「${p.name}」是客户、联系人还是商机。请将其命名为 accounts.csv、contacts.csv 或 deals.csv（或使用这些文件的列）后重新发送。`,
  'upload.csv_dry_run': (p) => r`${p.report}\n以上是「${p.name}」（${p.kind}）的试运行结果。`,
  'upload.csv_confirm': () =>
    r`如需导入，请在 24 小时内发送 ${cmd('导入 确认')}；发送 ${cmd('导入 确认 建群')} 将同时为进行中的商机创建商机群。`,
  'upload.csv_fix': () => r`请修正以上各行后重新发送文件；只有没有被拒绝行的文件才能导入。`,
  'upload.process_valid': (p) =>
    r`「${p.name}」是有效的流程文件：包含流程 ${p.processes}。发送不带内容的 ${cmd('process load')} 即可使其生效。`,
  'upload.process_invalid': (p) => r`「${p.name}」不是有效的流程文件；请修正以下问题后重新发送：\n${p.issues}`,
  'upload.process_issue': (p) => r`• 第 ${p.line} 行，${p.field}：${p.message}`,
  'upload.no_csv': () =>
    r`没有可导入的 CSV 文件：请先在私信中向机器人发送 .csv 文件（24 小时内），查看试运行结果后再发送 ${cmd('导入 确认')}。`,
  'upload.import_refused': (p) => r`${p.report}\n「${p.name}」中的数据均未导入。`,
  'upload.imported': (p) => r`${p.report}（来自「${p.name}」）`,
};

export const uploadMessages = { en, zh };
