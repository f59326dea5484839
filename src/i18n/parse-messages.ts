// What the user reads when a command can't be read (keys come from src/commands/parse.ts).
// Each sentence says what was wrong and how to fix it, then repeats the command's usage line.
import { type Catalog, cmd, type Params, r } from './sentence.ts';

const usageEn = (p: Params) => (p.usage ? r`\nUsage: ${cmd(p.usage)}` : '');
const usageZh = (p: Params) => (p.usage ? r`\n用法：${cmd(p.usage)}` : '');
const DATE_EXAMPLES_EN = 'Try 2026-12-31, 12/31, tomorrow, friday, next friday, +3d or 明天';
const DATE_EXAMPLES_ZH = '可以写 2026-12-31、12月31日、明天、周五、下周五、3天后 或 +3d';
const AMOUNT_EXAMPLES = '120000, 120k, 1.2m, $120k, 120k EUR, 12万';

export const parseMessages: { en: Catalog; zh: Catalog } = {
  en: {
    'parse.unknown_verb': (p) =>
      p.suggestion && p.suggestion !== 'help'
        ? r`I don't know the command “${p.verb}”. Did you mean “${p.suggestion}”?${usageEn(p)}`
        : r`I don't know the command “${p.verb}”. Type ${cmd('help')} to see all commands.${usageEn(p)}`,
    'parse.deal_not_allowed': (p) =>
      r`${cmd(r`${p.command}`)} doesn't work on a single deal, so leave out the #number.${usageEn(p)}`,
    'parse.duplicate_deal': (p) =>
      r`Give the deal number (#n) only once, right before or after the command.${usageEn(p)}`,
    'parse.bad_deal_number': (p) => r`“${p.text}” isn't a deal number. Deal numbers start at #1.${usageEn(p)}`,
    'parse.new_format': (p) =>
      r`Write the account and the deal title separated by “|”, e.g. ${cmd('new Acme | Data platform renewal')}.${usageEn(p)}`,
    'parse.missing_stage': (p) => r`Which stage? Add the stage name, e.g. ${cmd('stage proposal')}.${usageEn(p)}`,
    'parse.missing_field': (p) => r`Which field should I change? Fields: ${p.fields}.${usageEn(p)}`,
    'parse.unknown_field': (p) =>
      p.suggestion
        ? r`“${p.field}” isn't a field I can set. Did you mean ${p.suggestion}? Fields: ${p.fields}.${usageEn(p)}`
        : r`“${p.field}” isn't a field I can set. Fields: ${p.fields}.${usageEn(p)}`,
    'parse.unknown_option': (p) =>
      p.suggestion
        ? r`“${p.key}” isn't an option of ${cmd(r`${p.command}`)}. Did you mean ${p.suggestion}? Nothing was saved.${usageEn(p)}`
        : r`“${p.key}” isn't an option of ${cmd(r`${p.command}`)} (options: ${p.options}). Nothing was saved. To keep a colon in the title, put the title in quotes: ${cmd('new Acme | "Phase:2 rollout"')}.${usageEn(p)}`,
    'parse.missing_value': (p) => r`What should ${p.field} be? Add the new value after the field name.${usageEn(p)}`,
    'parse.bad_mapping': (p) =>
      r`“${p.text}” is not a stage mapping. Write old=new, e.g. ${cmd('set process transactional proposal=quote')}.${usageEn(p)}`,
    'parse.bad_date': (p) => r`I couldn't read “${p.text}” as a date for ${p.field}. ${DATE_EXAMPLES_EN}.${usageEn(p)}`,
    'parse.bad_amount': (p) =>
      r`I couldn't read “${p.text}” as an amount for ${p.field}. Try ${AMOUNT_EXAMPLES} (no negatives, at most 2 decimals).${usageEn(p)}`,
    'parse.bad_currency': (p) =>
      r`“${p.text}” isn't a currency I know. Use a 3-letter code such as USD, EUR, GBP or CNY.${usageEn(p)}`,
    'parse.missing_contact': (p) =>
      r`Whose details are these? Start with the contact's name, e.g. ${cmd('contact Jane Doe role:champion')}.${usageEn(p)}`,
    'parse.bad_role': (p) =>
      r`“${p.role}” isn't a contact role. Roles: ${p.roles} (dm works for decision_maker).${usageEn(p)}`,
    'parse.bad_email': (p) =>
      r`“${p.text}” doesn't look like an email address. Write it like jane@acme.com.${usageEn(p)}`,
    'parse.missing_outcome': (p) =>
      r`Which outcome? Name it, e.g. ${cmd('outcome proposal-accepted 2026-12-02 by:"Jane Doe"')}.${usageEn(p)}`,
    'parse.missing_note': (p) =>
      r`What happened? Add a short note, e.g. ${cmd('log Call with CFO, budget confirmed next:friday')}.${usageEn(p)}`,
    'parse.missing_mention': (p) => r`Mention who this is for with @, e.g. @jane.${usageEn(p)}`,
    'parse.missing_text': (p) => r`What should they do? Add the action after the @mention.${usageEn(p)}`,
    'parse.bad_action_number': (p) =>
      p.text
        ? r`“${p.text}” isn't an action number. Write the number from the action list, e.g. 2 (#n picks the deal, not the action).${usageEn(p)}`
        : r`Which action? Add its number from the action list, e.g. 2 (#n picks the deal, not the action).${usageEn(p)}`,
    'parse.bad_import': (p) =>
      r`Send the bot a CSV file in a direct message first; its dry run tells you what would be imported. Then write ${cmd('import confirm')} (or ${cmd('import confirm rooms')} to also create the rooms).${usageEn(p)}`,
    'parse.bad_language': (p) =>
      r`“${p.text}” isn't a language I speak. Write ${cmd('lang zh')} for Chinese, ${cmd('lang en')} for English, or ${cmd('lang auto')} to follow your chat profile.${usageEn(p)}`,
    'parse.missing_query': (p) =>
      r`What should I look for? Add part of an account, title or contact name, e.g. ${cmd('find Acme')}.${usageEn(p)}`,
    'parse.bad_page': (p) =>
      r`“${p.text}” isn't a page number. Write the page as a number, e.g. ${cmd('history 2')} for the next older changes.${usageEn(p)}`,
    'parse.missing_reason': (p) =>
      r`Why was the deal lost? Add a short reason, e.g. ${cmd('lost price too high')}.${usageEn(p)}`,
    'parse.unexpected_text': (p) => r`I didn't expect “${p.text}” here. Remove it and try again.${usageEn(p)}`,
    'parse.team_needs_reps': (p) =>
      r`Mention the manager first, then at least one rep, e.g. ${cmd('team @maria @jon @li')}.${usageEn(p)}`,
    'parse.bad_process_action': (p) =>
      r`“${p.text}” isn't a process command. Use ${cmd('process')} (show), ${cmd('process check <file>')}, ${cmd('process load <file>')}, ${cmd('process export')} or ${cmd('process reset')}.${usageEn(p)}`,
    'parse.bad_digest': (p) =>
      r`I couldn't read that digest setting. Examples: ${cmd('digest')}, ${cmd('digest @bob')}, ${cmd('digest time 07:45')}, ${cmd('digest weekends off')}.${usageEn(p)}`,
    'parse.bad_time': (p) =>
      r`“${p.text}” isn't a time of day. Write hours 00–23 and minutes 00–59, e.g. ${cmd('digest time 07:45')}.${usageEn(p)}`,
    'parse.duplicate_option': (p) => r`${p.key} is given twice. Keep just one.${usageEn(p)}`,
    'parse.empty_option': (p) =>
      r`${p.key} has no value. Write the value right after the colon (no space).${usageEn(p)}`,
    'parse.invalid': (p) => r`Something in ${p.field} isn't right. Check it against the usage below.${usageEn(p)}`,
    'parse.too_long': (p) =>
      r`${p.field} is too long: ${p.length} characters, and the limit is ${p.max}. Shorten it and send it again.${usageEn(p)}`,
    'parse.too_many_mentions': (p) =>
      r`That names ${p.count} people; one command can name at most ${p.max}. Split it into several commands.${usageEn(p)}`,
    'parse.date_out_of_range': (p) =>
      r`${p.field} “${p.text}” is outside the years ${p.min}–${p.max}. Check the year and write a date like 2026-12-31.${usageEn(p)}`,
    'parse.input_too_long': (p) =>
      r`That command is ${p.length} characters long; the limit is ${p.max}. Shorten it, or split a long note into several ${cmd('log')} commands.`,
    'parse.bad_characters': () =>
      'Your text contains a character I cannot store (a NUL or a broken emoji half). Remove it, or retype that part, and send it again.',
    'help.limits': (p) =>
      r`Limits (characters): account and title ${p.title}, stage ${p.stage}, override reason ${p.override}, other fields ${p.field}, contact name ${p.contact}, note ${p.note}, action ${p.action}, won/lost reason ${p.reason}, whole command ${p.input}; at most ${p.mentions} people per command; dates in ${p.min}–${p.max}.`,
    'parse.warn.past_date': (p) => r`Note: ${p.date} is already in the past. I saved it anyway.`,
  },
  zh: {
    'parse.unknown_verb': (p) =>
      p.suggestion && p.suggestion !== 'help'
        ? r`没有“${p.verb}”这个命令。你是想用“${p.suggestion}”吗？${usageZh(p)}`
        : r`没有“${p.verb}”这个命令。输入 ${cmd('help')}（或 ${cmd('帮助')}）查看全部命令。${usageZh(p)}`,
    'parse.deal_not_allowed': (p) => r`${cmd(r`${p.command}`)} 不针对单个商机，请去掉 #编号。${usageZh(p)}`,
    'parse.duplicate_deal': (p) => r`商机编号（#n）只需写一次，放在命令前面或紧跟在命令后面。${usageZh(p)}`,
    'parse.bad_deal_number': (p) => r`“${p.text}”不是有效的商机编号，编号从 #1 开始。${usageZh(p)}`,
    'parse.new_format': (p) =>
      r`请用“|”分隔客户名称和商机标题，例如：${cmd('new 阿里巴巴 | 数据平台续约')}。${usageZh(p)}`,
    'parse.missing_stage': (p) => r`要推进到哪个阶段？请写上阶段名称，例如：${cmd('stage 方案报价')}。${usageZh(p)}`,
    'parse.missing_field': (p) => r`要修改哪个字段？可选字段：${p.fields}。${usageZh(p)}`,
    'parse.unknown_field': (p) =>
      p.suggestion
        ? r`无法设置“${p.field}”。你是想设置 ${p.suggestion} 吗？可选字段：${p.fields}。${usageZh(p)}`
        : r`无法设置“${p.field}”。可选字段：${p.fields}。${usageZh(p)}`,
    'parse.unknown_option': (p) =>
      p.suggestion
        ? r`${cmd(r`${p.command}`)} 没有“${p.key}”这个选项。你是想写 ${p.suggestion} 吗？未保存任何内容。${usageZh(p)}`
        : r`${cmd(r`${p.command}`)} 没有“${p.key}”这个选项（可用：金额:、成交:，或 ${p.options}）。未保存任何内容。如果标题里要有冒号，请给标题加引号：${cmd('new 华为 | "一期:迁移"')}。${usageZh(p)}`,
    'parse.missing_value': (p) => r`${p.field} 要改成什么？请在字段名后写上新的值。${usageZh(p)}`,
    'parse.bad_mapping': (p) =>
      r`“${p.text}”不是阶段映射。请写成 旧阶段=新阶段，例如 ${cmd('set process transactional proposal=quote')}。${usageZh(p)}`,
    'parse.bad_date': (p) => r`看不懂 ${p.field} 的日期“${p.text}”。${DATE_EXAMPLES_ZH}。${usageZh(p)}`,
    'parse.bad_amount': (p) =>
      r`看不懂 ${p.field} 的金额“${p.text}”。可以写 ${AMOUNT_EXAMPLES}（不能为负数，最多两位小数）。${usageZh(p)}`,
    'parse.bad_currency': (p) => r`不认识币种“${p.text}”。请用三位字母代码，例如 CNY、USD、EUR。${usageZh(p)}`,
    'parse.missing_contact': (p) =>
      r`这是谁的信息？请先写联系人姓名，例如：${cmd('contact 张三 角色:决策者')}。${usageZh(p)}`,
    'parse.bad_role': (p) =>
      r`“${p.role}”不是联系人角色。可选：决策者、支持者、影响者、使用者、采购、反对者（或 ${p.roles}）。${usageZh(p)}`,
    'parse.bad_email': (p) => r`“${p.text}”不像邮箱地址，请写成 zhangsan@example.com 这样的格式。${usageZh(p)}`,
    'parse.missing_outcome': (p) =>
      r`记录哪个结果？例如：${cmd('outcome proposal-accepted 2026-12-02 by:"Jane Doe"')}。${usageZh(p)}`,
    'parse.missing_note': (p) =>
      r`发生了什么？请写一句记录，例如：${cmd('log 和财务总监通话，预算已确认 下次:周五')}。${usageZh(p)}`,
    'parse.missing_mention': (p) => r`请用 @ 指定同事，例如 @张三。${usageZh(p)}`,
    'parse.missing_text': (p) => r`要做什么？请在 @同事 后面写上待办内容。${usageZh(p)}`,
    'parse.bad_action_number': (p) =>
      p.text
        ? r`“${p.text}”不是待办编号。请写待办列表里的数字，例如 2（#n 表示商机编号，不是待办编号）。${usageZh(p)}`
        : r`是哪个待办？请写上待办列表里的编号，例如 2（#n 表示商机编号，不是待办编号）。${usageZh(p)}`,
    'parse.bad_import': (p) =>
      r`请先在私信中向机器人发送 CSV 文件，试运行结果会告诉你将导入哪些数据；然后发送 ${cmd('导入 确认')}（或 ${cmd('导入 确认 建群')} 同时创建商机群）。${usageZh(p)}`,
    'parse.bad_language': (p) =>
      r`不支持“${p.text}”这种语言。中文请写 ${cmd('语言 zh')}，英文请写 ${cmd('语言 en')}，跟随聊天软件设置请写 ${cmd('语言 auto')}。${usageZh(p)}`,
    'parse.missing_query': (p) =>
      r`要查找什么？请写上客户、标题或联系人姓名的一部分，例如：${cmd('查找 华为')}。${usageZh(p)}`,
    'parse.bad_page': (p) => r`“${p.text}”不是页码。请写数字，例如 ${cmd('历史 2')} 查看更早的变更。${usageZh(p)}`,
    'parse.missing_reason': (p) => r`为什么输单？请写一句原因，例如：${cmd('lost 价格太高')}。${usageZh(p)}`,
    'parse.unexpected_text': (p) => r`这里不需要“${p.text}”，请去掉后再试。${usageZh(p)}`,
    'parse.team_needs_reps': (p) =>
      r`请先 @ 经理，再 @ 至少一位销售，例如：${cmd('team @王经理 @小李 @小张')}。${usageZh(p)}`,
    'parse.bad_process_action': (p) =>
      r`“${p.text}” 不是流程命令。可用：${cmd('process')}（查看）、${cmd('process check <文件>')}、${cmd('process load <文件>')}、${cmd('process export')}、${cmd('process reset')}。${usageZh(p)}`,
    'parse.bad_digest': (p) =>
      r`无法识别这个摘要设置。例如：${cmd('digest')}、${cmd('digest @小李')}、${cmd('digest time 07:45')}、${cmd('digest weekends off')}。${usageZh(p)}`,
    'parse.bad_time': (p) =>
      r`“${p.text}”不是有效的时间。小时写 00–23，分钟写 00–59，例如：${cmd('摘要 时间 07:45')}。${usageZh(p)}`,
    'parse.duplicate_option': (p) => r`${p.key} 写了两次，请只保留一个。${usageZh(p)}`,
    'parse.empty_option': (p) => r`${p.key} 后面没有内容，请把值紧跟在冒号后面。${usageZh(p)}`,
    'parse.invalid': (p) => r`${p.field} 的内容不正确，请对照下面的用法检查后再试。${usageZh(p)}`,
    'parse.too_long': (p) =>
      r`${p.field} 太长了：共 ${p.length} 个字符，上限是 ${p.max}。请缩短后再发送。${usageZh(p)}`,
    'parse.too_many_mentions': (p) =>
      r`这条命令提到了 ${p.count} 个人，一条命令最多 ${p.max} 个。请分成几条命令发送。${usageZh(p)}`,
    'parse.date_out_of_range': (p) =>
      r`${p.field} 的日期“${p.text}”不在 ${p.min}–${p.max} 年之间。请检查年份，写成 2026-12-31 这样的日期。${usageZh(p)}`,
    'parse.input_too_long': (p) =>
      r`这条命令有 ${p.length} 个字符，上限是 ${p.max}。请缩短，或把长记录分成几条 ${cmd('log')} 发送。`,
    'parse.bad_characters': () => '内容里有无法保存的字符（NUL 或残缺的表情符号）。请删掉或重新输入那一部分后再发送。',
    'help.limits': (p) =>
      r`长度上限（字符）：客户和标题 ${p.title}，阶段 ${p.stage}，强制推进原因 ${p.override}，其他字段 ${p.field}，联系人姓名 ${p.contact}，跟进记录 ${p.note}，待办 ${p.action}，赢单/输单原因 ${p.reason}，整条命令 ${p.input}；每条命令最多提到 ${p.mentions} 人；日期须在 ${p.min}–${p.max} 年之间。`,
    'parse.warn.past_date': (p) => r`提示：${p.date} 已经过去了，仍已按此保存。`,
  },
};
