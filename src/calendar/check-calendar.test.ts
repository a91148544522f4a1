import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { checkCalendarText } from './check-calendar.js';

const policy = builtinPolicy();
// The "Release Calendar" section of shared/policy/RELEASE-POLICY.md, copied as it is.
const policyTable = readFileSync(new URL('../../test/fixtures/calendar/policy-2026-q1.md', import.meta.url), 'utf8');

describe('checkCalendarText on the policy document\'s own 2026 Q1 table', () => {
  const result = checkCalendarText(policy, policyTable)!;

  it('finds every row wrong: each date in it is a Wednesday', () => {
    expect(result.rows).toBe(6);
    expect(result.findings.map((f) => [f.line, f.date])).toEqual([
      [7, '2026-02-11'], [8, '2026-02-18'], [9, '2026-02-25'], [10, '2026-03-04'], [11, '2026-03-11'], [12, '2026-03-18'],
    ]);
    for (const finding of result.findings) expect(finding.problems[0]).toBe('is a Wednesday, not a Tuesday');
  });

  it('gives the date the policy would: first/second Tuesday of the same month, nearest biweekly Tuesday', () => {
    // Checked on a calendar: Feb 2026 first Tuesday = 3rd, second = 10th; Mar: 3rd and 10th;
    // the module train from 2026-01-06 runs Feb 3, Feb 17, Mar 3, Mar 17.
    expect(result.findings.map((f) => [f.train, f.expected])).toEqual([
      ['platform', '2026-02-03'], ['module', '2026-02-17'], ['product', '2026-02-10'],
      ['platform', '2026-03-03'], ['module', '2026-03-17'], ['product', '2026-03-10'],
    ]);
  });
});

