/**
 * RFC 5545 recurrence rules on local (wall-clock) dates. Expanding on dates and converting to instants
 * afterwards is what keeps "Tuesday 10:00 in Los Angeles" a Tuesday at 10:00 across daylight-saving
 * changes. Supported: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, COUNT, UNTIL, BYDAY (with
 * ordinals such as 1TU or -1FR), BYMONTHDAY, BYMONTH, BYSETPOS and WKST. Time-of-day parts (BYHOUR…)
 * are refused: a train has one time, given by its start.
 */

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface RecurrenceRule {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  count: number | undefined;
  until: LocalDate | undefined;
  byDay: readonly { weekday: Weekday; ordinal: number | undefined }[];
  byMonthDay: readonly number[];
  byMonth: readonly number[];
  bySetPos: readonly number[];
  weekStart: Weekday;
}

export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export type RuleResult = { ok: true; rule: RecurrenceRule } | { ok: false; error: string };

const SUPPORTED = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST']);

export function parseRrule(text: string): RuleResult {
  const parts = new Map<string, string>();
  for (const part of text.trim().replace(/^RRULE:/i, '').split(';')) {
    if (part === '') continue;
    const [name, value] = part.split('=');
    if (!name || value === undefined || value === '') return { ok: false, error: `"${part}" is not NAME=VALUE` };
    const key = name.toUpperCase();
    if (!SUPPORTED.has(key)) return { ok: false, error: `${key} is not supported (supported: ${[...SUPPORTED].join(', ')})` };
    if (parts.has(key)) return { ok: false, error: `${key} appears twice` };
    parts.set(key, value.toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    return { ok: false, error: freq ? `FREQ=${freq} is not supported (DAILY, WEEKLY, MONTHLY or YEARLY)` : 'FREQ is required' };
  }
  const ints = (key: string, min: number, max: number, allowNegative = false): number[] | string => {
    const raw = parts.get(key);
    if (raw === undefined) return [];
    const values = raw.split(',').map(Number);
    const bad = values.find((v) => !Number.isInteger(v) || Math.abs(v) < min || Math.abs(v) > max || (!allowNegative && v < 0));
    return bad === undefined ? values : `${key}=${raw} is out of range`;
  };
  const interval = ints('INTERVAL', 1, 1000);
  const count = ints('COUNT', 1, 100_000);
  const byMonthDay = ints('BYMONTHDAY', 1, 31, true);
  const byMonth = ints('BYMONTH', 1, 12);
  const bySetPos = ints('BYSETPOS', 1, 366, true);
  for (const value of [interval, count, byMonthDay, byMonth, bySetPos]) if (typeof value === 'string') return { ok: false, error: value };

  const byDay: { weekday: Weekday; ordinal: number | undefined }[] = [];
  for (const item of parts.get('BYDAY')?.split(',') ?? []) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    const ordinal = match?.[1] === undefined ? undefined : Number(match[1]);
    if (!match || ordinal === 0 || (ordinal !== undefined && Math.abs(ordinal) > 53)) return { ok: false, error: `BYDAY value "${item}" is not like TU, 1TU or -1FR` };
    if (ordinal !== undefined && freq !== 'MONTHLY' && freq !== 'YEARLY') return { ok: false, error: `BYDAY=${item}: an ordinal needs FREQ=MONTHLY or YEARLY` };
    byDay.push({ weekday: match[2] as Weekday, ordinal });
  }
  const weekStart = parts.get('WKST') ?? 'MO';
  if (!WEEKDAYS.includes(weekStart as Weekday)) return { ok: false, error: `WKST=${weekStart} is not a weekday` };
  let until: LocalDate | undefined;
  const untilText = parts.get('UNTIL');
  if (untilText !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(untilText);
    until = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
    if (!until || !isValidDate(until)) return { ok: false, error: `UNTIL=${untilText} is not a date like 20271231` };
  }
  if (parts.has('COUNT') && until) return { ok: false, error: 'COUNT and UNTIL cannot both be set' };
  // RFC 5545 forbids these, and each would otherwise be read silently in some way of our own choosing.
  if (freq === 'WEEKLY' && parts.has('BYMONTHDAY')) return { ok: false, error: 'BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)' };
  if (parts.has('BYSETPOS') && !['BYDAY', 'BYMONTHDAY', 'BYMONTH'].some((key) => parts.has(key))) return { ok: false, error: 'BYSETPOS needs another BY part (BYDAY, BYMONTHDAY or BYMONTH) to pick from' };
  if (parts.has('BYSETPOS') && freq === 'DAILY') return { ok: false, error: 'BYSETPOS has nothing to pick from with FREQ=DAILY: each period is one day' };
  return {
    ok: true,
    rule: {
      freq,
      interval: (interval as number[])[0] ?? 1,
      count: (count as number[])[0],
      until,
      byDay,
      byMonthDay: byMonthDay as number[],
      byMonth: byMonth as number[],
      bySetPos: bySetPos as number[],
      weekStart: weekStart as Weekday,
    },
  };
}

