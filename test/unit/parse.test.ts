import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.ts';
import { tokenize } from '../../src/commands/tokenize.ts';
import type { Command, ParseContext } from '../../src/commands/types.ts';
import { HELP, USAGE } from '../../src/commands/usage.ts';
import { parseMessages } from '../../src/i18n/parse-messages.ts';
import { textOf } from '../../src/platforms/console/render-text.ts';

// Monday 2026-11-23, 18:00 in Shanghai.
const ctx: ParseContext = { now: new Date('2026-11-23T10:00:00Z'), timezone: 'Asia/Shanghai' };
// Same calendar day in Los Angeles although UTC (and Shanghai) is already on the 24th.
const la: ParseContext = { now: new Date('2026-11-24T03:00:00Z'), timezone: 'America/Los_Angeles' };

const bob = { kind: 'name', name: 'bob' } as const;
const jane = { kind: 'id', id: 'U123', name: 'jane' } as const;
const u9 = { kind: 'id', id: 'U9' } as const;

const good: [string, Command][] = [
  // help and prefixes
  ['', { name: 'help' }],
  ['/deal', { name: 'help' }],
  ['help', { name: 'help' }],
  ['/deal help action', { name: 'help', topic: 'action' }],
  ['帮助 行动', { name: 'help', topic: 'action' }],
  ['deal HELP', { name: 'help' }],
  ['#12', { name: 'info', deal: 12 }],
  // new
  [
    '/deal new Acme Corp | Data platform renewal',
    { name: 'new', account: 'Acme Corp', title: 'Data platform renewal', mentions: [] },
  ],
  ['new Acme|Renewal', { name: 'new', account: 'Acme', title: 'Renewal', mentions: [] }],
  [
    'NEW Acme Corp | Data  platform amount:120k close:2026-12-31 @bob <@U123|jane>',
    {
      name: 'new',
      account: 'Acme Corp',
      title: 'Data  platform',
      amount: { value: '120000' },
      close: '2026-12-31',
      mentions: [bob, jane],
    },
  ],
  [
    'new <@U9> Acme | Renewal amount:120k EUR close:next friday',
    {
      name: 'new',
      account: 'Acme',
      title: 'Renewal',
      amount: { value: '120000', currency: 'EUR' },
      close: '2026-12-04',
      mentions: [u9],
    },
  ],
  ['new "Acme | Sons" | "Q4 deal"', { name: 'new', account: 'Acme | Sons', title: 'Q4 deal', mentions: [] }],
  [
    '新建 阿里巴巴｜数据平台 金额:12万元 截止：12月31日',
    {
      name: 'new',
      account: '阿里巴巴',
      title: '数据平台',
      amount: { value: '120000', currency: 'CNY' },
      close: '2026-12-31',
      mentions: [],
    },
  ],
  [
    'new Acme | Meeting at 10:30 see https://x.y/a?b=c',
    { name: 'new', account: 'Acme', title: 'Meeting at 10:30 see https://x.y/a?b=c', mentions: [] },
  ],
  // stage
  ['stage proposal', { name: 'stage', stage: 'proposal' }],
  ['stage #3 Proposal Sent', { name: 'stage', deal: 3, stage: 'Proposal Sent' }],
  [
    '#3 stage negotiation override:"CFO approved budget"',
    { name: 'stage', deal: 3, stage: 'negotiation', override: 'CFO approved budget' },
  ],
  [
    'stage closing override: legal review done, see <@U9>',
    { name: 'stage', stage: 'closing', override: 'legal review done, see <@U9>' },
  ],
  ['阶段 谈判 强制：客户已口头确认', { name: 'stage', stage: '谈判', override: '客户已口头确认' }],
  ['阶段谈判', { name: 'stage', stage: '谈判' }],
  // set
  ['set amount 120k', { name: 'set', field: 'amount', value: '120k', money: { value: '120000' } }],
  [
    'set #4 amount $1.2m',
    { name: 'set', deal: 4, field: 'amount', value: '$1.2m', money: { value: '1200000', currency: 'USD' } },
  ],
  ['设置 金额 12万', { name: 'set', field: 'amount', value: '12万', money: { value: '120000' } }],
  ['set currency eur', { name: 'set', field: 'currency', value: 'EUR' }],
  ['set 币种 人民币', { name: 'set', field: 'currency', value: 'CNY' }],
  ['set close 2026-12-31', { name: 'set', field: 'close', value: '2026-12-31', date: '2026-12-31' }],
  ['set close-date 下周五', { name: 'set', field: 'close', value: '下周五', date: '2026-12-04' }],
  ['set next_contact tomorrow', { name: 'set', field: 'next-contact', value: 'tomorrow', date: '2026-11-24' }],
  ['set next 明天', { name: 'set', field: 'next-contact', value: '明天', date: '2026-11-24' }],
  ['set nextstep Send the MSA at 10:30', { name: 'set', field: 'next-step', value: 'Send the MSA at 10:30' }],
  ['set 下一步 发送合同', { name: 'set', field: 'next-step', value: '发送合同' }],
  ['set competitor -Globex', { name: 'set', field: 'competitor', value: '-Globex' }],
  ['set competitors Globex, Initech', { name: 'set', field: 'competitors', value: 'Globex, Initech' }],
  ['set title "Data platform, phase 2"', { name: 'set', field: 'title', value: 'Data platform, phase 2' }],
  ['set 行业 制造业', { name: 'set', field: 'industry', value: '制造业' }],
  [
    'set address https://maps.example.com/x?y=1',
    { name: 'set', field: 'address', value: 'https://maps.example.com/x?y=1' },
  ],
  // contact
  ['contact Jane Doe', { name: 'contact', contact: 'Jane Doe' }],
  [
    'contact Jane Doe role:dm title:VP of Sales email:jane@acme.com phone:+1 555 0100',
    {
      name: 'contact',
      contact: 'Jane Doe',
      role: 'decision_maker',
      title: 'VP of Sales',
      email: 'jane@acme.com',
      phone: '+1 555 0100',
    },
  ],
  ['contact "Zhang San" role:decision-maker', { name: 'contact', contact: 'Zhang San', role: 'decision_maker' }],
  ['contact Li role:Decision_Maker', { name: 'contact', contact: 'Li', role: 'decision_maker' }],
  ['contact Li role:coach', { name: 'contact', contact: 'Li', role: 'champion' }],
  ['contact Li email:<mailto:li@acme.com|li@acme.com>', { name: 'contact', contact: 'Li', email: 'li@acme.com' }],
  [
    'contact Li title:"Head of IT" role:blocker',
    { name: 'contact', contact: 'Li', title: 'Head of IT', role: 'blocker' },
  ],
  [
    '联系人 张三 角色:决策者 职位：财务总监 电话:138 0000 0000',
    { name: 'contact', contact: '张三', role: 'decision_maker', title: '财务总监', phone: '138 0000 0000' },
  ],
  ['联系人"王 五" 角色:教练', { name: 'contact', contact: '王 五', role: 'champion' }],
  ['contact 李四 角色:采购 邮箱:li@x.cn', { name: 'contact', contact: '李四', role: 'procurement', email: 'li@x.cn' }],
  // log
  ['log Call with CFO, budget confirmed', { name: 'log', note: 'Call with CFO, budget confirmed' }],
  [
    'log Call at 10:30, deck at https://x.y next:friday',
    { name: 'log', note: 'Call at 10:30, deck at https://x.y', next: '2026-11-27' },
  ],
  ['log next: in 3 days Demo went   well', { name: 'log', note: 'Demo went   well', next: '2026-11-26' }],
  ['log "Demo went well" next:+2w', { name: 'log', note: 'Demo went well', next: '2026-12-07' }],
  ['log Customer said "we need SSO" today', { name: 'log', note: 'Customer said "we need SSO" today' }],
  // set process with a stage mapping
  [
    'set process transactional map:proposal=quote negotiation=Quote',
    {
      name: 'set',
      field: 'process',
      value: 'transactional map:proposal=quote negotiation=Quote',
      process: 'transactional',
      mapping: [
        ['proposal', 'quote'],
        ['negotiation', 'quote'],
      ],
    },
  ],
  // outcome (the date defaults to the speaker's today)
  ['outcome proposal-accepted', { name: 'outcome', outcome: 'proposal-accepted', on: '2026-11-23' }],
  [
    'outcome proposal-accepted 2026-12-02 by:"Jane Doe"',
    { name: 'outcome', outcome: 'proposal-accepted', on: '2026-12-02', by: 'Jane Doe' },
  ],
  ['outcome po-received 明天 确认人:王五', { name: 'outcome', outcome: 'po-received', on: '2026-11-24', by: '王五' }],
  ['#7 log met <@U123|jane> on site', { name: 'log', deal: 7, note: 'met <@U123|jane> on site' }],
  ['记录 客户来电，确认预算 下次:下周五', { name: 'log', note: '客户来电，确认预算', next: '2026-12-04' }],
  ['记录客户来电 下次：3天后', { name: 'log', note: '客户来电', next: '2026-11-26' }],
  ['log 客户说“下周签约”', { name: 'log', note: '客户说“下周签约”' }],
  ['log 「客户 已 签约」', { name: 'log', note: '客户 已 签约' }],
  // action
  ['action @bob send the deck', { name: 'action', assignee: bob, text: 'send the deck' }],
  [
    'action <@U123|jane> send deck due:friday',
    { name: 'action', assignee: jane, text: 'send deck', due: '2026-11-27' },
  ],
  [
    'action <@U9> book room for 10:30 due:next friday',
    { name: 'action', assignee: u9, text: 'book room for 10:30', due: '2026-12-04' },
  ],
  [
    'action #5 @bob call back due:"12/31"',
    { name: 'action', deal: 5, assignee: bob, text: 'call back', due: '2026-12-31' },
  ],
  ['任务 @bob 发报价 截止:明天', { name: 'action', assignee: bob, text: '发报价', due: '2026-11-24' }],
  ['行动 @bob 准备方案 到期：周五', { name: 'action', assignee: bob, text: '准备方案', due: '2026-11-27' }],
  // done / undo: #n is the deal, the plain integer is the action
  ['done 2', { name: 'done', number: 2 }],
  ['done #3 2', { name: 'done', deal: 3, number: 2 }],
  ['#3 done 2', { name: 'done', deal: 3, number: 2 }],
  ['完成 2', { name: 'done', number: 2 }],
  ['完成2', { name: 'done', number: 2 }],
  ['undo 4', { name: 'undo', number: 4 }],
  ['撤销 #9 1', { name: 'undo', deal: 9, number: 1 }],
  // invite
  ['invite @bob', { name: 'invite', mentions: [bob] }],
  ['invite <@U123|jane> <@U9> as:observer', { name: 'invite', mentions: [jane, u9], role: 'observer' }],
  ['invite <@U123|jane><@U9>', { name: 'invite', mentions: [jane, u9] }],
  ['invite @bob, @alice', { name: 'invite', mentions: [bob, { kind: 'name', name: 'alice' }] }],
  ['邀请@bob 作为:观察员', { name: 'invite', mentions: [bob], role: '观察员' }],
  // won / lost / reopen / info / history
  ['won', { name: 'won' }],
  ['won signed at 10:30, PO https://x.y', { name: 'won', note: 'signed at 10:30, PO https://x.y' }],
  ['赢单 #2 客户签约', { name: 'won', deal: 2, note: '客户签约' }],
  ['lost price too high', { name: 'lost', reason: 'price too high' }],
  ['输单 价格太高', { name: 'lost', reason: '价格太高' }],
  ['reopen', { name: 'reopen' }],
  ['重开 #8', { name: 'reopen', deal: 8 }],
  ['info', { name: 'info' }],
  ['详情 #3', { name: 'info', deal: 3 }],
  ['history #3', { name: 'history', deal: 3 }],
  ['历史', { name: 'history' }],
  // actions / list / pipeline / mine / team
  ['actions', { name: 'actions', mine: false }],
  ['actions mine', { name: 'actions', mine: true }],
  ['待办 #3 我的', { name: 'actions', deal: 3, mine: true }],
  ['list', { name: 'list', mine: false }],
  ['list mine stage:proposal', { name: 'list', mine: true, stage: 'proposal' }],
  ['list stage:"Proposal Sent"', { name: 'list', mine: false, stage: 'Proposal Sent' }],
  ['列表 阶段:谈判', { name: 'list', mine: false, stage: '谈判' }],
  ['pipeline', { name: 'pipeline' }],
  ['漏斗', { name: 'pipeline' }],
  ['mine', { name: 'mine' }],
  ['我的', { name: 'mine' }],
  ['team', { name: 'team', reps: [] }],
  ['team <@U123|jane> @bob <@U9>', { name: 'team', manager: jane, reps: [bob, u9] }],
  ['团队 @bob @alice', { name: 'team', manager: bob, reps: [{ kind: 'name', name: 'alice' }] }],
  // process (admins): the file is the raw rest of the command, newlines and quotes kept
  ['process', { name: 'process', action: 'show' }],
  ['流程 查看', { name: 'process', action: 'show' }],
  ['process EXPORT', { name: 'process', action: 'export' }],
  // No text: the process file the admin last sent the bot.
  ['process load', { name: 'process', action: 'load', text: undefined }],
  ['process check   \n  ', { name: 'process', action: 'check', text: undefined }],
  ['流程 重置', { name: 'process', action: 'reset' }],
  [
    'process load\nprocesses:\n  - key: a # "x: y"\n    names: { en: "A", zh: 甲 }',
    { name: 'process', action: 'load', text: 'processes:\n  - key: a # "x: y"\n    names: { en: "A", zh: 甲 }' },
  ],
  ['流程 检查 {"processes": []}', { name: 'process', action: 'check', text: '{"processes": []}' }],
  ['process check ```\nprocesses: []\n```', { name: 'process', action: 'check', text: '```\nprocesses: []\n```' }],
];

