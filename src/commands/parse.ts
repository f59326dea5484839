// The one `/deal` grammar: text in, a validated Command (or a fixable error with usage) out.
// Notes on choices:
// - `#n` directly before or after the verb is always the DEAL. For done/undo the action number is
//   a plain integer: `done #3 2` = action 2 of deal 3; `done #2` alone is deal 2 with no action.
// - `key:value` is only an option for keys the command knows, so `10:30` and URLs stay in text.
// - `/deal #12` with no verb shows deal 12 (info).
// - A past date (due:, next:, close:, set close, set next-contact) warns but still succeeds (teams backfill).
import { closestTypo } from '../domain/fuzzy.ts';
import { parseAmount, readCurrency } from './amounts.ts';
import { DATE_RANGE, dateInRange, parseDate, todayIso } from './dates.ts';
import { table } from './table.ts';
import { dealNumber, joinTokens, type Token, tokenize } from './tokenize.ts';
import {
  CONTACT_ROLES,
  Command,
  type CommandName,
  type ContactRole,
  DEAL_COMMANDS,
  LIMITS,
  type Mention,
  type ParseContext,
  type ParseResult,
  PROCESS_ACTIONS,
  type ProcessAction,
  SET_FIELDS,
  type SetField,
  type Warning,
} from './types.ts';
import { GLUED_VERBS, resolveVerb, suggestVerb, USAGE } from './usage.ts';

type Params = Record<string, string | number>;
class Fail {
  constructor(
    readonly key: string,
    readonly params: Params = {},
  ) {}
}

const SET_ALIASES = table<SetField>({
  next_contact: 'next-contact',
  nextcontact: 'next-contact',
  next: 'next-contact',
  nextstep: 'next-step',
  next_step: 'next-step',
  'close-date': 'close',
  close_date: 'close',
  closedate: 'close',
  金额: 'amount',
  币种: 'currency',
  货币: 'currency',
  截止日期: 'close',
  成交日期: 'close',
  下次联系: 'next-contact',
  下一步: 'next-step',
  竞争对手: 'competitor',
  行业: 'industry',
  区域: 'region',
  地区: 'region',
  地址: 'address',
  标题: 'title',
  客户: 'account',
  负责人: 'owner',
});

const ROLE_ALIASES = table<ContactRole>({
  'decision-maker': 'decision_maker',
  decisionmaker: 'decision_maker',
  dm: 'decision_maker',
  decider: 'decision_maker',
  决策者: 'decision_maker',
  决策人: 'decision_maker',
  拍板人: 'decision_maker',
  coach: 'champion',
  支持者: 'champion',
  教练: 'champion',
  内线: 'champion',
  影响者: 'influencer',
  影响人: 'influencer',
  'end-user': 'user',
  使用者: 'user',
  用户: 'user',
  purchasing: 'procurement',
  采购: 'procurement',
  detractor: 'blocker',
  反对者: 'blocker',
});

const MINE = new Set(['mine', 'me', 'my', '我的', '我']);
/** `list won` and friends: which deals by how they ended. */
const LIST_STATUS = table<'open' | 'won' | 'lost' | 'closed' | 'all'>({
  open: 'open',
  进行中: 'open',
  won: 'won',
  赢单: 'won',
  lost: 'lost',
  输单: 'lost',
  closed: 'closed',
  已关闭: 'closed',
  关闭: 'closed',
  已结束: 'closed',
  all: 'all',
  全部: 'all',
});

