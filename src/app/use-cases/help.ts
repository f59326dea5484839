// `help [command]`: every command with one line, or one command's usage.

import { DATE_RANGE } from '../../commands/dates.ts';
import { type CommandName, LIMITS } from '../../commands/types.ts';
import { HELP, USAGE } from '../../commands/usage.ts';
import { t } from '../../i18n/index.ts';
import { cmd } from '../../i18n/sentence.ts';
import type { TxContext } from '../context.ts';
import { join, plain, r } from '../message.ts';
import type { Outcome } from '../outcome.ts';

export async function showHelp(ctx: TxContext, topic?: string): Promise<Outcome> {
  const L = ctx.actor.locale;
  const names = Object.keys(USAGE) as CommandName[];
  // `help stage`, also written with the command's own prefix (`help deal stage`, `help /<slash> stage`).
  const one = topic && names.find((n) => n === topic.toLowerCase().replace(/^(\/\S+|deal)\s+/, ''));
  const limits = t(L, 'help.limits', { ...LIMITS, min: DATE_RANGE.min, max: DATE_RANGE.max });
  if (one) return { reply: plain(r`${cmd(USAGE[one])}\n${HELP[L][one]}\n${limits}`) };
  // One section per command: the whole list would not fit one section on every platform.
  const items = names.map((n) => ({ text: r`${cmd(USAGE[n])}\n    ${HELP[L][n]}` }));
  const title = t(L, 'help.title');
  const footer = join([t(L, 'help.footer'), limits], '\n');
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
