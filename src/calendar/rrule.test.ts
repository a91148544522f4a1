import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysInMonth, expandRule, formatLocalDate, fromDayNumber, parseRrule, toDayNumber, weekdayOf, type LocalDate, type RecurrenceRule } from './rrule.js';

function rule(text: string): RecurrenceRule {
  const parsed = parseRrule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
}

const d = (text: string): LocalDate => {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

const dates = (rrule: string, start: string, last: string) => [...expandRule(rule(rrule), d(start), d(last))].map(formatLocalDate);

// Expected dates below were read off a calendar (Python's datetime), not from this code.
describe('expandRule', () => {
  it('gives the first Tuesday of every month of 2026', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=1TU', '2026-01-06', '2026-12-31')).toEqual([
      '2026-01-06', '2026-02-03', '2026-03-03', '2026-04-07', '2026-05-05', '2026-06-02',
      '2026-07-07', '2026-08-04', '2026-09-01', '2026-10-06', '2026-11-03', '2026-12-01',
    ]);
  });

  it('gives the second Tuesday of every month of 2027', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=2TU', '2026-01-13', '2027-12-31').slice(12)).toEqual([
      '2027-01-12', '2027-02-09', '2027-03-09', '2027-04-13', '2027-05-11', '2027-06-08',
      '2027-07-13', '2027-08-10', '2027-09-14', '2027-10-12', '2027-11-09', '2027-12-14',
    ]);
  });

  it('gives every other Tuesday from the anchor', () => {
    expect(dates('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', '2026-01-06', '2026-03-31')).toEqual([
      '2026-01-06', '2026-01-20', '2026-02-03', '2026-02-17', '2026-03-03', '2026-03-17', '2026-03-31',
    ]);
  });

  it('expresses "first Tuesday" as Tuesday on days 1-7 too', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=1,2,3,4,5,6,7', '2026-01-01', '2026-12-31')).toEqual(
      dates('FREQ=MONTHLY;BYDAY=1TU', '2026-01-01', '2026-12-31'),
    );
  });

  it('handles the last Friday, BYSETPOS and COUNT', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', '2026-01-01', '2026-12-31')).toEqual(['2026-01-30', '2026-02-27', '2026-03-27']);
    // last weekday of the month
    expect(dates('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2026-01-01', '2026-03-31')).toEqual(['2026-01-30', '2026-02-27', '2026-03-31']);
  });

  it('stops at UNTIL and does not count a start that does not match', () => {
    expect(dates('FREQ=WEEKLY;BYDAY=TU;UNTIL=20260120', '2026-01-01', '2026-12-31')).toEqual(['2026-01-06', '2026-01-13', '2026-01-20']);
  });

  it('keeps a quarterly yearly rule in its months', () => {
    expect(dates('FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=1WE', '2026-01-01', '2026-12-31')).toEqual(['2026-01-07', '2026-04-01', '2026-07-01', '2026-10-07']);
  });
});