describe('checkCalendarText', () => {
  it('accepts a correct calendar written by hand', () => {
    // Read off a 2026 wall calendar: first Tuesdays (platform), second Tuesdays (product), and every other
    // Tuesday from 2026-01-06 (module), January to June.
    const rows = [
      ['Jan 6', 'Platform Release'], ['Jan 6', 'Module Release'], ['Jan 13', 'Product Release'], ['Jan 20', 'Module Release'],
      ['Feb 3', 'Platform Release'], ['Feb 3', 'Module Release'], ['Feb 10', 'Product Release'], ['Feb 17', 'Module Release'],
      ['Mar 3', 'Platform Release'], ['Mar 3', 'Module Release'], ['Mar 10', 'Product Release'], ['Mar 17', 'Module Release'], ['Mar 31', 'Module Release'],
      ['Apr 7', 'Platform Release'], ['Apr 14', 'Product Release'], ['Apr 14', 'Module Release'], ['Apr 28', 'Module Release'],
      ['May 5', 'Platform Release'], ['May 12', 'Product Release'], ['May 12', 'Module Release'], ['May 26', 'Module Release'],
      ['Jun 2', 'Platform Release'], ['Jun 9', 'Product Release'], ['Jun 9', 'Module Release'], ['Jun 23', 'Module Release'],
    ];
    const text = `### 2026 H1\n\n| Date | Event | Version |\n|---|---|---|\n${rows.map(([date, event]) => `| ${date} | ${event} | TBD |`).join('\n')}\n`;
    const result = checkCalendarText(policy, text)!;
    expect(result.rows).toBe(25);
    expect(result.findings).toEqual([]);
  });

  it('finds the one wrong row of a hand-written calendar', () => {
    const text = '### 2026\n| Date | Event |\n|---|---|\n| Apr 7 | Platform Release |\n| Apr 21 | Module Release |\n| Apr 28 | Module Release |\n| Nov 10 | Product Release |\n';
    const findings = checkCalendarText(policy, text)!.findings;
    expect(findings.map((f) => [f.line, f.train, f.expected])).toEqual([[5, 'module', '2026-04-14']]);
  });

  it('explains a Tuesday that is not the right Tuesday', () => {
    const text = '# 2026\n| Date | Event |\n|---|---|\n| 2026-02-17 | Platform Release |\n| Mar 10 | Module Release |\n';
    const findings = checkCalendarText(policy, text)!.findings;
    expect(findings[0]?.problems[0]).toBe('is the third Tuesday of the month, not on the platform train (the first Tuesday of every month at 10:00)');
    expect(findings[0]?.expected).toBe('2026-02-03');
    expect(findings[1]?.problems[0]).toMatch(/^is not on the module train \(every 2 weeks on Tuesday from 2026-01-06/);
  });

  it('flags releases inside a blackout, unknown events and impossible dates, with their line numbers', () => {
    const withBlackout = { ...policy, blackouts: [{ name: 'year-end', from: '2026-12-21', to: '2027-01-04', trains: null, action: 'skip' as const }] };
    const text = '### 2026 Q4 Schedule\n\n| Date | Event | Version |\n|---|---|---|\n| Dec 22 | Module Release | billing/v2.4.0 |\n| Dec 8 | Launch Party | - |\n| Feb 30 | Module Release | x |\n';
    const findings = checkCalendarText(withBlackout, text)!.findings;
    expect(findings.map((f) => f.line)).toEqual([5, 6, 7]);
    expect(findings[0]?.problems[0]).toMatch(/falls in the "year-end" blackout \(2026-12-21 to 2027-01-04\)/);
    expect(findings[1]?.problems[0]).toMatch(/"Launch Party" is not a release train/);
    expect(findings[2]?.problems[0]).toBe('"Feb 30" is not a real date in 2026');
  });

  it('checks the Version cell against the tags the train gives, and accepts its own output\'s TBD', () => {
    const text = '### 2026 Q1\n| Date | Event | Version |\n|---|---|---|\n| Feb 3 | Platform Release | platform/v3.1.0 |\n| Feb 17 | Module Release | billing/v2.1.0 |\n| Feb 10 | Product Release | platform-identity-v2.1.0 |\n| Mar 3 | Platform Release | TBD |\n| Mar 17 | Module Release | billing/2.1 |\n';
    const findings = checkCalendarText(policy, text)!.findings;
    expect(findings.map((f) => [f.line, f.problems])).toEqual([
      [6, ['version "platform-identity-v2.1.0" is not a tag of the product train (expected {name}/v{version})']],
      [8, ['version "billing/2.1" is not a tag of the module train (expected {name}/v{version})']],
    ]);
  });

  it('needs a year for "Feb 11" from a heading or the caller, and says so', () => {
    const text = '| Date | Event |\n|---|---|\n| Feb 3 | Platform Release |\n';
    expect(checkCalendarText(policy, text)!.findings[0]?.problems[0]).toMatch(/no year/);
    expect(checkCalendarText(policy, text, { year: 2026 })!.findings).toEqual([]);
  });

  it('returns undefined for a file with no calendar table', () => {
    expect(checkCalendarText(policy, '# Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')).toBeUndefined();
  });
});

describe('checkCalendarText on dates far from now', () => {
  const table = (...dates: string[]) => `| Date | Event |\n|---|---|\n${dates.map((date) => `| ${date} | Module Release |`).join('\n')}\n`;

  it('reports a row outside the years shipgate plans for as a wrong row, never a crash', () => {
    const result = checkCalendarText(policy, table('9999-12-31', '0000-01-01', '2200-01-06'))!;
    expect(result.findings.map((f) => f.problems)).toEqual([
      ['"9999-12-31": 9999 is outside the years shipgate plans for (1900 to 2199)'],
      ['"0000-01-01": 0 is outside the years shipgate plans for (1900 to 2199)'],
      ['"2200-01-06": 2200 is outside the years shipgate plans for (1900 to 2199)'],
    ]);
  });

  it('checks rows at both ends of those years against the train', () => {
    // 1900-01-02 and 2199-12-31 are a Tuesday (Python's datetime); the module train runs every other Tuesday from 2026-01-06.
    const result = checkCalendarText(policy, table('1900-01-02', '2199-12-31'))!;
    expect(result.rows).toBe(2);
    for (const finding of result.findings) expect(finding.problems[0]).toMatch(/^is not on the module train/);
  });
});