/**
 * Dates of the rule from `start` (which counts only if it matches) up to and including `last`. With
 * `from`, whole periods before it are skipped rather than expanded (a daily train that started in 1900
 * need not walk 46,000 days to reach this year); the dates before `from` in the first period expanded
 * are still given. A rule with COUNT is always expanded from its start, since COUNT counts from there.
 */
export function* expandRule(rule: RecurrenceRule, start: LocalDate, last: LocalDate, from?: LocalDate): Generator<LocalDate> {
  const startDay = toDayNumber(start);
  const lastDay = Math.min(toDayNumber(last), rule.until ? toDayNumber(rule.until) : Infinity);
  let emitted = 0;
  const first = from === undefined || rule.count !== undefined ? 0 : periodsBefore(rule, start, from);
  for (let period = first; ; period += rule.interval) {
    const candidates = periodDates(rule, start, period);
    if (candidates.length === 0 && periodStart(rule, start, period) > lastDay) return;
    for (const day of candidates) {
      if (day < startDay) continue;
      if (day > lastDay) return;
      yield fromDayNumber(day);
      emitted += 1;
      if (rule.count !== undefined && emitted >= rule.count) return;
    }
    if (periodStart(rule, start, period) > lastDay) return;
  }
}

/** A multiple of the interval: the number of whole periods from `start` that end before `from`. */
function periodsBefore(rule: RecurrenceRule, start: LocalDate, from: LocalDate): number {
  const fromDay = toDayNumber(from);
  let periods: number;
  switch (rule.freq) {
    case 'DAILY':
      periods = fromDay - toDayNumber(start) - 1;
      break;
    case 'WEEKLY':
      periods = Math.floor((fromDay - weekStartOf(toDayNumber(start), rule.weekStart)) / 7) - 1;
      break;
    case 'MONTHLY':
      periods = from.year * 12 + from.month - (start.year * 12 + start.month) - 1;
      break;
    case 'YEARLY':
      periods = from.year - start.year - 1;
      break;
  }
  return Math.max(0, Math.floor(periods / rule.interval) * rule.interval);
}

function periodStart(rule: RecurrenceRule, start: LocalDate, period: number): number {
  switch (rule.freq) {
    case 'DAILY':
      return toDayNumber(start) + period;
    case 'WEEKLY':
      return weekStartOf(toDayNumber(start), rule.weekStart) + 7 * period;
    case 'MONTHLY':
      return toDayNumber(addMonths({ year: start.year, month: start.month, day: 1 }, period));
    case 'YEARLY':
      return toDayNumber({ year: start.year + period, month: 1, day: 1 });
  }
}

function periodEnd(rule: RecurrenceRule, start: LocalDate, period: number): number {
  switch (rule.freq) {
    case 'DAILY':
      return periodStart(rule, start, period);
    case 'WEEKLY':
      return periodStart(rule, start, period) + 6;
    case 'MONTHLY':
      return periodStart(rule, start, period + 1) - 1;
    case 'YEARLY':
      return toDayNumber({ year: start.year + period, month: 12, day: 31 });
  }
}

/**
 * The sorted day numbers the rule produces inside one period. Every day of the period is a candidate
 * and each BYxxx part keeps those it names, which is RFC 5545's expand/limit table read as filters (as
 * python-dateutil does): BYDAY ordinals count within the month, or within the year for a YEARLY rule
 * without BYMONTH. Parts the rule leaves out default to DTSTART's month, day and weekday as the RFC says.
 */