type Kind = 'date' | 'amount' | 'word' | 'phrase';
/** Per command: written key (lower-case, Chinese aliases included) → [canonical key, how its value is read]. */
const OPTIONS: Partial<Record<CommandName, ReadonlyMap<string, [string, Kind]>>> = {
  new: table({
    amount: ['amount', 'amount'],
    金额: ['amount', 'amount'],
    close: ['close', 'date'],
    截止: ['close', 'date'],
    成交: ['close', 'date'],
    成交日期: ['close', 'date'],
    process: ['process', 'word'],
    流程: ['process', 'word'],
    结单: ['close', 'date'],
    结单日期: ['close', 'date'],
  }),
  stage: table({ override: ['override', 'phrase'], 强制: ['override', 'phrase'] }),
  contact: table({
    role: ['role', 'word'],
    角色: ['role', 'word'],
    title: ['title', 'phrase'],
    职位: ['title', 'phrase'],
    email: ['email', 'word'],
    邮箱: ['email', 'word'],
    phone: ['phone', 'phrase'],
    电话: ['phone', 'phrase'],
    手机: ['phone', 'phrase'],
  }),
  log: table({ next: ['next', 'date'], 下次: ['next', 'date'], 下次联系: ['next', 'date'] }),
  outcome: table({ by: ['by', 'phrase'], 确认人: ['by', 'phrase'] }),
  action: table({ due: ['due', 'date'], 截止: ['due', 'date'], 到期: ['due', 'date'] }),
  edit: table({ due: ['due', 'date'], 截止: ['due', 'date'], 到期: ['due', 'date'] }),
  invite: table({ as: ['as', 'word'], 作为: ['as', 'word'], 角色: ['as', 'word'] }),
  list: table({
    stage: ['stage', 'phrase'],
    阶段: ['stage', 'phrase'],
    account: ['account', 'phrase'],
    客户: ['account', 'phrase'],
  }),
};

/** The option keys each command reads (help lists the Chinese ones). */
export const OPTION_KEYS = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, spec]) => [name, [...spec.keys()]]),
) as Record<string, string[]>;

interface Input {
  source: string;
  all: Token[];
  args: Token[];
  ctx: ParseContext;
  warnings: Warning[];
}

function optionAt(tok: Token, spec: ReadonlyMap<string, [string, Kind]>) {
  if (tok.quoted || tok.mention) return null;
  const m = /^([^:：]+)[:：]([\s\S]*)$/.exec(tok.text);
  const hit = m && spec.get(m[1].toLowerCase());
  return hit ? { key: hit[0], kind: hit[1], value: m[2], valueStart: tok.start + m[1].length + 1 } : null;
}

/** A `key:value` token whose key is a word (letters only, so `10:30` never is) with a value glued on. */
const OPTION_LIKE = /^([\p{L}_-]{1,20})[:：](?!\/\/)(\S+)$/u;

/** Refuses a `key:value` that looks like a mistyped option, so it is never saved as text: a key
 * one slip away from one of the command's keys (`amout:` → `amount:`), and in `new`, whose title
 * is short, any unknown key (a colon in a title stays possible inside quotes). */
function refuseStrayOption(tok: Token, name: CommandName, spec: ReadonlyMap<string, [string, Kind]>) {
  if (tok.quoted || tok.mention || !spec.size) return;
  const m = OPTION_LIKE.exec(tok.text);
  if (!m) return;
  const keys = [...spec.keys()];
  const near = closestTypo(m[1], keys);
  const latin = keys.filter((k) => /^[a-z]/.test(k)).map((k) => `${k}:`);
  const params = { key: `${m[1]}:`, command: name, options: latin.join(', ') };
  if (near) throw new Fail('parse.unknown_option', { ...params, suggestion: `${near}:` });
  if (name === 'new') throw new Fail('parse.unknown_option', params);
}

/** Takes the command's `key:value` options out of the arguments; what is left is free text. */
function extractOptions(inp: Input, name: CommandName): { rest: Token[]; opts: Record<string, string> } {
  const spec = OPTIONS[name] ?? new Map();
  const opts: Record<string, string> = Object.create(null);
  const rest: Token[] = [];
  const toks = inp.args;
  for (let i = 0; i < toks.length; i++) {
    const o = optionAt(toks[i], spec);
    if (!o) {
      refuseStrayOption(toks[i], name, spec);
      rest.push(toks[i]);
      continue;
    }
    if (o.key in opts) throw new Fail('parse.duplicate_option', { key: `${o.key}:` });
    const field = `${o.key}:`;
    // Tokens after the key that may belong to its value: never another option or a mention.
    let j = i + 1;
    const more: Token[] = [];
    while (j < toks.length && !optionAt(toks[j], spec) && (o.kind === 'phrase' || !toks[j].mention))
      more.push(toks[j++]);
    let value = o.value;
    let used = 0;
    if (o.kind === 'phrase') {
      if (!toks[i].hasQuotes && more.length) {
        used = more.length;
        value = value ? inp.source.slice(o.valueStart, more[used - 1].end) : joinTokens(inp.source, more, inp.all);
      }
    } else if (o.kind === 'word') {
      if (!value && more.length) {
        value = more[0].text;
        used = 1;
      }
    } else {
      const read = o.kind === 'date' ? (s: string) => parseDate(s, inp.ctx) : (s: string) => parseAmount(s);
      const words = [...(value ? [value] : []), ...more.slice(0, o.kind === 'date' ? 4 : 2).map((t) => t.text)];
      const skip = value ? 1 : 0;
      // Longest reading wins, so `due:next friday` and `amount:120k EUR` take their second word.
      let best = -1;
      for (let n = 1; n <= words.length; n++) if (read(words.slice(0, n).join(' ')) !== null) best = n;
      if (best === -1) {
        if (!words.length) throw new Fail('parse.empty_option', { key: field });
        throw new Fail(o.kind === 'date' ? 'parse.bad_date' : 'parse.bad_amount', { text: words[0], field });
      }
      value = words.slice(0, best).join(' ');
      used = best - skip;
    }
    value = value.trim();
    if (!value) throw new Fail('parse.empty_option', { key: field });
    opts[o.key] = value;
    i += used;
  }
  return { rest, opts };
}

