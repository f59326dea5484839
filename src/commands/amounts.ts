// Reads deal amounts as typed in chat ("120k", "$1.2m", "12万", "EUR 120k") into an exact decimal
// string. All scaling is done on digit strings: money must never pass through a float.
import { table } from './table.ts';
import type { Money } from './types.ts';

const SCALES = table({ k: 3, 千: 3, w: 4, 万: 4, m: 6, mn: 6, b: 9, bn: 9, 亿: 8 });

const SYMBOLS = table({ $: 'USD', us$: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'CNY', '￥': 'CNY' });

/** Words people put after the number instead of an ISO code. `rmb` is common but not ISO. */
const WORDS = table({
  元: 'CNY',
  块: 'CNY',
  人民币: 'CNY',
  元人民币: 'CNY',
  rmb: 'CNY',
  美元: 'USD',
  美金: 'USD',
  欧元: 'EUR',
  英镑: 'GBP',
  日元: 'JPY',
  港币: 'HKD',
  港元: 'HKD',
});

/** The column is Decimal(16,2): at most 14 digits before the point. */
const MAX_INT_DIGITS = 14;

let isoCodes: Set<string> | undefined;
/** ISO 4217 codes known to this runtime; a three-letter word that isn't one is not a currency. */
export function isCurrencyCode(code: string): boolean {
  if (!isoCodes) {
    try {
      isoCodes = new Set(Intl.supportedValuesOf('currency'));
    } catch {
      isoCodes = new Set(['USD', 'EUR', 'GBP', 'CNY', 'JPY', 'HKD', 'SGD', 'AUD', 'CAD', 'CHF', 'INR', 'KRW', 'TWD']);
    }
  }
  return isoCodes.has(code.toUpperCase());
}

/** A currency written as a code, a symbol or a word (`eur`, `$`, `人民币`), as its ISO code. */
export function readCurrency(text: string): string | null {
  const t = text.trim().toLowerCase();
  const code = SYMBOLS.get(t) ?? WORDS.get(t) ?? (/^[a-z]{3}$/.test(t) && isCurrencyCode(t) ? t.toUpperCase() : null);
  return code;
}

const AMOUNT_RE = new RegExp(
  '^(?<pre>us\\$|[$€£¥￥]|[a-z]{3})?' +
    '(?<num>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)' +
    '(?<scale>k|千|w|万|mn|m|bn|b|亿)?' +
    '(?<post>元人民币|人民币|美元|美金|欧元|英镑|日元|港币|港元|元|块|[a-z]{3}|[$€£¥￥])?$',
);

/** Moves the decimal point `shift` places right, on digits only. */
function scaleDecimal(intPart: string, fracPart: string, shift: number): { int: string; frac: string } {
  const padded = fracPart.padEnd(shift, '0');
  return { int: intPart + padded.slice(0, shift), frac: padded.slice(shift) };
}

/** Longer than any amount anyone writes ("US$ 99,999,999,999,999.99 元人民币"): not read at all. */
const MAX_AMOUNT_TEXT = 64;

export function parseAmount(text: string): Money | null {
  if (text.length > MAX_AMOUNT_TEXT) return null;
  const t = text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toLowerCase();
  const m = AMOUNT_RE.exec(t);
  if (!m?.groups) return null;
  const { pre, num, scale, post } = m.groups;

  let currency: string | undefined;
  for (const part of [pre, post]) {
    if (!part) continue;
    const code = readCurrency(part);
    if (!code) return null;
    // `$120k EUR` names two currencies: refuse rather than guess.
    if (currency && currency !== code) return null;
    currency = code;
  }

  const [rawInt, rawFrac = ''] = num.replace(/,/g, '').split('.');
  const { int, frac } = scaleDecimal(rawInt, rawFrac, scale ? (SCALES.get(scale) ?? 0) : 0);
  const intDigits = int.replace(/^0+(?=\d)/, '') || '0';
  const fracDigits = frac.replace(/0+$/, '');
  if (fracDigits.length > 2 || intDigits.length > MAX_INT_DIGITS) return null;
  const value = fracDigits ? `${intDigits}.${fracDigits}` : intDigits;
  return currency ? { value, currency } : { value };
}