describe('parseCommand: good input', () => {
  it.each(good)('%s', (text, expected) => {
    const r = parseCommand(text, ctx);
    expect(r).toEqual({ ok: true, command: expected, warnings: [] });
  });
});

const bad: [string, string][] = [
  ['frobnicate', 'parse.unknown_verb'],
  ['process upload x', 'parse.bad_process_action'],
  ['process "load" x', 'parse.bad_process_action'],
  ['process export now', 'parse.unexpected_text'],
  ['#3 process', 'parse.deal_not_allowed'],
  ['stge proposal', 'parse.unknown_verb'],
  ['"stage" proposal', 'parse.unknown_verb'],
  ['new #3 Acme | Renewal', 'parse.deal_not_allowed'],
  ['list #2', 'parse.deal_not_allowed'],
  ['#2 pipeline', 'parse.deal_not_allowed'],
  ['help #1', 'parse.deal_not_allowed'],
  ['#2 stage #3 proposal', 'parse.duplicate_deal'],
  ['#0 info', 'parse.bad_deal_number'],
  ['new Acme Renewal', 'parse.new_format'],
  ['new Acme |', 'parse.new_format'],
  ['new | Renewal', 'parse.new_format'],
  ['new @bob', 'parse.new_format'],
  ['new Acme | Renewal amount:lots', 'parse.bad_amount'],
  ['new Acme | Renewal amount:-5', 'parse.bad_amount'],
  ['new Acme | Renewal close:someday', 'parse.bad_date'],
  ['new Acme | Renewal amount:1 amount:2', 'parse.duplicate_option'],
  ['new Acme | Renewal close:', 'parse.empty_option'],
  [`new Acme | ${'x'.repeat(201)}`, 'parse.too_long'],
  ['stage', 'parse.missing_stage'],
  ['stage override:because', 'parse.missing_stage'],
  ['set', 'parse.missing_field'],
  ['set colour blue', 'parse.unknown_field'],
  ['set amount', 'parse.missing_value'],
  ['set amount a lot', 'parse.bad_amount'],
  ['set amount 1.234', 'parse.bad_amount'],
  ['set close 2026-02-30', 'parse.bad_date'],
  ['set next-contact frday', 'parse.bad_date'],
  ['set currency euros', 'parse.bad_currency'],
  ['set currency XYZ', 'parse.bad_currency'],
  ['contact role:dm', 'parse.missing_contact'],
  ['contact Jane role:boss', 'parse.bad_role'],
  ['contact Jane email:not-an-email', 'parse.bad_email'],
  ['contact Jane role:', 'parse.empty_option'],
  ['log', 'parse.missing_note'],
  ['outcome', 'parse.missing_outcome'],
  ['set process transactional proposal', 'parse.bad_mapping'],
  ['outcome accepted someday', 'parse.bad_date'],
  ['log next:friday', 'parse.missing_note'],
  ['log called next:frday', 'parse.bad_date'],
  ['action bob send deck', 'parse.missing_mention'],
  ['action', 'parse.missing_mention'],
  ['action @bob', 'parse.missing_text'],
  ['action @bob send deck due:someday', 'parse.bad_date'],
  ['action @bob send deck due:2026-02-30', 'parse.bad_date'],
  ['done', 'parse.bad_action_number'],
  ['done #2', 'parse.bad_action_number'],
  ['done two', 'parse.bad_action_number'],
  ['done 0', 'parse.bad_action_number'],
  ['done 1 2', 'parse.bad_action_number'],
  ['undo -1', 'parse.bad_action_number'],
  ['invite', 'parse.missing_mention'],
  ['invite bob', 'parse.missing_mention'],
  ['invite @bob and @alice', 'parse.unexpected_text'],
  ['lost', 'parse.missing_reason'],
  ['info please', 'parse.unexpected_text'],
  ['reopen now', 'parse.unexpected_text'],
  ['pipeline q4', 'parse.unexpected_text'],
  ['actions all', 'parse.unexpected_text'],
  ['list negotiation', 'parse.unexpected_text'],
  ['team @bob', 'parse.team_needs_reps'],
  ['team bob alice', 'parse.unexpected_text'],
];

