import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/gates/parse-junit.js';
import type { JunitReportSummary } from '../../src/gates/types.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { expectOneLine, expectUserOutcome, fuzzRuns, fuzzTimeout, gatesWorkspace, Guard, mutated, samples, soup, type BoundedRun } from './fuzz-kit.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/gates/${name}`, import.meta.url), 'utf8');
const FIXTURES = ['tool-output/vitest-failing.xml', 'tool-output/vitest-passing.xml', 'junit/nested-suites.xml', 'junit/surefire-performance-error.xml'].map(fixture);

const FRAGMENTS = [
  '<testsuites>', '</testsuites>', '<testsuite name="s">', '<testsuite>', '</testsuite>', '<testcase name="t">', '</testcase>', '<testcase/>', '<failure/>',
  '<error message="e"/>', '<skipped/>', ' tests="1e400"', ' failures="-1"', ' errors="NaN"', ' skipped="99999999999999999999"', ' tests="3"', '<![CDATA[', ']]>',
  '<!DOCTYPE x [<!ENTITY e "&#60;testcase/&#62;">]>', '&e;', '&amp;', '&#0;', '&#xFFFF;', '<?xml version="1.0"?>', '<!--', '-->', '<', '>', '/>', '"', "'", '=',
  '\n', ' ', '\u0000', 'é😀',
];

const countValue = fc.oneof(fc.constantFrom('0', '1', '2', '-1', '1e400', '1.5', '', 'NaN', ' 3 ', '99999999999999999999', '0x1', 'Infinity'), fc.string({ maxLength: 6 }));
const attribute = fc.tuple(fc.constantFrom('name', 'classname', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'time'), countValue);
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** JUnit-shaped XML: suites, cases and their outcomes nested at random, with odd counts in the attributes. */
const { element } = fc.letrec<{ element: string }>((tie) => ({
  element: fc
    .tuple(
      fc.constantFrom('testsuites', 'testsuite', 'testsuite', 'testcase', 'testcase', 'failure', 'error', 'skipped', 'system-out', 'properties'),
      fc.array(attribute, { maxLength: 3 }),
      fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant([] as string[]), fc.array(tie('element'), { maxLength: 4 }), fc.string({ maxLength: 10 }).map((text) => [escape(text)])),
    )
    .map(([tag, attributes, children]) => {
      const attrs = attributes.map(([name, value]) => ` ${name}="${escape(value)}"`).join('');
      return children.length === 0 ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${children.join('')}</${tag}>`;
    }),
}));

const report = fc.oneof(element, soup(FRAGMENTS, 40), mutated(fc.constantFrom(...FIXTURES), FRAGMENTS));

function checkResult(result: ParseResult<JunitReportSummary>, text: string): void {
  if (result.ok) {
    const { tests, failures, errors, skipped, failed } = result.value;
    for (const count of [tests, failures, errors, skipped]) expect(Number.isSafeInteger(count) && count >= 0, `${count} from ${text}`).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(5);
  } else {
    expect(Number.isInteger(result.line) && result.line >= 1 && Number.isInteger(result.col) && result.col >= 1, `${result.line}:${result.col} from ${text}`).toBe(true);
    expectOneLine(result.message, text);
  }
}

describe('fuzz: JUnit reports', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('read into whole counts or an error at a real line and column, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(report, fc.boolean(), async (text, onlySome) => checkResult(await guard.value('junit', text, onlySome), text)),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  let workspace: { repo: TestRepo; check: () => BoundedRun };
  beforeAll(async () => {
    workspace = await gatesWorkspace();
  }, 120_000);
  afterAll(() => workspace?.repo.cleanup());

  it('through the CLI (shipgate check): exit 1 or 2 with a one-line error, never a stack trace, the report at its position', () => {
    for (const text of ['', '<testsuite name="s" failures="1e400"/>', ...samples(report, 5)]) {
      writeFileSync(path.join(workspace.repo.dir, 'reports/junit/unit.xml'), text);
      const run = workspace.check();
      expectUserOutcome(run, text);
      expect([1, 2], text).toContain(run.code);
      if (run.code === 2 && /JUnit report/.test(run.stderr)) expect(run.stderr, text).toMatch(/^shipgate: reports\/junit\/unit\.xml:\d+:\d+: JUnit report: /);
    }
  }, fuzzTimeout(0, 8));
});