/** The field's one limit (LIMITS), checked where the value is read so the refusal names it. */
function within<T extends string | undefined>(field: string, value: T, max: number): T {
  if (value !== undefined && value.length > max) throw new Fail('parse.too_long', { field, max, length: value.length });
  return value;
}
function fewPeople(mentions: Mention[]): Mention[] {
  if (mentions.length > LIMITS.mentions)
    throw new Fail('parse.too_many_mentions', { max: LIMITS.mentions, count: mentions.length });
  return mentions;
}

/** A date already past is saved (teams backfill) with a warning; returns the date. */
function warnIfPast(inp: Input, date: string | undefined) {
  if (date && date < todayIso(inp.ctx)) inp.warnings.push({ key: 'parse.warn.past_date', params: { date } });
  return date;
}

function dateOpt(inp: Input, text: string | undefined, field: string): string | undefined {
  if (text === undefined) return undefined;
  const d = parseDate(text, inp.ctx);
  if (!d) throw new Fail('parse.bad_date', { text, field });
  if (!dateInRange(d))
    throw new Fail('parse.date_out_of_range', { text, field, min: DATE_RANGE.min, max: DATE_RANGE.max });
  return d;
}

const text = (inp: Input, toks: Token[]) => joinTokens(inp.source, toks, inp.all);
/** An action's number: a plain integer (`#n` names the deal). */
function actionNumber(inp: Input, toks: Token[]): number {
  if (toks.length !== 1 || !/^[1-9]\d{0,8}$/.test(toks[0].text))
    throw new Fail('parse.bad_action_number', { text: text(inp, toks) });
  return Number(toks[0].text);
}
const mentionsOnly = (toks: Token[]): Mention[] => {
  // Commas between mentions (`@a, @b`) are just punctuation.
  toks = toks.filter((t) => !/^[,，、;；]+$/.test(t.text));
  const stray = toks.filter((t) => !t.mention);
  if (stray.length) throw new Fail('parse.unexpected_text', { text: stray.map((t) => t.raw).join(' ') });
  return toks.map((t) => t.mention!);
};
const nothingElse = (inp: Input, toks: Token[]) => {
  if (toks.length) throw new Fail('parse.unexpected_text', { text: text(inp, toks) });
};

/** `new <account> | <title>`: the first unquoted `|` (or full-width `｜`) splits the two. */
function splitAccountTitle(inp: Input, toks: Token[]): [string, string] {
  for (let k = 0; k < toks.length; k++) {
    const tok = toks[k];
    const at = tok.hasQuotes || tok.text.startsWith('<') ? -1 : tok.text.search(/[|｜]/);
    if (at === -1) continue;
    const part = (s: number, e: number): Token[] =>
      e > s
        ? [{ ...tok, text: tok.text.slice(s, e), raw: tok.text.slice(s, e), start: tok.start + s, end: tok.start + e }]
        : [];
    const [head, tail] = [part(0, at), part(at + 1, tok.text.length)];
    // The halves replace the token in the source order, so each side keeps its own spacing.
    const all = inp.all.flatMap((t) => (t === tok ? [...head, ...tail] : [t]));
    return [
      joinTokens(inp.source, [...toks.slice(0, k), ...head], all),
      joinTokens(inp.source, [...tail, ...toks.slice(k + 1)], all),
    ];
  }
  return ['', ''];
}