describe('parseCommand: bad input', () => {
  it.each(bad)('%s → %s', (text, key) => {
    const r = parseCommand(text, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.key).toBe(key);
    expect(typeof r.error.params.usage).toBe('string');
    // every key the parser can produce has a sentence in both languages
    // (the usage line is a command part: the console shows it without the platform's prefix)
    const usage = String(r.error.params.usage).replace(/^\/\S+ /, '');
    expect(textOf(parseMessages.en[key]?.(r.error.params) ?? '')).toContain(usage);
    expect(textOf(parseMessages.zh[key]?.(r.error.params) ?? '')).toContain(usage);
  });
});

describe('parseCommand: error details', () => {
  it.each([
    ['stge proposal', { verb: 'stge', suggestion: 'stage', usage: USAGE.stage }],
    ['invte @bob', { verb: 'invte', suggestion: 'invite', usage: USAGE.invite }],
    ['frobnicate', { verb: 'frobnicate', suggestion: 'help', usage: USAGE.help }],
    ['action @bob x due:frday', { text: 'frday', field: 'due:', usage: USAGE.action }],
    ['set close whenever', { text: 'whenever', field: 'close', usage: USAGE.set }],
    ['new Acme | X amount:12.345', { text: '12.345', field: 'amount:', usage: USAGE.new }],
    ['done #2', { text: '', usage: USAGE.done }],
    ['list #2', { command: 'list', usage: USAGE.list }],
    [
      'contact Jane role:boss',
      { role: 'boss', roles: 'decision_maker, champion, influencer, user, procurement, blocker', usage: USAGE.contact },
    ],
  ])('%s', (text, params) => {
    const r = parseCommand(text, ctx);
    expect(r).toEqual({ ok: false, error: { key: expect.any(String), params } });
  });

  it('lists the settable fields', () => {
    const r = parseCommand('set colour blue', ctx);
    expect(!r.ok && r.error.params.fields).toContain('next-contact');
  });

  it('renders the bad date message with the usage line', () => {
    const r = parseCommand('action @bob x due:frday', ctx);
    if (r.ok) throw new Error('expected an error');
    expect(textOf(parseMessages.en[r.error.key](r.error.params))).toBe(
      "I couldn't read “frday” as a date for due:. Try 2026-12-31, 12/31, tomorrow, friday, next friday, +3d or 明天.\nUsage: action <@user> <text> [due:<date>]",
    );
  });
});

