// `lang [zh|en|auto]`: a person's own language, which wins over their chat profile's (see
// personLocale in src/app/identity.ts, the one place that decides).
import type { CommandOf } from '../../commands/types.ts';
import { t } from '../../i18n/index.ts';
import type { TxContext } from '../context.ts';
import { personLocale } from '../identity.ts';
import { plain } from '../message.ts';
import type { Outcome } from '../outcome.ts';

export async function setLanguage(ctx: TxContext, cmd: CommandOf<'lang'>): Promise<Outcome> {
  const { repos, actor } = ctx;
  if (!cmd.language) {
    const L = actor.locale;
    return { reply: plain(t(L, actor.member.language ? 'lang.current_own' : 'lang.current_profile')) };
  }
  const language = cmd.language === 'auto' ? null : cmd.language;
  const member = await repos.updateMember(actor.workspace.id, actor.member.id, { language });
  // The answer already speaks the new language.
  const L = personLocale(actor.workspace, member);
  return { reply: plain(t(L, language ? 'lang.set' : 'lang.auto')) };
}
