// The command vocabulary: one-line syntax and one-sentence description per command (shown by
// `/deal help` and attached to every parse error), and the words that name each command.
import { closestTypo } from '../domain/fuzzy.ts';
import { table } from './table.ts';
import type { CommandName } from './types.ts';

export const USAGE: Record<CommandName, string> = {
  new: '/deal new <account> | <title> [amount:<amount>] [close:<date>] [process:<process>] [@user …]',
  stage: '/deal stage <stage> [override:<reason>]',
  set: '/deal set <field> <value> | set owner <@user>',
  contact: '/deal contact <name> [role:<role>] [title:<title>] [email:<email>] [phone:<phone>]',
  log: '/deal log <note> [next:<date>]',
  outcome: '/deal outcome <outcome> [<date>] [by:<who confirmed it>]',
  action: '/deal action <@user> <text> [due:<date>]',
  done: '/deal done <action number>',
  undo: '/deal undo <action number>',
  edit: '/deal edit <action number> [new text] [due:<date>]',
  reassign: '/deal reassign <action number> <@user>',
  cancel: '/deal cancel <action number>',
  remove: '/deal remove <@user> [<@user> …]',
  invite: '/deal invite <@user> [<@user> …] [as:<role>]',
  won: '/deal won [note]',
  lost: '/deal lost <reason>',
  reopen: '/deal reopen',
  room: '/deal room',
  info: '/deal info',
  history: '/deal history [page]',
  actions: '/deal actions [mine]',
  list: '/deal list [mine] [won|lost|closed|all] [@owner] [stage:<stage>] [account:<name>]',
  find: '/deal find <text>',
  pipeline: '/deal pipeline',
  mine: '/deal mine',
  team: '/deal team [<@manager> <@rep> …]',
  help: '/deal help [command | stages]',
  lang: '/deal lang [zh|en|auto]',
  import: '/deal import confirm [rooms]',
  digest: '/deal digest [@rep] | digest time <HH:MM> [team] | digest weekends on|off | digest nudges on|off',
  process: '/deal process [show] | process check <file> | process load <file> | process export | process reset',
};

export const HELP: { en: Record<CommandName, string>; zh: Record<CommandName, string> } = {
  en: {
    new: 'Open a new deal room for an account, optionally with amount, close date and teammates.',
    stage: 'Move the deal to another stage; add override: with a reason to skip missing requirements.',
    set: 'Change one field of the deal: amount, currency, close, next-contact, next-step, competitor(s), title, account, industry, region, address or owner (set owner @jane).',
    contact: 'Add or update a contact on the deal, with their role, title, email and phone.',
    log: 'Record what happened (a call, a meeting, an email), optionally with the next contact date.',
    outcome:
      'Record a customer-confirmed outcome a stage requires (e.g. proposal-accepted), its date and who confirmed it.',
    action: 'Give a teammate a to-do on this deal, optionally with a due date.',
    done: 'Mark an action as done by its number.',
    undo: 'Reopen an action that was marked done (or cancelled) by mistake.',
    edit: "Correct an action's text or due date; the change is kept in history.",
    reassign: 'Give an action to someone else; they join the room if they are not in it.',
    cancel: 'Cancel an action that no longer applies: hidden from open lists, kept in history.',
    remove: "Take people out of the deal's room (not the owner: set owner first).",
    invite: 'Invite teammates into the deal room, optionally with a role.',
    won: 'Close the deal as won, with an optional note.',
    lost: 'Close the deal as lost and say why.',
    reopen: 'Reopen a deal that was closed as won or lost.',
    room: "Recreate the deal's room if it is missing, or complete it: invite everyone, post and pin the card.",
    info: 'Show the deal card: stage, amount, dates, contacts and what is missing.',
    history:
      'Show everything that happened on the deal, newest first, 20 changes a page (history 2 shows the next page).',
    actions: 'List the open actions on the deal, or only yours with "mine".',
    list: "List open deals with their owner; or won, lost, closed or all deals; only yours, one person's (@bob), one stage or one account.",
    find: 'Search the deals you can see by account, title or contact name.',
    pipeline: 'Show the pipeline: deals and amounts per stage.',
    mine: 'Show your deals and your open actions.',
    team: 'Show your team, or set a manager and their reps.',
    help: 'Show all commands, the details of one command with examples, or the sales process (help stages).',
    lang: 'Choose the language Dealroom speaks to you: zh (Chinese), en (English), or auto (your chat profile’s).',
    import:
      "Import the CSV file you last sent the bot in a direct message (sending it gives you the dry run first); add rooms to also create the open deals' rooms. Admins only.",
    digest: "See your manager digest now (or a rep's morning nudge), or set when and whether digests arrive.",
    process:
      "Admins: show this workspace's sales processes and where they come from, check or load a process file (pasted after the command, YAML or JSON), export the one in force to edit it, or reset to the default.",
  },
  zh: {
    new: '为客户新建一个商机房间，可同时填写金额、预计成交日期和同事。',
    stage: '把商机推进到另一个阶段；缺少必填项时可用 override: 写明原因强制推进。',
    set: '修改商机的某个字段：金额、币种、成交日期、下次联系、下一步、竞争对手、标题、客户、行业、区域、地址或负责人（设置 负责人 @小李）。',
    contact: '添加或更新商机联系人，可填写角色、职位、邮箱和电话。',
    log: '记录一次跟进（电话、会议、邮件），可同时写下次联系日期。',
    outcome: '记录阶段要求的、经客户确认的结果（如 proposal-accepted），以及日期和确认人。',
    action: '给同事分配一个本商机的待办，可设置截止日期。',
    done: '按编号把一个待办标记为完成。',
    undo: '把误标为完成（或误取消）的待办恢复为未完成。',
    edit: '修改待办的内容或截止日期，修改记录保留在历史中。',
    reassign: '把待办转给另一位同事；对方不在房间时会被邀请进来。',
    cancel: '取消不再需要的待办：不再出现在未完成列表中，但保留在历史里。',
    remove: '把同事移出商机房间（负责人除外：请先 set owner 更换负责人）。',
    invite: '邀请同事进入商机房间，可指定角色。',
    won: '将商机标记为赢单，可附一句备注。',
    lost: '将商机标记为输单，并写明原因。',
    reopen: '重新打开已赢单或输单的商机。',
    room: '商机房间缺失时重建，否则补全：邀请所有成员，发布并置顶商机卡片。',
    info: '查看商机卡片：阶段、金额、日期、联系人以及还缺什么。',
    history: '查看商机的全部历史记录，最新的在前，每页 20 条（history 2 显示下一页）。',
    actions: '列出本商机未完成的待办；加 mine 只看自己的。',
    list: '列出进行中的商机及其负责人；也可列出赢单、输单、已关闭或全部商机；可只看自己的、某人的（@小李）、某个阶段或某个客户的。',
    find: '在你能看到的商机中按客户、标题或联系人姓名搜索。',
    pipeline: '查看销售漏斗：各阶段的商机数和金额。',
    mine: '查看我的商机和我的待办。',
    team: '查看团队，或设置一位经理及其下属销售。',
    help: '查看全部命令、某个命令的详细说明和示例，或销售流程（帮助 阶段）。',
    lang: '选择 Dealroom 对你使用的语言：zh（中文）、en（英文）或 auto（跟随聊天软件的设置）。',
    import:
      '导入你最近私信发给机器人的 CSV 文件（发送文件后会先收到试运行报告）；加 rooms 则同时为进行中的商机创建商机群。仅管理员可用。',
    digest: '立即查看经理摘要（或某位销售的晨间提醒），或设置摘要的时间与开关。',
    process:
      '管理员：查看本工作区的销售流程及其来源，检查或加载流程文件（粘贴在命令后，YAML 或 JSON），导出当前流程以便修改，或恢复默认流程。',
  },
};

