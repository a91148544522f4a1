import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { buildCalendar } from './build-calendar.js';

const policy = builtinPolicy();
const zone = 'America/Los_Angeles';
const local = (iso: string) => DateTime.fromISO(iso, { zone });

function eventsOf(p: Policy, train: string, fromYear: number, years: number) {
  const from = DateTime.fromObject({ year: fromYear, month: 1, day: 1 }, { zone }).toJSDate();
  const to = DateTime.fromObject({ year: fromYear + years, month: 1, day: 1 }, { zone }).toJSDate();
  return buildCalendar(p, { from, to, trains: [train] }).events;
}

const span = fc.record({ year: fc.integer({ min: 2026, max: 2090 }), years: fc.integer({ min: 1, max: 6 }) });

describe('release calendar properties, over many years and every DST change in them', () => {
  it('module releases are Tuesdays at 10:00 Los Angeles time, 14 days apart', () => {
    fc.assert(
      fc.property(span, ({ year, years }) => {
        const events = eventsOf(policy, 'module', year, years);
        expect(events.length).toBeGreaterThanOrEqual(26 * years - 1);
        for (const [index, event] of events.entries()) {
          const at = local(event.at);
          expect(at.weekday).toBe(2);
          expect([at.hour, at.minute]).toEqual([10, 0]);
          const previous = events[index - 1];
          if (previous) expect(at.startOf('day').diff(local(previous.at).startOf('day'), 'days').days).toBe(14);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('platform releases fall on day 1-7 and product releases on day 8-14, Tuesdays at 10:00, once a month', () => {
    fc.assert(
      fc.property(span, ({ year, years }) => {
        for (const [train, first, last] of [['platform', 1, 7], ['product', 8, 14]] as const) {
          const events = eventsOf(policy, train, year, years);
          expect(events).toHaveLength(12 * years);
          for (const event of events) {
            const at = local(event.at);
            expect(at.day).toBeGreaterThanOrEqual(first);
            expect(at.day).toBeLessThanOrEqual(last);
            expect([at.weekday, at.hour, at.minute]).toEqual([2, 10, 0]);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('every freeze starts 2 days before its release on the wall clock, and production is 24 real hours after staging', () => {
    fc.assert(
      fc.property(span, fc.constantFrom('module', 'platform', 'product'), ({ year, years }, train) => {
        for (const event of eventsOf(policy, train, year, years)) {
          const release = local(event.at);
          const freeze = local(event.freeze.start);
          expect(freeze.toFormat('yyyy-MM-dd HH:mm')).toBe(release.minus({ days: 2 }).toFormat('yyyy-MM-dd HH:mm'));
          expect(freeze.weekday).toBe(7);
          expect(event.freeze.end).toBe(event.at);
          const [staging, production] = event.deployments;
          expect(staging?.at).toBe(event.at);
          expect(Date.parse(production!.at) - Date.parse(staging!.at)).toBe(24 * 3_600_000);
          const notice = event.notices.find((n) => n.id === 'pre-release-notice');
          expect(local(notice!.at).toFormat('yyyy-MM-dd HH:mm')).toBe(release.minus({ days: 7 }).toFormat('yyyy-MM-dd HH:mm'));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('daylight-saving changes', () => {
  it('keeps 10:00 local when the release is just after the spring change (UTC offset moves from -8 to -7)', () => {
    const [product] = eventsOf(policy, 'product', 2026, 1).filter((e) => e.date === '2026-03-10');
    // 2026-03-08 is the US spring-forward Sunday; 10:00 PDT is 17:00 UTC.
    expect(product?.at).toBe('2026-03-10T10:00:00-07:00');
    expect(new Date(product!.at).toISOString()).toBe('2026-03-10T17:00:00.000Z');
    // The freeze starts on the change day itself, still at 10:00 on the wall clock.
    expect(product?.freeze.start).toBe('2026-03-08T10:00:00-07:00');
  });

  it('gives production 24 real hours after staging across the autumn change', () => {
    const p = builtinPolicy();
    const shifted = { ...p, trains: { ...p.trains, module: { ...p.trains.module!, cadence: { rrule: 'FREQ=WEEKLY;BYDAY=SA', start: '2026-10-31T10:00' } } } };
    const event = eventsOf(shifted, 'module', 2026, 1).find((e) => e.date === '2026-10-31');
    // 2026-11-01 02:00 PDT falls back to 01:00 PST, so 24 h after 10:00 PDT is 09:00 PST.
    expect(event?.deployments[1]?.at).toBe('2026-11-01T09:00:00-08:00');
  });
});

describe('blackouts', () => {
  const withBlackout = (action: 'skip' | 'next' | 'previous'): Policy => ({
    ...policy,
    blackouts: [{ name: 'year-end', from: '2026-12-21', to: '2027-01-04', trains: null, action }],
  });

  it('skips releases inside a skip blackout and reports them', () => {
    const result = buildCalendar(withBlackout('skip'), { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-31T00:00:00Z'), trains: ['module'] });
    expect(result.events.map((e) => e.date)).toEqual(['2026-12-08', '2027-01-05', '2027-01-19']);
    expect(result.skipped).toEqual([{ train: 'module', date: '2026-12-22', blackout: 'year-end' }]);
  });

  it('moves a release to the same weekday after the blackout with "next", and before it with "previous"', () => {
    const next = buildCalendar(withBlackout('next'), { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-31T00:00:00Z'), trains: ['module'] });
    // 2026-12-22 moves to 2027-01-05, which the train already has: one release, not two.
    expect(next.events.map((e) => e.date)).toEqual(['2026-12-08', '2027-01-05', '2027-01-19']);
    const previous = buildCalendar(withBlackout('previous'), { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-31T00:00:00Z'), trains: ['module'] });
    expect(previous.events.map((e) => [e.date, e.shiftedFrom?.date ?? null])).toEqual([
      ['2026-12-08', null], ['2026-12-15', '2026-12-22'], ['2027-01-05', null], ['2027-01-19', null],
    ]);
  });

  it('applies a blackout only to the trains it names', () => {
    const p = { ...policy, blackouts: [{ name: 'audit', from: '2026-12-01', to: '2026-12-01', trains: ['platform'], action: 'skip' as const }] };
    const result = buildCalendar(p, { from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') });
    expect(result.events.map((e) => e.train)).toEqual([]);
    expect(result.skipped.map((s) => s.train)).toEqual(['platform']);
  });
});
