import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { bucketOf, calendarBuckets } from './calendar-buckets.js';

/** The plain way: a luxon DateTime per period (what calendarBuckets does faster); startOf again, since the day after a skipped midnight starts at midnight. */
function reference(since: Date, until: Date, zone: string, unit: 'day' | 'week' | 'month'): number[] {
  const starts: number[] = [];
  for (let cursor = DateTime.fromJSDate(since, { zone }).startOf(unit); cursor.toMillis() < until.getTime(); cursor = cursor.plus({ [`${unit}s`]: 1 }).startOf(unit)) starts.push(cursor.toMillis());
  return starts;
}

describe('calendarBuckets', () => {
  it('gives the days, weeks and months a DateTime per period gives, across daylight saving changes', () => {
    const zones = ['America/Los_Angeles', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 1, max: 500 * 86_400_000 }), fc.constantFrom(...zones), (start, length, zone) => {
        const since = new Date(start);
        const until = new Date(start + length);
        const calendar = calendarBuckets({ since, until, zone });
        expect(calendar.days.starts).toEqual(reference(since, until, zone, 'day'));
        expect(calendar.weeks.starts).toEqual(reference(since, until, zone, 'week'));
        expect(calendar.months.starts).toEqual(reference(since, until, zone, 'month'));
      }),
      { numRuns: 60 },
    );
  });

  it('puts 23:30 on the day it is in the zone, not in UTC', () => {
    const zone = 'America/Los_Angeles';
    const calendar = calendarBuckets({ since: new Date('2026-02-10T08:00:00Z'), until: new Date('2026-02-12T08:00:00Z'), zone });
    expect(calendar.days.labels).toEqual(['2026-02-10', '2026-02-11']);
    expect(bucketOf(calendar.days, Date.parse('2026-02-11T07:30:00Z'))).toBe(0);
    expect(bucketOf(calendar.days, Date.parse('2026-02-11T08:00:00Z'))).toBe(1);
    expect(bucketOf(calendar.days, Date.parse('2026-02-12T08:00:00Z'))).toBe(-1);
  });
});
