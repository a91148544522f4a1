import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarCheck } from '../../src/calendar/check-calendar.js';
import { tempDir } from '../helpers/run-cli.js';
import { expectOneLine, expectUserOutcome, fuzzRuns, fuzzTimeout, Guard, mutated, runBounded, samples } from './fuzz-kit.js';
import { CALENDAR_POLICIES } from './targets.js';

const FIXTURE_DIR = new URL('../fixtures/calendar/', import.meta.url);
const FIXTURES = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.md')).map((name) => readFileSync(new URL(name, FIXTURE_DIR), 'utf8'));

const year = fc.oneof(fc.integer({ min: 1899, max: 2201 }), fc.constantFrom(0, 1, 99, 100, 9999, 10000, 275760, -1));
const dateCell = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(year, fc.integer({ min: -1, max: 13 }), fc.integer({ min: -1, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${m}-${d}`) },
  { weight: 3, arbitrary: fc.constantFrom('9999-12-31', '2199-12-31', '1900-01-01', '10000-01-01', '275760-09-13', '0000-02-29', 'Dec 31, 9999', '2026-02-17') },
  fc.tuple(fc.constantFrom('Feb', 'February', 'Sept', 'xyz', 'Tue Feb'), fc.integer({ min: 0, max: 40 }), fc.option(year)).map(([m, d, y]) => `${m} ${d}${y === null ? '' : `, ${y}`}`),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('Mar', 'March', 'Foo')).map(([d, m]) => `${d} ${m}`),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('**2026-02-17**', '_Feb 17_', '2026-02-17T10:00', '', '|', '\\|'),
);
const eventCell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Module Release', 'Platform Release', 'Product Release', 'module') },
  fc.constantFrom('Module   Release!', 'Nightly Release', 'constructor', '__proto__', ''),
  fc.string({ maxLength: 12 }),
);
const versionCell = fc.oneof(fc.constantFrom('', 'TBD', '-', 'billing/v2.1.0', 'platform/v3.1.0', '`fireproof-erp/v5.2.0`', 'v1', 'billing/v99999999999999999999.0.0'), fc.string({ maxLength: 12 }));
const heading = fc.oneof(fc.constant(''), year.map((y) => `### ${y} Q1 Schedule\n`), fc.string({ maxLength: 20 }).map((t) => `# ${t}\n`));

/** Markdown calendar tables: headings with years, a header row in any column order, rows of odd cells. */
const table = fc
  .tuple(heading, fc.oneof({ weight: 3, arbitrary: fc.constant(['Date', 'Event', 'Version']) }, fc.shuffledSubarray(['Date', 'Event', 'Version', 'Notes'], { minLength: 1 })), fc.array(fc.tuple(dateCell, eventCell, versionCell), { maxLength: 12 }), fc.boolean())
  .map(([head, columns, rows, separator]) => {
    const cell = (name: string, row: [string, string, string]) => ({ Date: row[0], Event: row[1], Version: row[2], Notes: 'n' })[name] ?? '';
    const lines = [`| ${columns.join(' | ')} |`, ...(separator ? [`|${columns.map(() => '---').join('|')}|`] : []), ...rows.map((row) => `| ${columns.map((c) => cell(c, row)).join(' | ')} |`)];
    return `${head}${lines.join('\n')}\n`;
  });

const calendarText = fc.oneof(table, mutated(fc.oneof(table, fc.constantFrom(...FIXTURES)), ['|', '\n', '### 9999\n', '| Date | Event |\n', '2026-02-17', '9999-12-31', 'Feb 29', '\r\n', '---']));

function checkResult(result: CalendarCheck | undefined, text: string): void {
  if (result === undefined) return;
  expect(result.findings.length).toBeLessThanOrEqual(result.rows);
  for (const finding of result.findings) {
    expect(finding.problems.length, text).toBeGreaterThan(0);
    for (const problem of finding.problems) expectOneLine(problem, text);
  }
}

describe('fuzz: release calendar tables (calendar check)', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('check into findings per row, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(calendarText, fc.nat({ max: CALENDAR_POLICIES.length - 1 }), fc.option(fc.integer({ min: 1900, max: 2199 })), async (text, policy, defaultYear) => {
        checkResult(await guard.value('calendar', text, policy, defaultYear), text);
      }),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  const workspace = tempDir('shipgate-fuzz-calendar-');
  afterAll(() => workspace.cleanup());

  it('through the CLI: exit 0, 1 or 2 with a one-line error, never a stack trace', () => {
    const known = ['| Date | Event | Version |\n|---|---|---|\n| 9999-12-31 | Module Release | |\n| 0001-01-03 | Module Release | |\n', 'no table here\n'];
    for (const [index, text] of [...known, ...samples(calendarText, 5)].entries()) {
      writeFileSync(path.join(workspace.dir, `c${index}.md`), text);
      expectUserOutcome(runBounded(['calendar', 'check', `c${index}.md`, '--year', '2026'], workspace.dir), text);
    }
  }, fuzzTimeout(0, 7));
});
