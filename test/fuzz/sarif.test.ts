import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/gates/parse-junit.js';
import type { SarifReportSummary } from '../../src/gates/types.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { expectOneLine, expectUserOutcome, fuzzRuns, fuzzTimeout, gatesWorkspace, Guard, mutated, samples, type BoundedRun } from './fuzz-kit.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/gates/${name}`, import.meta.url), 'utf8');
const FIXTURES = ['tool-output/eslint-errors.sarif', 'tool-output/eslint-warnings.sarif', 'sarif/rule-default-level.sarif'].map(fixture);
const FRAGMENTS = ['{', '}', '[', ']', ',', ':', '"', '\\', '\\u00', 'null', 'true', '1e400', '-0', '"runs"', '"results"', '"level": "error"', '"ruleIndex": -1', '\n', ' ', '\u0000', '😀'];

/** Anything JSON can hold, dropped in where SARIF expects something in particular. */
const odd = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 1e308, 0.5, 2 ** 53 + 1, 'none', 'error', 'warning', 'note', 'fail', 'pass', 'accepted', 'underReview'));
const maybe = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: odd });

const result = fc.record(
  {
    ruleId: maybe(fc.constantFrom('r0', 'r1', 'sql-injection')),
    ruleIndex: maybe(fc.integer({ min: -2, max: 4 })),
    rule: maybe(fc.record({ id: maybe(fc.constantFrom('r0', 'r1')), index: maybe(fc.integer({ min: -1, max: 3 })) }, { requiredKeys: [] })),
    level: maybe(fc.constantFrom('error', 'warning', 'note', 'none')),
    kind: maybe(fc.constantFrom('fail', 'pass', 'review', 'open')),
    message: maybe(fc.record({ text: maybe(fc.string({ maxLength: 20 })) })),
    suppressions: maybe(fc.array(maybe(fc.record({ status: maybe(fc.constantFrom('accepted', 'underReview', 'rejected')) }, { requiredKeys: [] })), { maxLength: 2 })),
    locations: maybe(fc.array(maybe(fc.record({ physicalLocation: maybe(fc.record({ artifactLocation: maybe(fc.record({ uri: maybe(fc.string({ maxLength: 10 })) })), region: maybe(fc.record({ startLine: maybe(fc.integer()) })) }, { requiredKeys: [] })) })), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const rule = fc.record({ id: maybe(fc.constantFrom('r0', 'r1')), defaultConfiguration: maybe(fc.record({ level: maybe(fc.constantFrom('error', 'warning', 'note', 'none')) })) }, { requiredKeys: [] });
const run = fc.record({ tool: maybe(fc.record({ driver: maybe(fc.record({ name: maybe(fc.string({ maxLength: 8 })), rules: maybe(fc.array(maybe(rule), { maxLength: 3 })) }, { requiredKeys: [] })) })), results: maybe(fc.array(maybe(result), { maxLength: 6 })) }, { requiredKeys: [] });
const log = fc.record({ version: maybe(fc.constant('2.1.0')), runs: maybe(fc.array(maybe(run), { maxLength: 3 })) }, { requiredKeys: [] }).map((value) => JSON.stringify(value, null, 1));

const report = fc.oneof(log, mutated(fc.oneof(log, fc.constantFrom(...FIXTURES)), FRAGMENTS), fc.string({ maxLength: 40 }));

function checkResult(parsed: ParseResult<SarifReportSummary>, text: string): void {
  if (parsed.ok) {
    for (const count of Object.values(parsed.value.counts)) expect(Number.isSafeInteger(count) && count >= 0, text).toBe(true);
    expect(parsed.value.findings.length).toBeLessThanOrEqual(5);
  } else {
    const lines = text.split('\n').length;
    expect(Number.isInteger(parsed.line) && parsed.line >= 1 && parsed.line <= lines && Number.isInteger(parsed.col) && parsed.col >= 1, `${parsed.line}:${parsed.col} from ${text}`).toBe(true);
    expectOneLine(parsed.message, text);
  }
}

describe('fuzz: SARIF logs', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('read into counts or an error at a real line and column, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(report, fc.constantFrom('error', 'warning', 'note') as fc.Arbitrary<'error' | 'warning' | 'note'>, async (text, failOn) => {
        checkResult(await guard.value('sarif', text, failOn), text);
      }),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  let workspace: { repo: TestRepo; check: () => BoundedRun };
  beforeAll(async () => {
    workspace = await gatesWorkspace();
  }, 120_000);
  afterAll(() => workspace?.repo.cleanup());

  it('through the CLI (shipgate check): exit 1 or 2 with a one-line error, never a stack trace, the report at its position', () => {
    for (const text of ['', '{"runs": [1,]}', ...samples(report, 5)]) {
      writeFileSync(path.join(workspace.repo.dir, 'reports/security/eslint.sarif'), text);
      const run = workspace.check();
      expectUserOutcome(run, text);
      expect([1, 2], text).toContain(run.code);
      if (run.code === 2 && /SARIF report/.test(run.stderr)) expect(run.stderr, text).toMatch(/^shipgate: reports\/security\/eslint\.sarif:\d+:\d+: SARIF report: /);
    }
  }, fuzzTimeout(0, 8));
});
