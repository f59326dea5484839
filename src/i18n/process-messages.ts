// Sentences of `/deal process` (an admin's view and change of the workspace's sales processes).
// A process file's own problems (line, field, what) are written by the file checker
// (src/domain/process-file.ts) in English: they quote field names and values of the file itself.
import { type Catalog, cmd, em, r } from './sentence.ts';

const en: Catalog = {
  'new.processes_changed': () =>
    r`The workspace's sales processes changed while this deal was being created; nothing was saved. Please send the command again.`,
  'process_admin.admins_only': () =>
    r`Only a workspace admin can see or change the sales processes. Ask an admin to run ${cmd('process')}.`,
  'process_admin.no_file': (p) =>
    r`There is no process file for ${cmd(r`process ${p.action}`)}: paste it (YAML or JSON) after the command, on the same line or the next, or send the bot a .yaml or .json file in a direct message first (within the last 24 hours). ${cmd('process export')} gives the one in force to start from.`,
  'process_admin.origin_built_in': () => r`These are Dealroom's built-in processes (this workspace loaded none).`,
  'process_admin.origin_config': (p) =>
    r`These come from the server's process file ${em(p.file)} (this workspace loaded none of its own).`,
  'process_admin.origin_loaded': (p) => r`Loaded by ${p.who} on ${p.when} (version ${p.version}, from ${p.source}).`,
  'process_admin.process_line': (p) => r`${em(p.name)} (${p.key})${p.default}: ${p.stages}`,
  'process_admin.default_mark': () => ', the default for new deals',
  'process_admin.show_footer': () =>
    r`Change them: ${cmd('process export')}, edit the file, then ${cmd('process check')} and ${cmd('process load')} with the file pasted after the command.`,
  'process_admin.invalid': (p) =>
    r`That process file is not valid (${p.count} problem(s)); nothing was changed. Fix these and try again:\n${p.issues}`,
  'process_admin.issue': (p) => r`• line ${p.line}, ${p.field}: ${p.message}`,
  'process_admin.orphans': (p) =>
    r`That file would orphan ${p.count} deal(s) whose process or stage it does not have: ${p.deals}. Nothing was changed. Keep those process and stage keys in the file (names may change), or move the deals first (${cmd('set process <key> <from>=<to>')} or ${cmd('stage <stage>')}).`,
  'process_admin.check_ok': (p) =>
    r`The file is valid: ${p.processes}. No deal would be orphaned. Load it with ${cmd('process load')} and the same text.`,
  'process_admin.loaded': (p) =>
    r`Loaded version ${p.version}: ${p.processes}. Every replica uses it from the next command; deals keep their process and stage.`,
  'process_admin.reset': (p) =>
    r`This workspace is back on the default processes (${p.processes}); version ${p.version} records the change.`,
  'process_admin.already_default': (p) =>
    r`This workspace already follows the default processes (${p.processes}); nothing was changed.`,
  'process_admin.export_head': (p) =>
    r`The process file in force (${p.origin}). Copy it, edit it, and load it with ${cmd('process load')} followed by the text:`,
  'process_admin.export_built_in': () => 'built-in',
  'process_admin.export_config': (p) => r`server file ${p.file}`,
  'process_admin.export_loaded': (p) => r`version ${p.version}`,
};

const zh: Catalog = {
  'new.processes_changed': () => r`创建商机时本工作区的销售流程刚被修改，未保存任何内容。请重新发送这条命令。`,
  'process_admin.admins_only': () => r`只有工作区管理员可以查看或修改销售流程。请让管理员运行 ${cmd('process')}。`,
  'process_admin.no_file': (p) =>
    r`没有可供 ${cmd(r`process ${p.action}`)} 使用的流程文件：请把流程文件（YAML 或 JSON）粘贴在命令之后（可另起一行），或先在私信中向机器人发送 .yaml 或 .json 文件（24 小时内）。可先用 ${cmd('process export')} 导出当前流程再修改。`,
  'process_admin.origin_built_in': () => r`这些是 Dealroom 内置的销售流程（本工作区尚未加载自己的流程）。`,
  'process_admin.origin_config': (p) => r`这些来自服务器的流程文件 ${em(p.file)}（本工作区尚未加载自己的流程）。`,
  'process_admin.origin_loaded': (p) => r`由 ${p.who} 于 ${p.when} 加载（版本 ${p.version}，来源：${p.source}）。`,
  'process_admin.process_line': (p) => r`${em(p.name)}（${p.key}）${p.default}：${p.stages}`,
  'process_admin.default_mark': () => '，新商机默认使用',
  'process_admin.show_footer': () =>
    r`如需修改：先 ${cmd('process export')} 导出，编辑文件，再把文件粘贴在 ${cmd('process check')} 和 ${cmd('process load')} 之后。`,
  'process_admin.invalid': (p) =>
    r`流程文件有误（共 ${p.count} 处），未做任何更改。请修改以下问题后重试：\n${p.issues}`,
  'process_admin.issue': (p) => r`• 第 ${p.line} 行，${p.field}：${p.message}`,
  'process_admin.orphans': (p) =>
    r`该文件会使 ${p.count} 个商机失去所在的流程或阶段：${p.deals}。未做任何更改。请在文件中保留这些流程和阶段的键（名称可以修改），或先移动这些商机（${cmd('set process <key> <from>=<to>')} 或 ${cmd('stage <stage>')}）。`,
  'process_admin.check_ok': (p) =>
    r`文件有效：${p.processes}。不会有商机失去所在阶段。用 ${cmd('process load')} 加同样的文本即可加载。`,
  'process_admin.loaded': (p) =>
    r`已加载版本 ${p.version}：${p.processes}。所有实例从下一条命令起使用它；商机保持原有流程和阶段。`,
  'process_admin.reset': (p) => r`本工作区已恢复默认流程（${p.processes}）；版本 ${p.version} 记录了这次更改。`,
  'process_admin.already_default': (p) => r`本工作区已经在使用默认流程（${p.processes}），未做任何更改。`,
  'process_admin.export_head': (p) =>
    r`当前使用的流程文件（${p.origin}）。复制、编辑后，用 ${cmd('process load')} 加上文件内容重新加载：`,
  'process_admin.export_built_in': () => '内置',
  'process_admin.export_config': (p) => r`服务器文件 ${p.file}`,
  'process_admin.export_loaded': (p) => r`版本 ${p.version}`,
};

export const processMessages = { en, zh };
