import { describe, expect, it } from 'vitest';
import { parseDate, todayIso } from '../../src/commands/dates.ts';
import type { ParseContext } from '../../src/commands/types.ts';

// Monday 2026-11-23, 18:00 in Shanghai.
const MON: ParseContext = { now: new Date('2026-11-23T10:00:00Z'), timezone: 'Asia/Shanghai' };
// Friday 2026-11-27 and Sunday 2026-11-29 in Shanghai.
const FRI: ParseContext = { now: new Date('2026-11-27T10:00:00Z'), timezone: 'Asia/Shanghai' };
const SUN: ParseContext = { now: new Date('2026-11-29T10:00:00Z'), timezone: 'Asia/Shanghai' };
// 2026-11-24T03:00Z is already Tuesday the 24th in Shanghai but still Monday the 23rd in Los Angeles.
const LATE = new Date('2026-11-24T03:00:00Z');
const LA: ParseContext = { now: LATE, timezone: 'America/Los_Angeles' };
const SH_LATE: ParseContext = { now: LATE, timezone: 'Asia/Shanghai' };

describe('parseDate on Monday 2026-11-23 (Asia/Shanghai)', () => {
  it.each([
    ['2026-12-31', '2026-12-31'],
    ['2026/12/31', '2026-12-31'],
    ['2026.1.5', '2026-01-05'],
    ['2028-02-29', '2028-02-29'],
    ['12/31/2026', '2026-12-31'],
    ['２０２６－１２－３１', '2026-12-31'],
    // month/day without a year: the next occurrence on or after today
    ['12/31', '2026-12-31'],
    ['11/23', '2026-11-23'],
    ['11/22', '2027-11-22'],
    ['1/15', '2027-01-15'],
    ['2/29', '2028-02-29'],
    ['31/12', '2026-12-31'],
    ['12月31日', '2026-12-31'],
    ['12月31号', '2026-12-31'],
    ['1月2日', '2027-01-02'],
    ['2026年12月31日', '2026-12-31'],
    ['today', '2026-11-23'],
    ['Today', '2026-11-23'],
    ['tomorrow', '2026-11-24'],
    ['tmr', '2026-11-24'],
    ['yesterday', '2026-11-22'],
    ['friday', '2026-11-27'],
    ['Friday', '2026-11-27'],
    ['fri', '2026-11-27'],
    ['fri.', '2026-11-27'],
    ['on fri', '2026-11-27'],
    ['monday', '2026-11-30'], // strictly after today
    ['sunday', '2026-11-29'],
    ['this friday', '2026-11-27'],
    ['next friday', '2026-12-04'], // Friday of next week
    ['next monday', '2026-11-30'],
    ['last friday', '2026-11-20'],
    ['+3d', '2026-11-26'],
    ['+ 3 d', '2026-11-26'],
    ['+2w', '2026-12-07'],
    ['+1m', '2026-12-23'],
    ['+1y', '2027-11-23'],
    ['in 3 days', '2026-11-26'],
    ['in a week', '2026-11-30'],
    ['in 2 weeks', '2026-12-07'],
    ['in 1 month', '2026-12-23'],
    ['今天', '2026-11-23'],
    ['明天', '2026-11-24'],
    ['明天。', '2026-11-24'],
    ['后天', '2026-11-25'],
    ['大后天', '2026-11-26'],
    ['昨天', '2026-11-22'],
    ['前天', '2026-11-21'],
    ['周五', '2026-11-27'],
    ['星期五', '2026-11-27'],
    ['礼拜五', '2026-11-27'],
    ['周日', '2026-11-29'],
    ['星期天', '2026-11-29'],
    ['周一', '2026-11-30'],
    ['本周五', '2026-11-27'],
    ['这周一', '2026-11-23'],
    ['下周五', '2026-12-04'],
    ['下周一', '2026-11-30'],
    ['下下周五', '2026-12-11'],
    ['上周五', '2026-11-20'],
    ['3天后', '2026-11-26'],
    ['三天后', '2026-11-26'],
    ['十天后', '2026-12-03'],
    ['两周后', '2026-12-07'],
    ['1个月后', '2026-12-23'],
    ['月底', '2026-11-30'],
    ['end of month', '2026-11-30'],
    // chrono fallback
    ['dec 31', '2026-12-31'],
    ['December 31st', '2026-12-31'],
    ['3 weeks from now', '2026-12-14'],
  ])('%s → %s', (text, expected) => {
    expect(parseDate(text, MON)).toBe(expected);
  });
});

describe('parseDate weekday rules on other days', () => {
  it.each([
    [FRI, 'friday', '2026-12-04'], // said on a Friday: a week later
    [FRI, '周五', '2026-12-04'],
    [FRI, 'this friday', '2026-11-27'],
    [FRI, '本周五', '2026-11-27'],
    [FRI, 'next friday', '2026-12-04'],
    [FRI, '下周五', '2026-12-04'],
    [FRI, 'last friday', '2026-11-20'],
    [FRI, 'sunday', '2026-11-29'],
    [SUN, 'friday', '2026-12-04'],
    [SUN, '周五', '2026-12-04'],
    [SUN, 'this friday', '2026-11-27'], // this week's, even though it has passed
    [SUN, '下周五', '2026-12-04'],
    [SUN, '周日', '2026-12-06'],
    [SUN, 'last friday', '2026-11-27'],
  ])('%#: %s', (ctx, text, expected) => {
    expect(parseDate(text, ctx)).toBe(expected);
  });
});

describe('parseDate uses the speaker’s time zone', () => {
  it.each([
    [LA, 'today', '2026-11-23'],
    [SH_LATE, 'today', '2026-11-24'],
    [LA, 'tomorrow', '2026-11-24'],
    [SH_LATE, 'tomorrow', '2026-11-25'],
    [LA, '明天', '2026-11-24'],
    [LA, 'friday', '2026-11-27'],
    [LA, '11/23', '2026-11-23'],
    [SH_LATE, '11/23', '2027-11-23'],
    [LA, '+3d', '2026-11-26'],
    [SH_LATE, '+3d', '2026-11-27'],
    [LA, 'dec 31', '2026-12-31'],
  ])('%#: %s', (ctx, text, expected) => {
    expect(parseDate(text, ctx)).toBe(expected);
  });

  it('todayIso follows the zone too', () => {
    expect(todayIso(LA)).toBe('2026-11-23');
    expect(todayIso(SH_LATE)).toBe('2026-11-24');
  });

  it('an unknown zone falls back to UTC', () => {
    expect(parseDate('today', { now: LATE, timezone: 'Mars/Olympus' })).toBe('2026-11-24');
  });
});

describe('parseDate: rejected', () => {
  it.each([
    [''],
    ['   '],
    ['frday'],
    ['asdf'],
    ['call bob friday'],
    ['10:30'],
    ['2026-02-30'],
    ['2026-13-01'],
    ['2026年2月29日'],
    ['32/1'],
    ['13/13'],
    ['+3x'],
    ['in 3 parsecs'],
    ['0/5'],
  ])('%s', (text) => {
    expect(parseDate(text, MON)).toBeNull();
  });
});
