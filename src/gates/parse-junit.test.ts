import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesGlob } from '../policy/glob.js';
import { parseJunit } from './parse-junit.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/gates/${name}`, import.meta.url), 'utf8');

describe('parseJunit', () => {
  it('reads vitest’s real JUnit output: the failing test by name, skipped ones counted', () => {
    const result = parseJunit(fixture('tool-output/vitest-failing.xml'), 'unit.xml');
    expect(result).toEqual({
      ok: true,
      value: { file: 'unit.xml', tests: 3, failures: 1, errors: 0, skipped: 1, failed: ['invoice.test.js > invoice totals > rounds tax half-up'], suites: ['invoice.test.js'] },
    });
    expect(parseJunit(fixture('tool-output/vitest-passing.xml'), 'c.xml')).toMatchObject({ ok: true, value: { tests: 2, failures: 0, errors: 0 } });
  });

  it('reads a bare <testsuite> root (Maven surefire) and counts <error> apart from <failure>', () => {
    expect(parseJunit(fixture('junit/surefire-performance.xml'), 'p.xml')).toMatchObject({ ok: true, value: { tests: 2, failures: 0, errors: 0 } });
    expect(parseJunit(fixture('junit/surefire-performance-error.xml'), 'p.xml')).toMatchObject({
      ok: true,
      value: { tests: 2, errors: 1, failed: ['com.example.billing.InvoicePerformanceTest > searchCustomersP95Under50ms'] },
    });
  });

  it('walks nested suites, falls back to the attributes of summary-only suites, and keeps only the suites asked for', () => {
    expect(parseJunit(fixture('junit/nested-suites.xml'), 'n.xml')).toMatchObject({ ok: true, value: { tests: 8, failures: 1, skipped: 2 } });
    const contract = parseJunit(fixture('junit/nested-suites.xml'), 'n.xml', (name) => matchesGlob(name, 'contract'));
    expect(contract).toMatchObject({ ok: true, value: { tests: 2, failures: 1, failed: ['billing-api > POST /invoices'], suites: ['contract', 'contract.billing-api'] } });
    expect(parseJunit(fixture('junit/nested-suites.xml'), 'n.xml', () => false)).toMatchObject({ ok: true, value: { tests: 0, suites: [] } });
  });

  it('reports a malformed file with the line and column the XML parser gives', () => {
    const result = parseJunit(fixture('junit/malformed.xml'), 'bad.xml');
    expect(result).toMatchObject({ ok: false, line: 5, message: expect.stringMatching(/^malformed XML: .*testcase/) });
  });

  it('refuses XML that is not a JUnit report rather than reading it as zero tests', () => {
    expect(parseJunit(fixture('junit/not-junit.xml'), 'c.xml')).toMatchObject({ ok: false, message: 'not a JUnit report: the root element is <coverage>, expected <testsuites> or <testsuite>' });
    expect(parseJunit(fixture('junit/empty.xml'), 'e.xml')).toMatchObject({ ok: true, value: { tests: 0 } });
  });

  it('counts exactly the cases written, whatever their mix and names (property)', () => {
    const outcome = fc.constantFrom('pass', 'failure', 'error', 'skipped');
    const name = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(outcome, name), { maxLength: 30 }), (cases) => {
        const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
        const body = cases.map(([kind, n]) => `<testcase name="${escape(n)}">${kind === 'pass' ? '' : `<${kind}/>`}</testcase>`).join('');
        const result = parseJunit(`<testsuites><testsuite name="s">${body}</testsuite></testsuites>`, 'p.xml');
        const count = (kind: string) => cases.filter(([k]) => k === kind).length;
        expect(result).toMatchObject({ ok: true, value: { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') } });
      }),
      { numRuns: 100 },
    );
  });
  it('refuses a count attribute that is not a whole number from 0, at its element (1e400 used to count as 0 and pass)', () => {
    const report = '<testsuites>\n  <testsuite name="ok" tests="1"><testcase name="a"/></testsuite>\n  <testsuite name="summary" tests="3" failures="1e400"/>\n</testsuites>\n';
    expect(parseJunit(report, 'r.xml')).toEqual({ ok: false, line: 3, col: 3, message: '<testsuite> failures="1e400" is not a count (a whole number from 0)' });
    for (const value of ['-1', '1.5', 'NaN', 'Infinity', '', '0x10', '99999999999999999999']) {
      expect(parseJunit(`<testsuite name="s" errors="${value}"/>`, 'r.xml')).toMatchObject({ ok: false, line: 1, col: 1, message: `<testsuite> errors="${value}" is not a count (a whole number from 0)` });
    }
    expect(parseJunit('<testsuite name="s" tests=" 4 " skipped="1"/>', 'r.xml')).toMatchObject({ ok: true, value: { tests: 4, skipped: 1 } });
  });

  it('counts a <failure> or <error> written directly in a suite (a failed setup), whether or not it lists cases', () => {
    expect(parseJunit('<testsuite name="s"><failure message="beforeAll failed"/><testcase name="a"/></testsuite>', 'r.xml')).toMatchObject({
      ok: true,
      value: { tests: 1, failures: 1, failed: ['s (1 failed)'] },
    });
    expect(parseJunit('<testsuite name="s" tests="2" failures="0" errors="0"><error/></testsuite>', 'r.xml')).toMatchObject({ ok: true, value: { tests: 2, errors: 1 } });
    expect(parseJunit('<testsuites><testsuite name="s" tests="2" failures="2"><failure/></testsuite></testsuites>', 'r.xml')).toMatchObject({ ok: true, value: { failures: 2 } });
  });

  it('counts the cases of a suite with no name, unless the item asks for named suites', () => {
    const report = '<testsuites><testsuite name="named"><testcase name="a"/></testsuite><testsuite><testcase name="b"><failure/></testcase></testsuite></testsuites>';
    expect(parseJunit(report, 'r.xml')).toMatchObject({ ok: true, value: { tests: 2, failures: 1, suites: ['named'] } });
    expect(parseJunit(report, 'r.xml', (name) => name === 'named')).toMatchObject({ ok: true, value: { tests: 1, failures: 0 } });
  });

  it('gives an empty or rootless report a real line and column', () => {
    expect(parseJunit('', 'r.xml')).toEqual({ ok: false, line: 1, col: 1, message: 'malformed XML: the file is empty' });
    expect(parseJunit('\n  \n', 'r.xml')).toEqual({ ok: false, line: 1, col: 1, message: 'malformed XML: the file is empty' });
    expect(parseJunit('<?xml version="1.0"?>\n', 'r.xml')).toEqual({ ok: false, line: 2, col: 1, message: 'malformed XML: Start tag expected.' });
  });

  it('quotes a bad count so that the message stays on one line', () => {
    expect(parseJunit('<testsuite name="s" failures="1\n2"/>', 'r.xml')).toMatchObject({ ok: false, message: '<testsuite> failures="1\\n2" is not a count (a whole number from 0)' });
  });
});