function periodDates(rule: RecurrenceRule, start: LocalDate, period: number): number[] {
  const from = periodStart(rule, start, period);
  const to = periodEnd(rule, start, period);
  const byDay = rule.byDay.length > 0;
  const byMonthDay = rule.byMonthDay.length > 0;
  const byMonth = rule.byMonth.length > 0;
  const startWeekday = weekdayOf(toDayNumber(start));
  const defaultDay = (rule.freq === 'MONTHLY' && !byDay && !byMonthDay) || (rule.freq === 'YEARLY' && !byDay && !byMonthDay);
  const defaultMonth = rule.freq === 'YEARLY' && !byDay && !byMonthDay && !byMonth;
  const yearScope = rule.freq === 'YEARLY' && !byMonth;
  let days: number[] = [];
  for (let day = from; day <= to; day += 1) {
    const date = fromDayNumber(day);
    if (byMonth && !rule.byMonth.includes(date.month)) continue;
    if (defaultMonth && date.month !== start.month) continue;
    if (defaultDay && date.day !== start.day) continue;
    if (rule.freq === 'WEEKLY' && !byDay && weekdayOf(day) !== startWeekday) continue;
    if (byMonthDay && !matchesMonthDay(rule.byMonthDay, date)) continue;
    if (byDay && !rule.byDay.some((entry) => matchesWeekday(entry, day, date, yearScope))) continue;
    days.push(day);
  }
  if (rule.bySetPos.length > 0) {
    const set = days;
    days = [...new Set(rule.bySetPos.map((pos) => (pos > 0 ? set[pos - 1] : set[set.length + pos])).filter((day): day is number => day !== undefined))].sort((a, b) => a - b);
  }
  return days;
}

function matchesMonthDay(byMonthDay: readonly number[], date: LocalDate): boolean {
  const length = daysInMonth(date.year, date.month);
  return byMonthDay.some((d) => (d > 0 ? d : length + d + 1) === date.day);
}

/** TU, or 2TU / -1TU: the second / last Tuesday of the month (or of the year). */
function matchesWeekday(entry: { weekday: Weekday; ordinal: number | undefined }, day: number, date: LocalDate, yearScope: boolean): boolean {
  if (weekdayOf(day) !== entry.weekday) return false;
  if (entry.ordinal === undefined) return true;
  const first = yearScope ? toDayNumber({ year: date.year, month: 1, day: 1 }) : toDayNumber({ year: date.year, month: date.month, day: 1 });
  const last = yearScope ? toDayNumber({ year: date.year, month: 12, day: 31 }) : toDayNumber({ year: date.year, month: date.month, day: daysInMonth(date.year, date.month) });
  const position = entry.ordinal > 0 ? Math.floor((day - first) / 7) + 1 : -(Math.floor((last - day) / 7) + 1);
  return position === entry.ordinal;
}

/**
 * The years shipgate plans releases in. A date outside them is a typo; far outside, a release calendar
 * around it reaches year 10000, which no YYYY-MM-DD can write.
 */
export const YEARS = { first: 1900, last: 2199 } as const;

/** Why a year is not one shipgate plans for, or undefined when it is. */
export function yearProblem(year: number): string | undefined {
  return year >= YEARS.first && year <= YEARS.last ? undefined : `${year} is outside the years shipgate plans for (${YEARS.first} to ${YEARS.last})`;
}

// Day numbers count days since 1970-01-01, so date arithmetic is integer arithmetic.
export function toDayNumber(date: LocalDate): number {
  return Math.floor(utc(date.year, date.month - 1, date.day) / 86_400_000);
}

/** Date.UTC, except that years 0 to 99 stay themselves (Date.UTC reads them as 1900 to 1999). */
function utc(year: number, monthIndex: number, day: number): number {
  if (year >= 100) return Date.UTC(year, monthIndex, day);
  const date = new Date(0);
  return date.setUTCFullYear(year, monthIndex, day);
}

export function fromDayNumber(day: number): LocalDate {
  const date = new Date(day * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function weekdayOf(day: number): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((day + 3) % 7) + 7) % 7] as Weekday;
}

function weekStartOf(day: number, weekStart: Weekday): number {
  const offset = (WEEKDAYS.indexOf(weekdayOf(day)) - WEEKDAYS.indexOf(weekStart) + 7) % 7;
  return day - offset;
}

function addMonths(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: date.day };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

export function isValidDate(date: LocalDate): boolean {
  return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysInMonth(date.year, date.month);
}

export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function parseLocalDate(text: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isValidDate(date) ? date : undefined;
}
