import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';

const fixture = path.resolve('test/fixtures/calendar/policy-2026-q1.md');
const workspace = tempDir();
afterAll(() => workspace.cleanup());

describe('shipgate calendar (installed bin, built-in policy)', () => {
  it('prints the upcoming releases as a table by default', () => {
    const run = runCli(['calendar', '--from', '2026-02-01', '--to', '2026-02-28'], { cwd: workspace.dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Event\s+Release \(staging\)\s+Code freeze from\s+Last deploy/);
    expect(lines.slice(2).map((l) => l.slice(0, 42).trim())).toEqual([
      'Module Release    Tue 2026-02-03 10:00 PST',
      'Platform Release  Tue 2026-02-03 10:00 PST',
      'Product Release   Tue 2026-02-10 10:00 PST',
      'Module Release    Tue 2026-02-17 10:00 PST',
    ]);
  });

  it('writes the policy document\'s table format as markdown', () => {
    const run = runCli(['calendar', '--from', '2026-03-01', '--to', '2026-03-31', '--train', 'platform', 'product', '--format', 'markdown'], { cwd: workspace.dir });
    expect(run.stdout).toBe('### 2026 Q1 Schedule\n\n| Date | Event | Version |\n|------|-------|---------|\n| Mar 3 | Platform Release | TBD |\n| Mar 10 | Product Release | TBD |\n');
  });

  it('writes an ICS file that an iCalendar library imports, freezes included', () => {
    const run = runCli(['calendar', '--from', '2026-02-01', '--to', '2026-02-28', '--format', 'ics', '-o', 'releases.ics'], { cwd: workspace.dir });
    expect(run.code).toBe(0);
    const text = readFileSync(path.join(workspace.dir, 'releases.ics'), 'utf8');
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.filter((e) => e.summary.endsWith('code freeze'))).toHaveLength(4);
    expect(events.filter((e) => e.summary.endsWith('Release'))).toHaveLength(4);
  });

  it('prints JSON with every event\'s freeze, notices and deployments', () => {
    const run = runCli(['calendar', '--from', '2026-02-17', '--to', '2026-02-17', '--json'], { cwd: workspace.dir });
    const json = JSON.parse(run.stdout);
    expect(json.events).toHaveLength(1);
    expect(json.events[0]).toMatchObject({ train: 'module', date: '2026-02-17', at: '2026-02-17T10:00:00-08:00', freeze: { start: '2026-02-15T10:00:00-08:00' } });
  });

  it('checks a published calendar: the policy\'s own table is wrong in every row', () => {
    const run = runCli(['calendar', 'check', fixture], { cwd: workspace.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(':7: | Feb 11 | Platform Release | platform/v3.1.0 |\n  is a Wednesday, not a Tuesday; the platform train runs the first Tuesday of every month at 10:00; the policy gives 2026-02-03');
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/6 rows, 6 wrong$/);
  });

  it('accepts a calendar it published itself', () => {
    const out = path.join(workspace.dir, 'calendar.md');
    runCli(['calendar', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'markdown', '-o', out], { cwd: workspace.dir });
    const run = runCli(['calendar', 'check', out], { cwd: workspace.dir });
    // 2026 has 26 biweekly module Tuesdays (Jan 6 … Dec 22), 12 first and 12 second Tuesdays.
    expect(run.stdout).toMatch(/calendar\.md: 50 rows, 0 wrong/);
    expect(run.code).toBe(0);
  });
});

describe('bad input: one line, exit 2, no stack', () => {
  it.each([
    [['calendar', '--from', '2026-02-30'], /--from "2026-02-30" is not a valid date/],
    [['calendar', '--from', '2026-03-01', '--to', '2026-02-01'], /--to \(2026-02-01\) is before --from/],
    [['calendar', '--train', 'nightly'], /unknown train "nightly" \(known trains: module, platform, product\)/],
    [['calendar', 'check', 'missing.md'], /cannot read missing.md: no such file/],
    [['freeze', 'check'], /freeze check needs --message or --type/],
    [['freeze', 'status', '--at', 'yesterday'], /--at "yesterday" is not a valid date/],
  ])('%j', (args, message) => {
    const run = runCli(args, { cwd: workspace.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(message);
  });

  it('a file without a calendar table', () => {
    writeFileSync(path.join(workspace.dir, 'notes.md'), '# Notes\n\nNothing here.\n');
    const run = runCli(['calendar', 'check', 'notes.md'], { cwd: workspace.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: notes.md: no release calendar table/);
  });

  it('an unknown option or format is a usage error', () => {
    expect(runCli(['calendar', '--format', 'xml'], { cwd: workspace.dir }).code).toBe(2);
    expect(runCli(['calendar', '--colour'], { cwd: workspace.dir }).code).toBe(2);
    expect(runCli(['nonsense'], { cwd: workspace.dir }).code).toBe(2);
  });
});
