// Formatting shared by cards, replies and digests, in the reader's language.
import { DateTime } from 'luxon';
import type { Locale, Process } from '../domain/process.ts';
import { stageOf } from '../domain/process.ts';

// Building an Intl.NumberFormat costs far more than formatting with it: one per locale and currency.
// Bounded: currencies are user input, and a formatter that could not be built is not kept.
const moneyFormats = new Map<string, Intl.NumberFormat>();
const MAX_MONEY_FORMATS = 500;

function moneyFormat(currency: string, locale: Locale): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: 2,
      minimumFractionDigits: 0,
    });
    if (moneyFormats.size >= MAX_MONEY_FORMATS) moneyFormats.clear();
    moneyFormats.set(key, f);
  }
  return f;
}

export function formatMoney(amount: string | null, currency: string, locale: Locale): string {
  if (amount === null) return '—';
  try {
    // The string itself, not Number(amount): Intl formats decimal strings exactly, and a float
    // cannot hold 299,999,999,999,999.97 to the cent.
    return moneyFormat(currency, locale).format(amount as Intl.StringNumericLiteral);
  } catch {
    return `${amount} ${currency}`; // unknown currency code: show it as typed
  }
}

export function formatDate(iso: string | null, locale: Locale): string {
  if (!iso) return '—';
  const d = DateTime.fromISO(iso, { zone: 'UTC' });
  return locale === 'zh'
    ? d.setLocale('zh-CN').toFormat('yyyy-MM-dd（ccc）')
    : d.setLocale('en-US').toFormat('ccc yyyy-MM-dd');
}

export function formatInstant(at: Date, timezone: string, locale: Locale): string {
  return DateTime.fromJSDate(at)
    .setZone(timezone)
    .setLocale(locale === 'zh' ? 'zh-CN' : 'en-US')
    .toFormat('yyyy-MM-dd HH:mm');
}

export const stageName = (process: Process, key: string, locale: Locale) => stageOf(process, key).names[locale];

/** Today's calendar date in a time zone. */
export const todayIn = (now: Date, timezone: string) => DateTime.fromJSDate(now).setZone(timezone).toISODate()!;
export const addDays = (iso: string, days: number) =>
  DateTime.fromISO(iso, { zone: 'UTC' }).plus({ days }).toISODate()!;
