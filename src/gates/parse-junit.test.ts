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
});
