import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSarif } from './parse-sarif.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/gates/${name}`, import.meta.url), 'utf8');

describe('parseSarif', () => {
  it('reads ESLint’s real SARIF output: one error-level result fails, warnings do not', () => {
    const errors = parseSarif(fixture('tool-output/eslint-errors.sarif'), 'scan.sarif');
    expect(errors).toMatchObject({ ok: true, value: { tools: ['ESLint'], counts: { error: 1, warning: 2, note: 0 } } });
    expect(errors.ok && errors.value.findings).toEqual([{ level: 'error', text: "no-undef /tmp/sg-fixturegen/src/payment.js:3 'undefinedHelper' is not defined." }]);
    expect(parseSarif(fixture('tool-output/eslint-warnings.sarif'), 's.sarif')).toMatchObject({ ok: true, value: { counts: { error: 0 }, findings: [] } });
    expect(parseSarif(fixture('tool-output/eslint-clean.sarif'), 's.sarif')).toMatchObject({ ok: true, value: { counts: { error: 0, warning: 0, note: 0 } } });
  });

  it('lists warnings as findings when the policy fails on warnings', () => {
    const result = parseSarif(fixture('tool-output/eslint-warnings.sarif'), 's.sarif', 'warning');
    expect(result.ok && result.value.findings.map((finding) => finding.level)).toEqual(['warning']);
  });

  it('takes a result’s level from its rule’s default configuration, else warning; ignores non-failures and accepted suppressions', () => {
    const result = parseSarif(fixture('sarif/rule-default-level.sarif'), 'semgrep.sarif');
    // sql-injection (rule default error) + the one whose suppression is only under review.
    expect(result).toMatchObject({ ok: true, value: { tools: ['Semgrep'], counts: { error: 2, warning: 1, note: 1 } } });
    expect(result.ok && result.value.findings[0]?.text).toBe('sql-injection src/db.js:12 user input reaches a query');
  });

  it('reports malformed JSON at its line and column, and a JSON file that is not SARIF', () => {
    expect(parseSarif(fixture('sarif/malformed.sarif'), 'bad.sarif')).toMatchObject({ ok: false, line: 4, message: expect.stringMatching(/^malformed JSON: /) });
    expect(parseSarif(fixture('sarif/not-sarif.sarif'), 'x.sarif')).toMatchObject({ ok: false, message: 'not a SARIF log: it has no "runs" array' });
    expect(parseSarif('{"version":"1.0.0","runs":[]}', 'old.sarif')).toMatchObject({ ok: false, message: 'unsupported SARIF version "1.0.0" (expected 2.1.0)' });
  });
});

describe('parseSarif on broken files', () => {
  it('points at the unexpected token, which Node’s message does not locate, and at the end of an empty or cut-off file', () => {
    expect(parseSarif('{\n  "runs": [\n    1,\n  ]\n}\n', 'r.sarif')).toMatchObject({ ok: false, line: 4, col: 3, message: expect.stringMatching(/^malformed JSON: Unexpected token/) });
    expect(parseSarif('', 'r.sarif')).toMatchObject({ ok: false, line: 1, col: 1 });
    expect(parseSarif('{\n  "runs": [', 'r.sarif')).toMatchObject({ ok: false, line: 2, col: 12 });
  });

  it('takes ruleIndex as an index into the rules as written, even when some entries are not objects', () => {
    const log = { version: '2.1.0', runs: [{ tool: { driver: { name: 't', rules: [null, { id: 'r1', defaultConfiguration: { level: 'error' } }] } }, results: [{ ruleIndex: 1, message: { text: 'm' } }] }] };
    expect(parseSarif(JSON.stringify(log), 'r.sarif')).toMatchObject({ ok: true, value: { counts: { error: 1, warning: 0 } } });
  });

  it('keeps its message on one line, whatever the file holds', () => {
    expect(parseSarif('}\n "version": 1', 'r.sarif')).toMatchObject({ ok: false, line: 1, col: 1, message: 'malformed JSON: Unexpected token "}"' });
    expect(parseSarif('{"version": {"toString": []}, "runs": []}', 'r.sarif')).toMatchObject({ ok: false, message: 'unsupported SARIF version {"toString":[]} (expected 2.1.0)' });
  });
});
