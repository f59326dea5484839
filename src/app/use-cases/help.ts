// `help [command]`: every command with one line, or one command's usage.

import { DATE_RANGE } from '../../commands/dates.ts';
import { type CommandName, LIMITS } from '../../commands/types.ts';
import { HELP, USAGE } from '../../commands/usage.ts';
import { t } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { plain } from '../message.ts';
import type { Outcome } from '../outcome.ts';

export async function showHelp(ctx: TxContext, topic?: string): Promise<Outcome> {
  const L = ctx.actor.locale;
  const names = Object.keys(USAGE) as CommandName[];
  const one = topic && names.find((n) => n === topic.toLowerCase().replace(/^\/?deal\s+/, ''));
  const limits = t(L, 'help.limits', { ...LIMITS, min: DATE_RANGE.min, max: DATE_RANGE.max });
  if (one) return { reply: plain(`${USAGE[one]}\n${HELP[L][one]}\n${limits}`) };
  const lines = names.map((n) => `${USAGE[n]}\n    ${HELP[L][n]}`);
  return { reply: plain(`${t(L, 'help.title')}\n${lines.join('\n')}\n${t(L, 'help.footer')}\n${limits}`) };
}
