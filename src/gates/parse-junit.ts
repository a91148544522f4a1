import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { JunitReportSummary } from './types.js';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly line: number; readonly col: number; readonly message: string };

const MAX_FAILED_NAMES = 5;

// Arrays even when there is one child, so a report with one suite reads like one with ten.
const ARRAYS = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: string[];
  suites: string[];
}

/**
 * A JUnit XML report (the format surefire, vitest, jest-junit, pytest and go-junit-report write):
 * `<testsuites>` or a bare `<testsuite>`, suites nested at any depth. Test cases are counted from the
 * `<testcase>` elements, falling back to a suite's attributes only when it lists no cases (some tools
 * write summary-only suites). `suites` keeps only suites whose name matches one of the predicates.
 */
export function parseJunit(text: string, file: string, keepSuite: (name: string) => boolean = () => true): ParseResult<JunitReportSummary> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, line: valid.err.line, col: valid.err.col, message: `malformed XML: ${valid.err.msg}` };
  let document: Node;
  try {
    document = parser.parse(text) as Node;
  } catch (error) {
    return { ok: false, line: 1, col: 1, message: `malformed XML: ${(error as Error).message}` };
  }
  const containers = asNodes(document.testsuites);
  const roots = asNodes(document.testsuite);
  if (containers.length + roots.length === 0) {
    const root = Object.keys(document).find((key) => !key.startsWith('?')) ?? '(none)';
    return { ok: false, line: 1, col: 1, message: `not a JUnit report: the root element is <${root}>, expected <testsuites> or <testsuite>` };
  }
  const tally: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0, failed: [], suites: [] };
  for (const container of containers) visit(container, tally, keepSuite, false, true);
  for (const root of roots) visit(root, tally, keepSuite, false, false);
  return { ok: true, value: { file, tests: tally.tests, failures: tally.failures, errors: tally.errors, skipped: tally.skipped, failed: tally.failed, suites: tally.suites } };
}

// A <testsuites> element is a container: its name ("vitest tests") is not a suite, its children decide.
function visit(node: Node, tally: Tally, keepSuite: (name: string) => boolean, kept: boolean, container: boolean): void {
  const children = asNodes(node.testsuite);
  const cases = asNodes(node.testcase);
  const name = container ? undefined : attribute(node, 'name');
  // A suite is kept if it or an enclosing suite matches, so `suites: [contract]` takes a whole tree.
  const keep = kept || (name !== undefined && keepSuite(name));
  if (keep && name !== undefined && !tally.suites.includes(name)) tally.suites.push(name);
  if (keep) {
    for (const testcase of cases) countCase(testcase, tally);
    if (!container && cases.length === 0 && children.length === 0) countAttributes(node, tally, name);
  }
  for (const child of children) visit(child, tally, keepSuite, keep, false);
  for (const nested of asNodes(node.testsuites)) visit(nested, tally, keepSuite, keep, true);
}

function countCase(testcase: Node, tally: Tally): void {
  tally.tests += 1;
  const label = [attribute(testcase, 'classname'), attribute(testcase, 'name')].filter(Boolean).join(' > ') || '(unnamed test)';
  if (present(testcase.failure)) {
    tally.failures += 1;
    if (tally.failed.length < MAX_FAILED_NAMES) tally.failed.push(label);
  } else if (present(testcase.error)) {
    tally.errors += 1;
    if (tally.failed.length < MAX_FAILED_NAMES) tally.failed.push(label);
  } else if (present(testcase.skipped)) tally.skipped += 1;
}

function countAttributes(node: Node, tally: Tally, name: string | undefined): void {
  const tests = number(node, 'tests');
  const failures = number(node, 'failures');
  const errors = number(node, 'errors');
  tally.tests += tests;
  tally.failures += failures;
  tally.errors += errors;
  tally.skipped += number(node, 'skipped') + number(node, 'disabled');
  if (failures + errors > 0 && tally.failed.length < MAX_FAILED_NAMES) tally.failed.push(`${name ?? '(unnamed suite)'} (${failures + errors} failed)`);
}

function asNodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item !== null ? (item as Node) : {}));
  if (typeof value === 'object' && value !== null) return [value as Node];
  // `<testsuite/>` or `<testcase></testcase>` parse to an empty string: still an element.
  if (value === '') return [{}];
  return [];
}

function present(value: unknown): boolean {
  return value !== undefined && (!Array.isArray(value) || value.length > 0);
}

function attribute(node: Node, name: string): string | undefined {
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

function number(node: Node, name: string): number {
  const value = Number(attribute(node, name) ?? 0);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