/** Other words for each verb: Chinese names and a few English habits. Keys are lower-case. */
export const VERB_ALIASES = table<CommandName>({
  新建: 'new',
  新: 'new',
  创建: 'new',
  create: 'new',
  阶段: 'stage',
  推进: 'stage',
  设置: 'set',
  修改: 'set',
  联系人: 'contact',
  记录: 'log',
  跟进: 'log',
  note: 'log',
  行动: 'action',
  任务: 'action',
  task: 'action',
  todo: 'action',
  完成: 'done',
  撤销: 'undo',
  编辑: 'edit',
  改待办: 'edit',
  转派: 'reassign',
  改派: 'reassign',
  取消: 'cancel',
  移除: 'remove',
  移出: 'remove',
  kick: 'remove',
  邀请: 'invite',
  赢单: 'won',
  win: 'won',
  输单: 'lost',
  lose: 'lost',
  重开: 'reopen',
  房间: 'room',
  详情: 'info',
  信息: 'info',
  show: 'info',
  历史: 'history',
  待办: 'actions',
  todos: 'actions',
  tasks: 'actions',
  摘要: 'digest',
  日报: 'digest',
  列表: 'list',
  查找: 'find',
  搜索: 'find',
  search: 'find',
  ls: 'list',
  漏斗: 'pipeline',
  我的: 'mine',
  团队: 'team',
  帮助: 'help',
  语言: 'lang',
  language: 'lang',
  导入: 'import',
  流程: 'process',
  '?': 'help',
  '？': 'help',
});

const VERBS = Object.keys(USAGE) as CommandName[];

/** Chinese is often typed without a space after the verb (`记录客户来电`). Only multi-character
 * aliases may be split off, longest first, so a lone `新` never eats the start of a word. */
export const GLUED_VERBS = [...VERB_ALIASES.keys()]
  .filter((a) => /^[\u4e00-\u9fff]{2,}$/.test(a))
  .sort((a, b) => b.length - a.length);

/** A command name or alias (any case) as the command it names. */
export function resolveVerb(word: string): CommandName | undefined {
  const w = word.toLowerCase();
  return (VERBS as string[]).includes(w) ? (w as CommandName) : VERB_ALIASES.get(w);
}

/** The closest verb or alias to a typo (see closestTypo: `nwe` → new, `stge` → stage), else `help`. */
export function suggestVerb(word: string): CommandName {
  const near = closestTypo(word, [...VERBS, ...VERB_ALIASES.keys()]);
  return near ? resolveVerb(near)! : 'help';
}
