// Reads a calendar date the way a salesperson types it, in their own time zone.
// The common forms are handled by the tables below so they never depend on chrono's heuristics;
// chrono-node (en + zh.hans) is only the fallback for other natural phrasings.
//
// Rules (all relative to "today" = ctx.now seen in ctx.timezone):
// - `friday` / `fri` / `周五` / `星期五` / `礼拜五`: the next such day strictly AFTER today
//   (said on a Friday it means a week later). For Chinese this is the same as "this week's if still
//   ahead, else next week's", since weeks start on Monday.
// - `this friday` / `本周五` / `这周五`: Friday of the current Monday-based week, even if passed.
// - `next friday` / `下周五`: Friday of NEXT Monday-based week (on Monday 23rd: Dec 4, not Nov 27).
//   `下下周五` is the week after; `上周五` / `last friday` go back.
// - `12/31`, `12月31日` (no year): the next occurrence on or after today.
// - `+3d` `+2w` `+1m` `+1y`, `in 3 days`, `3天后`: calendar arithmetic; months clamp to month end.
// - Impossible dates (2026-02-30) are rejected, never rolled over.
import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';
import { table } from './table.ts';
import type { ParseContext } from './types.ts';

const ISO = 'yyyy-MM-dd';

/** Today in the speaker's zone; an unknown zone falls back to UTC rather than failing the command. */
export function today(ctx: ParseContext): DateTime {
  const zone = IANAZone.isValidZone(ctx.timezone) ? ctx.timezone : 'UTC';
  return DateTime.fromJSDate(ctx.now, { zone }).startOf('day');
}

export function todayIso(ctx: ParseContext): string {
  return today(ctx).toFormat(ISO);
}

const EN_WEEKDAYS = table<number>({
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  weds: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
});
const ZH_WEEKDAYS = table<number>({ 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 });
const ZH_DIGITS = table<number>({
  零: 0,
  一: 1,
  两: 2,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
});
const RELATIVE_DAYS = table<number>({
  today: 0,
  tod: 0,
  tomorrow: 1,
  tmr: 1,
  tmrw: 1,
  yesterday: -1,
  今天: 0,
  今日: 0,
  明天: 1,
  明日: 1,
  后天: 2,
  大后天: 3,
  昨天: -1,
  昨日: -1,
  前天: -2,
});
type Unit = 'days' | 'weeks' | 'months' | 'years';
const UNITS = table<Unit>({
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  wk: 'weeks',
  wks: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  m: 'months',
  mo: 'months',
  month: 'months',
  months: 'months',
  y: 'years',
  yr: 'years',
  year: 'years',
  years: 'years',
  天: 'days',
  日: 'days',
  周: 'weeks',
  星期: 'weeks',
  个星期: 'weeks',
  个礼拜: 'weeks',
  礼拜: 'weeks',
  个月: 'months',
  年: 'years',
});

/** 1–99 written as digits or simple Chinese numerals (三, 十, 十五, 二十). */
function readCount(s: string): number | null {
  if (/^\d{1,4}$/.test(s)) return Number(s);
  if (s === 'a' || s === 'an' || s === 'one') return 1;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  if (!m[2]) return m[1] && !m[3] ? (ZH_DIGITS.get(m[1]) ?? null) : null;
  return (m[1] ? (ZH_DIGITS.get(m[1]) ?? 0) : 1) * 10 + (m[3] ? (ZH_DIGITS.get(m[3]) ?? 0) : 0);
}

function exact(y: number, m: number, d: number): DateTime | null {
  const dt = DateTime.fromObject({ year: y, month: m, day: d }, { zone: 'UTC' });
  return dt.isValid ? dt : null;
}

/** Month/day without a year: this year's if not yet past, else the next year that has it (Feb 29). */
function nextMonthDay(base: DateTime, m: number, d: number): DateTime | null {
  for (let y = base.year; y <= base.year + 8; y++) {
    const dt = exact(y, m, d);
    if (dt && dt.toFormat(ISO) >= base.toFormat(ISO)) return dt;
  }
  return null;
}

function weekdayAfter(base: DateTime, wd: number): DateTime {
  return base.plus({ days: (wd - base.weekday + 7) % 7 || 7 });
}

/** `weeks` = 0 this week, 1 next week, -1 last week (Monday-based). */
function weekdayOfWeek(base: DateTime, wd: number, weeks: number): DateTime {
  return base.minus({ days: base.weekday - 1 }).plus({ days: 7 * weeks + wd - 1 });
}

function normalize(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.,;!?。，；！？]+$/, '');
}

