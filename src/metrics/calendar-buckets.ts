import { DateTime } from 'luxon';
import type { MetricWindow } from './types.js';

/** Consecutive periods (days, weeks, months) of the policy's time zone that cover a window. */
export interface Buckets {
  /** Each period's start as epoch ms, ascending; `starts[i]` to `starts[i + 1]` (or the window's end) is period i. */
  readonly starts: readonly number[];
  /** The local date each period starts on (YYYY-MM-DD). */
  readonly labels: readonly string[];
  readonly end: number;
}

export type Unit = 'day' | 'week' | 'month';

/**
 * The days, ISO weeks (Monday first) or months of `zone` from the one holding `since` to the one
 * holding the last instant before `until`. Worked out on the zone's wall clock, so a day is 23 or 25
 * hours when daylight saving changes and an incident at 23:30 falls on the day it happened there.
 */
export function buckets(window: MetricWindow, unit: Unit): Buckets {
  const starts: number[] = [];
  const labels: string[] = [];
  const end = window.until.getTime();
  let cursor = DateTime.fromJSDate(window.since, { zone: window.zone }).startOf(unit === 'week' ? 'week' : unit);
  while (cursor.toMillis() < end) {
    starts.push(cursor.toMillis());
    labels.push(cursor.toISODate() as string);
    cursor = cursor.plus({ [`${unit}s`]: 1 });
  }
  return { starts, labels, end };
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
