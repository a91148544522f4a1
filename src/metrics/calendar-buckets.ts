import { DateTime, IANAZone } from 'luxon';
import type { MetricWindow } from './types.js';

/** Consecutive periods (days, weeks, months) of the policy's time zone that cover a window. */
export interface Buckets {
  /** Each period's start as epoch ms, ascending; `starts[i]` to `starts[i + 1]` (or the window's end) is period i. */
  readonly starts: readonly number[];
  /** The local date each period starts on (YYYY-MM-DD). */
  readonly labels: readonly string[];
  readonly end: number;
}

/**
 * The days, ISO weeks (Monday first) and months of `zone` from those holding `since` to those holding
 * the last instant before `until`, worked out on the zone's wall clock: a day is 23 or 25 hours when
 * daylight saving changes, and an incident at 23:30 falls on the day it happened there. One pass over
 * the days with the zone's offset asked once or twice a day (a DateTime per day costs ten times more).
 */
export function calendarBuckets(window: MetricWindow): { days: Buckets; weeks: Buckets; months: Buckets } {
  const zone = IANAZone.create(window.zone);
  const end = window.until.getTime();
  const first = DateTime.fromJSDate(window.since, { zone: window.zone });
  const firstDay = first.startOf('day').toMillis();
  // Start at the earlier of the week's Monday and the month's 1st, so both buckets begin where they really do.
  const start = first.startOf('day').minus({ days: Math.max(first.weekday - 1, first.day - 1) });
  const days: number[] = [];
  const dayLabels: string[] = [];
  const weeks: number[] = [];
  const weekLabels: string[] = [];
  const months: number[] = [];
  const monthLabels: string[] = [];
  let offset = zone.offset(start.toMillis());
  for (let n = 0; ; n += 1) {
    const civil = new Date(Date.UTC(start.year, start.month - 1, start.day + n));
    const wall = civil.getTime();
    let midnight = wall - offset * 60_000;
    const actual = zone.offset(midnight);
    if (actual !== offset) {
      const other = wall - actual * 60_000;
      // Where the clocks skip midnight (São Paulo until 2019), the day starts at the first instant after the gap.
      midnight = zone.offset(other) === actual ? other : Math.max(midnight, other);
      offset = zone.offset(midnight);
    }
    if (midnight >= end) break;
    const label = `${civil.getUTCFullYear()}-${pad(civil.getUTCMonth() + 1)}-${pad(civil.getUTCDate())}`;
    // A week or month is in the calendar when any of its days is in the window.
    const nextMidnight = wall + 86_400_000 - offset * 60_000;
    if (civil.getUTCDay() === 1 || n === 0) {
      weeks.push(midnight);
      weekLabels.push(label);
    }
    if (civil.getUTCDate() === 1 || n === 0) {
      months.push(midnight);
      monthLabels.push(label);
    }
    if (midnight >= firstDay && nextMidnight > firstDay) {
      days.push(midnight);
      dayLabels.push(label);
    }
  }
  // The first week and month are those holding `since`: drop a leading one that ended before it.
  const trim = (starts: number[], labels: string[]) => {
    while (starts.length > 1 && (starts[1] as number) <= firstDay) {
      starts.shift();
      labels.shift();
    }
  };
  trim(weeks, weekLabels);
  trim(months, monthLabels);
  return { days: { starts: days, labels: dayLabels, end }, weeks: { starts: weeks, labels: weekLabels, end }, months: { starts: months, labels: monthLabels, end } };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The periods of `list` that overlap [from, to), cut to it: a week's days out of a year's, with no time-zone work. */
export function sliceBuckets(list: Buckets, from: number, to: number): Buckets {
  const starts: number[] = [];
  const labels: string[] = [];
  list.starts.forEach((start, index) => {
    const next = list.starts[index + 1] ?? list.end;
    if (next > from && start < to) {
      starts.push(Math.max(start, from));
      labels.push(list.labels[index] as string);
    }
  });
  return { starts, labels, end: Math.min(to, list.end) };
}

/** The period an instant falls in, or -1 outside them all. A binary search: no time-zone work per row. */
export function bucketOf(list: Buckets, epochMs: number): number {
  if (epochMs >= list.end || list.starts.length === 0 || epochMs < (list.starts[0] as number)) return -1;
  let low = 0;
  let high = list.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((list.starts[middle] as number) <= epochMs) low = middle;
    else high = middle - 1;
  }
  return low;
}