function fromTables(t: string, base: DateTime): DateTime | null | undefined {
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/.exec(t);
  if (ymd) return exact(+ymd[1], +ymd[2], +ymd[3]);
  const mdy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (mdy) return exact(+mdy[3], +mdy[1], +mdy[2]);
  const zhMonthDay = /^(\d{1,2})月(\d{1,2})[日号]?$/.exec(t);
  if (zhMonthDay) return nextMonthDay(base, +zhMonthDay[1], +zhMonthDay[2]);
  const monthDay = /^(\d{1,2})[/-](\d{1,2})$/.exec(t);
  if (monthDay) {
    // Month first (US and Chinese habit); `31/12` can only be day first, so it is read that way.
    const [a, b] = [+monthDay[1], +monthDay[2]];
    return a > 12 && b <= 12 ? nextMonthDay(base, b, a) : nextMonthDay(base, a, b);
  }
  const relative = RELATIVE_DAYS.get(t);
  if (relative !== undefined) return base.plus({ days: relative });
  const enOffset = /^\+ ?(\d{1,4}) ?([a-z]+)$/.exec(t) ?? /^in (\d{1,4}|an?|one) ([a-z]+)$/.exec(t);
  if (enOffset) {
    const unit = UNITS.get(enOffset[2]);
    const n = readCount(enOffset[1]);
    // `+3m` is three months: minutes make no sense for a calendar date.
    return unit && n !== null ? base.plus({ [unit]: n }) : undefined;
  }
  const zhOffset =
    /^(\d{1,4}|[一二两三四五六七八九十]{1,3}) ?(个星期|个礼拜|个月|天|日|周|星期|礼拜|年)(?:以后|之后|后)$/.exec(t);
  if (zhOffset) {
    const n = readCount(zhOffset[1]);
    const unit = UNITS.get(zhOffset[2]);
    return n === null || !unit ? undefined : base.plus({ [unit]: n });
  }
  const enWeekday = /^(?:(on|this|next|last) )?([a-z]+)$/.exec(t);
  const enDay = enWeekday ? EN_WEEKDAYS.get(enWeekday[2]) : undefined;
  if (enWeekday && enDay !== undefined) {
    const wd = enDay;
    if (enWeekday[1] === 'this') return weekdayOfWeek(base, wd, 0);
    if (enWeekday[1] === 'next') return weekdayOfWeek(base, wd, 1);
    if (enWeekday[1] === 'last') return base.minus({ days: (base.weekday - wd + 7) % 7 || 7 });
    return weekdayAfter(base, wd);
  }
  const zhWeekday = /^(本|这个?|下下个?|下个?|上个?)?(?:周|星期|礼拜)([一二三四五六日天])$/.exec(t);
  if (zhWeekday) {
    const wd = ZH_WEEKDAYS.get(zhWeekday[2]) ?? 7;
    const p = zhWeekday[1] ?? '';
    if (p === '') return weekdayAfter(base, wd);
    const weeks = p.startsWith('下下') ? 2 : p.startsWith('下') ? 1 : p.startsWith('上') ? -1 : 0;
    return weekdayOfWeek(base, wd, weeks);
  }
  if (t === '月底' || t === '本月底' || t === 'end of month' || t === 'eom') return base.endOf('month').startOf('day');
  return undefined;
}

/** Whole-text chrono match only: a date found inside other words ("call bob friday") is not a date. */
function fromChrono(original: string, t: string, ctx: ParseContext, base: DateTime): DateTime | null {
  const ref = { instant: ctx.now, timezone: base.offset };
  for (const parser of [chrono.en.casual, chrono.zh.hans.casual]) {
    for (const input of [original.trim(), t]) {
      const results = parser.parse(input, ref, { forwardDate: true });
      const r = results[0];
      if (results.length === 1 && r.index === 0 && r.text.length === input.length) {
        return exact(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!);
      }
    }
  }
  return null;
}

/** The years a deal date may fall in: wide enough for any real deal, narrow enough that every
 * date is a plain `YYYY-MM-DD` the database stores without complaint (year 0000 is not). */
export const DATE_RANGE = { min: 1900, max: 2200 } as const;

/** A date read by parseDate lies inside DATE_RANGE. */
export function dateInRange(iso: string): boolean {
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(iso);
  return Boolean(m && +m[1] >= DATE_RANGE.min && +m[1] <= DATE_RANGE.max);
}

/** A calendar date as `YYYY-MM-DD` in ctx.timezone, or null when the text is not a (possible) date. */
export function parseDate(text: string, ctx: ParseContext): string | null {
  // Checked before normalising: the normaliser's regexes must never see a 100 KB "date".
  if (text.length > 120) return null;
  const t = normalize(text);
  if (t === '' || t.length > 60) return null;
  const base = today(ctx);
  const tabled = fromTables(t, base);
  if (tabled !== undefined) return tabled ? tabled.toFormat(ISO) : null;
  // Digits the tables refused (2026-13-01) must not reach chrono's guesses, and a bare time
  // (10:30) is not a day.
  if (/^[\d\s/.:-]+$/.test(t)) return null;
  return fromChrono(text, t, ctx, base)?.toFormat(ISO) ?? null;
}
