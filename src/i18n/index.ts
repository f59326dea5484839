// Every sentence a user reads, in English and Chinese. Keys are stable; params are filled in.
//
// A sentence is text in the neutral message model (src/app/message.ts), not a string: catalogs
// write it with the `r` tagged template, so a param can be a part (a person, emphasis) as well as
// literal text, and a command the reader can type is a `cmd(…)` part that each platform shows
// with its own prefix (`/deal stage` on Slack, `stage` in the console). Why parts and not a markup
// language inside the strings: a param is never parsed, so nothing a user typed (a deal title, a
// note) can turn into formatting or a mention; and the compiler checks the sentences like any
// other code. The catalogs hold no platform syntax (the architecture test checks it).
import type { Locale } from '../domain/process.ts';
import { digestMessages } from './digest-messages.ts';
import { appMessages } from './messages.ts';
import { parseMessages } from './parse-messages.ts';
import { processMessages } from './process-messages.ts';
import type { Catalog, Params } from './sentence.ts';
import { partsOf, type Rich } from './sentence.ts';
import { uploadMessages } from './upload-messages.ts';

export type { Params };

const catalogs: Record<Locale, Catalog> = {
  en: { ...parseMessages.en, ...appMessages.en, ...digestMessages.en, ...uploadMessages.en, ...processMessages.en },
  zh: { ...parseMessages.zh, ...appMessages.zh, ...digestMessages.zh, ...uploadMessages.zh, ...processMessages.zh },
};

export function t(locale: Locale, key: string, params: Params = {}): Rich {
  const fn = catalogs[locale][key] ?? catalogs.en[key];
  return fn ? partsOf(fn(params)) : [key];
}

export const allKeys = (locale: Locale) => Object.keys(catalogs[locale]);

/** A sentence that is a plain label (a field name, a button, a status word) as literal text. */
export function tLabel(locale: Locale, key: string, params: Params = {}): string {
  return t(locale, key, params)
    .map((p) => (typeof p === 'string' ? p : 'text' in p ? p.text : ''))
    .join('');
}
