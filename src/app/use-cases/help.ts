// `help [command | stages]`: every command with one line; one command with its usage, what it
// does and worked examples; or the sales process (each stage, what it needs, what it creates).
// An unknown topic says so instead of printing everything.

import { DATE_RANGE } from '../../commands/dates.ts';
import { EXAMPLES } from '../../commands/examples.ts';
import { OPTION_KEYS } from '../../commands/parse.ts';
import { type CommandName, LIMITS } from '../../commands/types.ts';
import { HELP, suggestVerb, USAGE, VERB_ALIASES } from '../../commands/usage.ts';
import { UserError } from '../../domain/errors.ts';
import type { Locale, Process } from '../../domain/process.ts';
import { t } from '../../i18n/index.ts';
import { cmd } from '../../i18n/sentence.ts';
import type { TxContext } from '../context.ts';
import { join, type Message, plain, r } from '../message.ts';
import type { Outcome } from '../outcome.ts';

const CJK = /[\u4e00-\u9fff]/;
/** The Chinese verbs of a command (`新建` for new), so help and README can list them. */
const chineseWords = (n: CommandName) =>
  [...VERB_ALIASES]
    .filter(([w, c]) => c === n && CJK.test(w))
    .map(([w]) => w)
    .join('、');
const CHINESE_KEYS = [...new Set(Object.values(OPTION_KEYS).flatMap((keys) => keys.filter((k) => CJK.test(k))))]
  .map((k) => `${k}:`)
  .join(' ');

// `help process` is the `process` command's help (it lists the processes with their stages).
const STAGE_TOPICS = new Set(['stages', 'pipeline stages', '阶段列表', '销售流程']);

function stagesHelp(L: Locale, process: Process): Message {
  const items = process.stages.map((s) => {
    const needs = s.requires.length
      ? join(
          s.requires.map((q) => t(L, `req.${q.key}`)),
          ', ',
        )
      : t(L, 'help.nothing');
    const creates = s.playbook.length ? s.playbook.map((p) => p.text[L]).join('; ') : undefined;
    const head = s.terminal
      ? t(L, 'help.stage_terminal', { stage: s.names[L], key: s.key })
      : t(L, 'help.stage_line', { stage: s.names[L], key: s.key, percent: Math.round(s.probability * 100) });
    return {
      text: join(
        [
          head,
          s.terminal ? undefined : r`    ${t(L, 'help.stage_needs', { needs })}`,
          creates ? r`    ${t(L, 'help.stage_creates', { actions: creates })}` : undefined,
        ].filter((x) => x !== undefined),
        '\n',
      ),
    };
  });
  const title = t(L, 'help.stages_title', { process: process.names[L] });
  const foot = t(L, 'help.stages_footer');
  return {
    text: join([title, ...items.map((i) => i.text), foot], '\n'),
    blocks: [
      { type: 'text', text: title },
      { type: 'items', items },
      { type: 'context', text: foot },
    ],
  };
}

export async function showHelp(ctx: TxContext, topic?: string): Promise<Outcome> {
  const L = ctx.actor.locale;
  const names = Object.keys(USAGE) as CommandName[];
  const limits = t(L, 'help.limits', { ...LIMITS, min: DATE_RANGE.min, max: DATE_RANGE.max });
  if (topic) {
    // `help stage`, also written with the command's own prefix (`help deal stage`, `help /<slash> stage`).
    const word = topic.toLowerCase().replace(/^(\/\S+|deal)\s+/, '');
    if (STAGE_TOPICS.has(word)) return { reply: stagesHelp(L, ctx.processes.set.get(ctx.processes.set.defaultKey)) };
    const one = names.find((n) => n === word);
    if (!one) {
      const near = suggestVerb(word);
      throw new UserError('help.unknown_topic', { topic, suggestion: near === 'help' ? '' : near });
    }
    const examples = join(
      EXAMPLES[L][one].map((e) => r`  ${cmd(e)}`),
      '\n',
    );
    const more = one === 'stage' ? t(L, 'help.see_stages') : '';
    return {
      reply: plain(
        r`${cmd(USAGE[one])}\n${HELP[L][one]}\n${t(L, 'help.examples')}\n${examples}${more.length ? r`\n${more}` : ''}\n${limits}`,
      ),
    };
  }
  // One section per command: the whole list would not fit one section on every platform.
  const items = names.map((n) => {
    const words = chineseWords(n);
    return {
      text: r`${cmd(USAGE[n])}${words ? r`  (${t(L, 'help.also', { words })})` : ''}\n    ${HELP[L][n]}`,
    };
  });
  const title = t(L, 'help.title');
  const footer = join([t(L, 'help.footer'), t(L, 'help.zh_keys', { keys: CHINESE_KEYS }), limits], '\n');
  return {
    reply: {
      text: join([title, ...items.map((i) => i.text), footer], '\n'),
      blocks: [
        { type: 'text', text: title },
        { type: 'items', items },
        { type: 'context', text: footer },
      ],
    },
  };
}