describe('parseRrule', () => {
  it.each([
    ['FREQ=HOURLY', /FREQ=HOURLY is not supported/],
    ['INTERVAL=2', /FREQ is required/],
    ['FREQ=WEEKLY;BYDAY=1TU', /ordinal needs FREQ=MONTHLY/],
    ['FREQ=MONTHLY;BYDAY=XX', /BYDAY value "XX"/],
    ['FREQ=DAILY;BYHOUR=10', /BYHOUR is not supported/],
    ['FREQ=DAILY;COUNT=2;UNTIL=20270101', /COUNT and UNTIL/],
    ['FREQ=DAILY;UNTIL=20270230', /UNTIL=20270230/],
    ['FREQ=DAILY;INTERVAL=0', /INTERVAL=0 is out of range/],
  ])('rejects %s with a reason', (text, message) => {
    const parsed = parseRrule(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  // Worked out by hand on a 2026 calendar, for the RFC 5545 readings the rrule.js comparison leaves out.
  it('takes every weekday, and no Saturday, from FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', () => {
    expect(dates('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', '2026-01-01', '2026-01-12')).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-12',
    ]);
  });

  it('unites plain and numbered BYDAY entries: every Monday and the last Thursday', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=MO,-1TH', '2026-01-01', '2026-01-31')).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-01-29']);
  });

  it('counts BYDAY ordinals within the year for a YEARLY rule without BYMONTH', () => {
    // Mondays of 2026: Jan 5 is the first, so the 20th is May 18; the last Monday is Dec 28.
    expect(dates('FREQ=YEARLY;BYDAY=20MO', '2026-01-01', '2026-12-31')).toEqual(['2026-05-18']);
    expect(dates('FREQ=YEARLY;BYDAY=-1MO', '2026-01-01', '2026-12-31')).toEqual(['2026-12-28']);
  });

  it('picks from the whole period with BYSETPOS, and never past its start', () => {
    // Weekdays of January 2026: Jan 1 (Thu) is the first, Jan 30 (Fri) the last, Jan 29 the one before.
    expect(dates('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1,-2', '2026-01-01', '2026-01-31')).toEqual(['2026-01-01', '2026-01-29', '2026-01-30']);
    // One Monday a week: the second-to-last of a one-day set does not exist.
    expect(dates('FREQ=WEEKLY;BYDAY=MO;BYSETPOS=-2', '2026-01-05', '2026-02-28')).toEqual([]);
    // Two positions naming the same day give it once.
    expect(dates('FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1,-1', '2026-01-05', '2026-01-18')).toEqual(['2026-01-05', '2026-01-12']);
  });

  it('refuses what RFC 5545 forbids', () => {
    expect(parseRrule('FREQ=WEEKLY;BYMONTHDAY=1')).toEqual({ ok: false, error: 'BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)' });
    expect(parseRrule('FREQ=MONTHLY;BYSETPOS=1').ok).toBe(false);
    expect(parseRrule('FREQ=DAILY;BYDAY=MO;BYSETPOS=1').ok).toBe(false);
  });
});

describe('day numbers', () => {
  it('are exact for years before 100, which Date.UTC reads as 1900 to 1999', () => {
    // Proleptic Gregorian, as Python's datetime counts: 0001-01-01 was a Monday, 719,162 days before 1970-01-01.
    expect(toDayNumber(d('0001-01-01'))).toBe(-719_162);
    expect(weekdayOf(toDayNumber(d('0001-01-01')))).toBe('MO');
    expect(formatLocalDate(fromDayNumber(toDayNumber(d('0099-12-31'))))).toBe('0099-12-31');
    expect(daysInMonth(4, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
  });
});

describe('expandRule from a later day', () => {
  it('gives exactly the dates a full expansion gives from that day on (property)', () => {
    const rrule = fc.tuple(
      fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
      fc.integer({ min: 1, max: 5 }),
      fc.constantFrom('', ';BYDAY=TU', ';BYDAY=MO,FR', ';BYMONTHDAY=-1', ';BYMONTHDAY=31', ';BYDAY=1TU', ';BYDAY=-1FR;BYSETPOS=1', ';BYMONTH=2,11', ';WKST=SU;BYDAY=SU,SA'),
    ).map(([freq, interval, rest]) => `FREQ=${freq};INTERVAL=${interval}${rest}`.replace(/FREQ=(DAILY|WEEKLY);INTERVAL=(\d+);BYDAY=1TU/, 'FREQ=$1;INTERVAL=$2;BYDAY=TU').replace(/FREQ=(DAILY|WEEKLY);INTERVAL=(\d+);BYDAY=-1FR/, 'FREQ=$1;INTERVAL=$2;BYDAY=FR'));
    const day = fc.integer({ min: toDayNumber(d('1990-01-01')), max: toDayNumber(d('2030-12-31')) });
    fc.assert(
      fc.property(rrule, day, fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 400 }), (text, startDay, offset, span) => {
        const parsed = parseRrule(text);
        if (!parsed.ok) return;
        const start = fromDayNumber(startDay);
        const from = fromDayNumber(startDay + offset);
        const last = fromDayNumber(startDay + offset + span);
        const after = (dates: Iterable<LocalDate>) => [...dates].map(toDayNumber).filter((n) => n >= toDayNumber(from));
        expect(after(expandRule(parsed.rule, start, last, from))).toEqual(after(expandRule(parsed.rule, start, last)));
      }),
      { numRuns: 300 },
    );
  });
});