describe('parseCommand: past dates warn but succeed', () => {
  it.each([
    [
      'action @bob send deck due:yesterday',
      ctx,
      { name: 'action', assignee: bob, text: 'send deck', due: '2026-11-22' },
    ],
    ['log called next:2026-11-01', ctx, { name: 'log', note: 'called', next: '2026-11-01' }],
    ['set next-contact 昨天', ctx, { name: 'set', field: 'next-contact', value: '昨天', date: '2026-11-22' }],
    // 2026-11-23 is already past in Shanghai at this instant, but still today in Los Angeles.
    [
      'action @bob call due:2026-11-23',
      { ...ctx, now: la.now },
      { name: 'action', assignee: bob, text: 'call', due: '2026-11-23' },
    ],
  ] as [string, ParseContext, Command][])('%s', (text, c, command) => {
    const date = command as { due?: string; next?: string; date?: string };
    expect(parseCommand(text, c)).toEqual({
      ok: true,
      command,
      warnings: [{ key: 'parse.warn.past_date', params: { date: date.due ?? date.next ?? date.date } }],
    });
  });

  it.each([
    ['action @bob call due:2026-11-23', { name: 'action', assignee: bob, text: 'call', due: '2026-11-23' }],
    ['action @bob call due:today', { name: 'action', assignee: bob, text: 'call', due: '2026-11-23' }],
    ['action @bob call due:tomorrow', { name: 'action', assignee: bob, text: 'call', due: '2026-11-24' }],
    ['log met next:明天', { name: 'log', note: 'met', next: '2026-11-24' }],
  ] as [string, Command][])('in Los Angeles, no warning: %s', (text, command) => {
    expect(parseCommand(text, la)).toEqual({ ok: true, command, warnings: [] });
  });

  // Issue 12: a past close date got no warning though past due dates did. Deals still get
  // backfilled (the date is saved), but the person learns the date is past.
  it.each(['new A | B close:2026-01-01', 'set close 2026-01-01'])('a past close date warns: %s', (text) => {
    expect(parseCommand(text, ctx)).toMatchObject({
      ok: true,
      warnings: [{ key: 'parse.warn.past_date', params: { date: '2026-01-01' } }],
    });
  });
});

