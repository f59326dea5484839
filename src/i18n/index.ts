// Every sentence a user reads, in English and Chinese. Keys are stable; params are filled in.
import type { Locale } from '../domain/process.ts';
import { digestMessages } from './digest-messages.ts';
import { appMessages } from './messages.ts';
import { parseMessages } from './parse-messages.ts';

export type Params = Record<string, string | number>;
type Catalog = Record<string, (p: Params) => string>;

const catalogs: Record<Locale, Catalog> = {
  en: { ...parseMessages.en, ...appMessages.en, ...digestMessages.en },
  zh: { ...parseMessages.zh, ...appMessages.zh, ...digestMessages.zh },
};

export function t(locale: Locale, key: string, params: Params = {}): string {
  const fn = catalogs[locale][key] ?? catalogs.en[key];
  return fn ? fn(params) : key;
}

export const allKeys = (locale: Locale) => Object.keys(catalogs[locale]);