const LANGUAGES = table<'zh' | 'en' | 'auto'>({
  zh: 'zh',
  cn: 'zh',
  chinese: 'zh',
  中文: 'zh',
  汉语: 'zh',
  en: 'en',
  english: 'en',
  英文: 'en',
  英语: 'en',
  auto: 'auto',
  default: 'auto',
  自动: 'auto',
  默认: 'auto',
});
const PROCESS_ACTION_WORDS = table<ProcessAction>({
  查看: 'show',
  显示: 'show',
  validate: 'check',
  检查: 'check',
  校验: 'check',
  import: 'load',
  加载: 'load',
  载入: 'load',
  导入: 'load',
  导出: 'export',
  default: 'reset',
  重置: 'reset',
  恢复默认: 'reset',
});
const ON = new Set(['on', 'yes', 'true', '开', '开启']);
const OFF = new Set(['off', 'no', 'false', '关', '关闭']);
const CONFIRM = new Set(['confirm', 'yes', '确认']);
const ROOMS = new Set(['rooms', 'room', '建群', '商机群']);
const TEAM = new Set(['team', 'workspace', 'all', '团队', '全员']);

function build(name: CommandName, inp: Input): Record<string, unknown> {
  const { rest, opts } = extractOptions(inp, name);
  switch (name) {
    case 'new': {
      const [account, title] = splitAccountTitle(
        inp,
        rest.filter((t) => !t.mention),
      );
      if (!account || !title) throw new Fail('parse.new_format');
      const amount = opts.amount === undefined ? undefined : (parseAmount(opts.amount) ?? undefined);
      return {
        account: within('account', account, LIMITS.account),
        title: within('title', title, LIMITS.title),
        amount,
        close: warnIfPast(inp, dateOpt(inp, opts.close, 'close:')),
        process: within('process:', opts.process?.toLowerCase(), LIMITS.stage),
        mentions: fewPeople(rest.filter((t) => t.mention).map((t) => t.mention!)),
      };
    }
    case 'stage': {
      const stage = text(inp, rest);
      if (!stage) throw new Fail('parse.missing_stage');
      return {
        stage: within('stage', stage, LIMITS.stage),
        override: within('override:', opts.override, LIMITS.override),
      };
    }
    case 'set': {
      if (!rest.length) throw new Fail('parse.missing_field', { fields: SET_FIELDS.join(', ') });
      const written = rest[0].text;
      const lower = written.toLowerCase();
      const field = (SET_FIELDS as readonly string[]).includes(lower) ? (lower as SetField) : SET_ALIASES.get(lower);
      if (!field) {
        const near = closestTypo(lower, [...SET_FIELDS, ...SET_ALIASES.keys()]);
        const suggestion = near
          ? (SET_FIELDS as readonly string[]).includes(near)
            ? near
            : SET_ALIASES.get(near)!
          : '';
        throw new Fail('parse.unknown_field', { field: written, fields: SET_FIELDS.join(', '), suggestion });
      }
      if (field === 'owner') {
        const owner = rest[1]?.mention;
        if (!owner) throw new Fail('parse.missing_mention');
        nothingElse(inp, rest.slice(2));
        return { field, value: rest[1].raw, owner };
      }
      const value = text(inp, rest.slice(1));
      if (!value) throw new Fail('parse.missing_value', { field });
      within(field, value, field === 'title' || field === 'account' ? LIMITS[field] : LIMITS.field);
      if (field === 'amount') {
        const money = parseAmount(value);
        if (!money) throw new Fail('parse.bad_amount', { text: value, field });
        return { field, value, money };
      }
      if (field === 'close' || field === 'next-contact') {
        const date = dateOpt(inp, value, field);
        warnIfPast(inp, date);
        return { field, value, date };
      }
      if (field === 'process') {
        // `set process transactional [map:]proposal=quote negotiation=quote`
        const [key = '', ...pairs] = value.split(/[\s,，]+/).filter(Boolean);
        const mapping = pairs.map((p) => {
          const m = /^(?:map:)?([^=]+)=([^=]+)$/i.exec(p);
          if (!m?.[1] || !m[2]) throw new Fail('parse.bad_mapping', { text: p });
          return [m[1].toLowerCase(), m[2].toLowerCase()] as [string, string];
        });
        return { field, value, process: key.toLowerCase(), mapping };
      }
      if (field === 'currency') {
        const code = readCurrency(value);
        if (!code) throw new Fail('parse.bad_currency', { text: value });
        return { field, value: code };
      }
      return { field, value };
    }
    case 'contact': {
      const contact = text(inp, rest);
      if (!contact) throw new Fail('parse.missing_contact');
      let role: ContactRole | undefined;
      if (opts.role !== undefined) {
        const r = opts.role.toLowerCase().replace(/[\s_]+/g, '-');
        role = (CONTACT_ROLES as readonly string[]).includes(r.replace(/-/g, '_'))
          ? (r.replace(/-/g, '_') as ContactRole)
          : ROLE_ALIASES.get(r);
        if (!role) throw new Fail('parse.bad_role', { role: opts.role, roles: CONTACT_ROLES.join(', ') });
      }
      // Slack turns typed addresses into `<mailto:a@b.co|a@b.co>`.
      const email = opts.email?.replace(/^<mailto:([^|>]+)(?:\|[^>]*)?>$/i, '$1');
      if (email !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email))
        throw new Fail('parse.bad_email', { text: opts.email! });
      return {
        contact: within('contact', contact, LIMITS.contact),
        role,
        title: within('title:', opts.title, LIMITS.contactTitle),
        email: within('email:', email, LIMITS.email),
        phone: within('phone:', opts.phone, LIMITS.phone),
      };
    }
    case 'log': {
      const note = text(inp, rest);
      if (!note) throw new Fail('parse.missing_note');
      const next = dateOpt(inp, opts.next, 'next:');
      warnIfPast(inp, next);
      return { note: within('note', note, LIMITS.note), next };
    }
    case 'outcome': {
      // `outcome <key> [<date>] [by:<who confirmed it>]`: the date defaults to today.
      const [first, ...more] = rest;
      if (!first) throw new Fail('parse.missing_outcome');
      const written = text(inp, more);
      const on = written ? dateOpt(inp, written, 'date') : todayIso(inp.ctx);
      return {
        outcome: within('outcome', first.text, LIMITS.stage),
        on,
        by: within('by:', opts.by, LIMITS.contact),
      };
    }
    case 'action': {
      const assignee = rest[0]?.mention;
      if (!assignee) throw new Fail('parse.missing_mention');
      const body = text(inp, rest.slice(1));
      if (!body) throw new Fail('parse.missing_text');
      const due = dateOpt(inp, opts.due, 'due:');
      warnIfPast(inp, due);
      return { assignee, text: within('action', body, LIMITS.action), due };
    }
    case 'done':
    case 'undo': {
      const written = text(inp, rest);
      if (rest.length !== 1 || !/^[1-9]\d{0,8}$/.test(rest[0].text))
        throw new Fail('parse.bad_action_number', { text: written });
      return { number: Number(rest[0].text) };
    }
    case 'cancel':
      return { number: actionNumber(inp, rest) };
    case 'edit': {
      const number = actionNumber(inp, rest.slice(0, 1));
      const body = text(inp, rest.slice(1)) || undefined;
      const due = dateOpt(inp, opts.due, 'due:');
      if (!body && !due) throw new Fail('parse.edit_nothing', { n: number });
      warnIfPast(inp, due);
      return { number, text: within('action', body, LIMITS.action), due };
    }
    case 'reassign': {
      const number = actionNumber(inp, rest.slice(0, 1));
      const assignee = rest[1]?.mention;
      if (!assignee) throw new Fail('parse.missing_mention');
      nothingElse(inp, rest.slice(2));
      return { number, assignee };
    }
    case 'remove': {
      if (!rest.some((t) => t.mention)) throw new Fail('parse.missing_mention');
      return { mentions: fewPeople(mentionsOnly(rest)) };
    }
    case 'invite': {
      if (!rest.some((t) => t.mention)) throw new Fail('parse.missing_mention');
      return { mentions: fewPeople(mentionsOnly(rest)), role: within('as:', opts.as, LIMITS.role) };
    }
    case 'history': {
      if (!rest.length) return {};
      if (rest.length !== 1 || !/^[1-9]\d{0,5}$/.test(rest[0].text))
        throw new Fail('parse.bad_page', { text: text(inp, rest) });
      return { page: Number(rest[0].text) };
    }
    case 'won':
      return { note: within('note', text(inp, rest) || undefined, LIMITS.reason) };
    case 'lost': {
      const reason = text(inp, rest);
      if (!reason) throw new Fail('parse.missing_reason');
      return { reason: within('reason', reason, LIMITS.reason) };
    }
    case 'actions': {
      const mine = rest.length === 1 && MINE.has(rest[0].text.toLowerCase());
      if (!mine) nothingElse(inp, rest);
      return { mine };
    }
    case 'list': {
      let mine = false;
      let status: string | undefined;
      let owner: Mention | undefined;
      const stray: Token[] = [];
      for (const tok of rest) {
        const word = tok.text.toLowerCase();
        if (tok.mention && !owner) owner = tok.mention;
        else if (!tok.quoted && MINE.has(word) && !mine) mine = true;
        else if (!tok.quoted && LIST_STATUS.has(word) && !status) status = LIST_STATUS.get(word);
        else stray.push(tok);
      }
      nothingElse(inp, stray);
      return {
        mine,
        stage: within('stage:', opts.stage, LIMITS.stage),
        status,
        owner,
        account: within('account:', opts.account, LIMITS.account),
      };
    }
    case 'find': {
      const query = text(inp, rest);
      if (!query) throw new Fail('parse.missing_query');
      return { text: within('find', query, LIMITS.account) };
    }
    case 'team': {
      const people = fewPeople(mentionsOnly(rest));
      if (people.length === 1) throw new Fail('parse.team_needs_reps');
      return people.length ? { manager: people[0], reps: people.slice(1) } : { reps: [] };
    }
    case 'digest': {
      const words = rest.filter((t) => !t.mention).map((t) => t.text.toLowerCase());
      const target = rest.find((t) => t.mention)?.mention;
      if (!words.length) return { target };
      const onOff = (w: string | undefined) => (w && ON.has(w) ? true : w && OFF.has(w) ? false : undefined);
      if (words[0] === 'time' || words[0] === '时间') {
        const m = /^(\d{1,2})[:：](\d{2})$/.exec(words[1] ?? '');
        const time = m && Number(m[1]) < 24 && Number(m[2]) < 60 ? `${m[1].padStart(2, '0')}:${m[2]}` : undefined;
        if (m && !time) throw new Fail('parse.bad_time', { text: words[1] });
        if (!time || words.length > 3 || (words[2] && !TEAM.has(words[2]))) throw new Fail('parse.bad_digest', {});
        return { time, scope: words[2] ? 'workspace' : 'me' };
      }
      if ((words[0] === 'weekends' || words[0] === '周末') && words.length === 2 && onOff(words[1]) !== undefined)
        return { weekends: onOff(words[1]) };
      if ((words[0] === 'nudges' || words[0] === '提醒') && words.length === 2 && onOff(words[1]) !== undefined)
        return { nudges: onOff(words[1]) };
      throw new Fail('parse.bad_digest', {});
    }
    case 'import': {
      // `import confirm [rooms]` only: the dry run comes from sending the file itself.
      const words = rest.map((t) => t.text.toLowerCase());
      if (!CONFIRM.has(words[0] ?? '') || words.length > 2 || (words[1] && !ROOMS.has(words[1])))
        throw new Fail('parse.bad_import', {});
      return { rooms: words.length === 2 };
    }
    case 'lang': {
      if (!rest.length) return {};
      const language = rest.length === 1 ? LANGUAGES.get(rest[0].text.toLowerCase()) : undefined;
      if (!language) throw new Fail('parse.bad_language', { text: text(inp, rest) });
      return { language };
    }
    case 'process': {
      // `process load <file>`: the file is the raw rest of the command, newlines and quotes kept.
      const first = inp.args[0];
      if (!first) return { action: 'show' };
      const word = first.text.toLowerCase();
      const action = (PROCESS_ACTIONS as readonly string[]).includes(word)
        ? (word as ProcessAction)
        : PROCESS_ACTION_WORDS.get(word);
      if (!action || first.quoted) throw new Fail('parse.bad_process_action', { text: first.raw });
      const body = inp.source.slice(first.end).replace(/^[ \t]*(\r?\n)?/, '');
      const wantsText = action === 'check' || action === 'load';
      if (!wantsText && body.trim()) throw new Fail('parse.unexpected_text', { text: body.trim() });
      // No text: the process file the admin last sent the bot in a direct message.
      return { action, text: wantsText && body.trim() ? body : undefined };
    }
    case 'help': {
      const topic = text(inp, rest);
      return { topic: topic ? (resolveVerb(topic) ?? topic) : undefined };
    }
    default:
      nothingElse(inp, rest);
      return {};
  }
}

const omitUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A NUL (PostgreSQL cannot store it) or half of a surrogate pair (not text at all). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\0') || LONE_SURROGATE.test(s);

export function parseCommand(input: string, ctx: ParseContext): ParseResult {
  // The boundary: nothing below reads more than LIMITS.input characters or text it cannot store.
  if (input.length > LIMITS.input) return fail('parse.input_too_long', { max: LIMITS.input, length: input.length });
  if (unstorable(input)) return fail('parse.bad_characters', {});
  let all = tokenize(input);
  let i = 0;
  if (all[0] && !all[0].quoted && /^\/?deal$/i.test(all[0].text)) i++;
  let deal: number | undefined;
  let name: CommandName = 'help';
  try {
    const takeDeal = () => {
      const n = dealNumber(all[i]);
      if (n === undefined) return;
      if (deal !== undefined) throw new Fail('parse.duplicate_deal');
      if (n < 1 || n > 2_147_483_647) throw new Fail('parse.bad_deal_number', { text: all[i].raw });
      deal = n;
      i++;
    };
    takeDeal();
    const verbTok = all[i];
    if (!verbTok) return finish(deal === undefined ? { name: 'help' } : { name: 'info', deal }, []);
    let verb = verbTok.quoted ? undefined : resolveVerb(verbTok.text);
    const glued = verb || verbTok.hasQuotes ? undefined : GLUED_VERBS.find((a) => verbTok.text.startsWith(a));
    if (glued) {
      verb = resolveVerb(glued);
      // Re-read everything after the verb, so `邀请@bob`, `完成2` and `联系人"张 三"` tokenize as if spaced.
      const at = verbTok.start + glued.length;
      const tail = tokenize(input.slice(at)).map((t) => ({ ...t, start: t.start + at, end: t.end + at }));
      all = [...all.slice(0, i), { ...verbTok, text: glued, raw: glued, end: at }, ...tail];
    }
    if (!verb) {
      const suggestion = suggestVerb(verbTok.text);
      return fail('parse.unknown_verb', { verb: verbTok.text, suggestion }, suggestion);
    }
    name = verb;
    i++;
    takeDeal();
    if (deal !== undefined && !(DEAL_COMMANDS as readonly string[]).includes(name))
      throw new Fail('parse.deal_not_allowed', { command: name });
    const inp: Input = { source: input, all, args: all.slice(i), ctx, warnings: [] };
    const fields = omitUndefined(build(name, inp));
    return finish({ name, ...(deal !== undefined ? { deal } : {}), ...fields }, inp.warnings);
  } catch (e) {
    if (e instanceof Fail) return fail(e.key, e.params, name);
    throw e;
  }

  function finish(candidate: Record<string, unknown>, warnings: Warning[]): ParseResult {
    const parsed = Command.safeParse(candidate);
    if (parsed.success) return { ok: true, command: parsed.data, warnings };
    // The schema is a backstop behind the checks above: its wording never reaches a person.
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const value = candidate[field];
    if (field === 'email') return fail('parse.bad_email', { text: String(value) }, name);
    if (issue.code === 'too_big' && typeof value === 'string')
      return fail('parse.too_long', { field, max: Number(issue.maximum), length: value.length }, name);
    if (issue.code === 'too_big' && Array.isArray(value))
      return fail('parse.too_many_mentions', { max: Number(issue.maximum), count: value.length }, name);
    return fail('parse.invalid', { field: field || name }, name);
  }
}

/** What a refusal quotes back of the user's own text: enough to recognise, never 100 KB. */
const ECHO_MAX = 80;
function echo(s: string): string {
  const points = Array.from(s.slice(0, ECHO_MAX * 2));
  return points.length > ECHO_MAX || s.length > ECHO_MAX * 2 ? `${points.slice(0, ECHO_MAX).join('')}…` : s;
}
const FROM_CODE = new Set(['usage', 'fields', 'roles', 'suggestion', 'command', 'options']);

function fail(key: string, params: Params, usageOf?: CommandName): ParseResult {
  const shown: Params = {};
  for (const [k, v] of Object.entries(params)) shown[k] = typeof v === 'string' && !FROM_CODE.has(k) ? echo(v) : v;
  return { ok: false, error: { key, params: usageOf ? { ...shown, usage: USAGE[usageOf] } : shown } };
}