describe('tokenize', () => {
  it.each([
    ['a  b', ['a', 'b']],
    ['"a b" c', ['a b', 'c']],
    ['“a b” 「c d」', ['a b', 'c d']],
    ['key:"v w" x', ['key:v w', 'x']],
    ['<@U1|bob><@U2> x', ['<@U1|bob>', '<@U2>', 'x']],
    ['27" monitor', ['27"', 'monitor']],
    ['"unclosed quote', ['"unclosed', 'quote']],
    ['see <https://x.y|x y> now', ['see', '<https://x.y|x y>', 'now']],
    ['#12 @bob', ['#12', '@bob']],
  ])('%s', (text, expected) => {
    expect(tokenize(text).map((t) => t.text)).toEqual(expected);
  });
});

describe('usage and help cover every command', () => {
  it.each(Object.keys(USAGE))('%s', (name) => {
    expect(USAGE[name as Command['name']]).toMatch(new RegExp(`^/deal ${name}\\b`));
    expect(HELP.en[name as Command['name']].length).toBeGreaterThan(10);
    expect(HELP.zh[name as Command['name']].length).toBeGreaterThan(5);
  });

  it('every parse message exists in both languages', () => {
    expect(Object.keys(parseMessages.zh).sort()).toEqual(Object.keys(parseMessages.en).sort());
  });
});
