import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { positionAt } from '../errors/json-syntax.js';
import type { JunitReportSummary } from './types.js';

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly line: number; readonly col: number; readonly message: string };

const MAX_FAILED_NAMES = 5;
const COUNT_ATTRIBUTES = ['tests', 'failures', 'errors', 'skipped', 'disabled'] as const;

// Arrays even when there is one child, so a report with one suite reads like one with ten.
const ARRAYS = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
  // Where each element starts, so a bad attribute is reported at its element.
  captureMetaData: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as string;

type Node = Record<string, unknown>;

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: string[];
  suites: string[];
}

/** A report that cannot be read as it says: where (an offset in the text) and why. */
class BadReport {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * A JUnit XML report (the format surefire, vitest, jest-junit, pytest and go-junit-report write):
 * `<testsuites>` or a bare `<testsuite>`, suites nested at any depth. Test cases are counted from the
 * `<testcase>` elements, falling back to a suite's attributes only when it lists no cases (some tools
 * write summary-only suites); a `<failure>` or `<error>` directly in a suite (a failed setup or
 * teardown) fails it too. `suites` keeps only suites whose name matches one of the predicates.
 */
export function parseJunit(text: string, file: string, keepSuite: (name: string) => boolean = () => true): ParseResult<JunitReportSummary> {
  if (text.trim() === '') return { ok: false, line: 1, col: 1, message: 'malformed XML: the file is empty' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    // Some messages ("Start tag expected.") come without a column: the parser ran to the end looking.
    const at = valid.err.col === undefined ? positionAt(text, text.length) : { line: valid.err.line, column: valid.err.col };
    return { ok: false, line: at.line, col: at.column, message: `malformed XML: ${valid.err.msg}` };
  }
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
  try {
    walk([...containers.map((node) => ({ node, container: true })), ...roots.map((node) => ({ node, container: false }))], tally, keepSuite);
  } catch (error) {
    if (!(error instanceof BadReport)) throw error;
    const { line, column } = positionAt(text, error.offset);
    return { ok: false, line, col: column, message: error.message };
  }
  return { ok: true, value: { file, tests: tally.tests, failures: tally.failures, errors: tally.errors, skipped: tally.skipped, failed: tally.failed, suites: tally.suites } };
}

/**
 * Visits suites in document order with a stack rather than recursion, so nesting depth is not bounded
 * by the call stack. A <testsuites> element is a container: its name ("vitest tests") is not a suite,
 * its children decide.
 */
function walk(tops: readonly { node: Node; container: boolean }[], tally: Tally, keepSuite: (name: string) => boolean): void {
  const stack = [...tops].reverse().map((top) => ({ ...top, kept: false }));
  while (stack.length > 0) {
    const { node, container, kept } = stack.pop() as (typeof stack)[number];
    const counts = readCounts(node, container ? 'testsuites' : 'testsuite');
    const children = asNodes(node.testsuite);
    const cases = asNodes(node.testcase);
    const name = container ? undefined : attribute(node, 'name');
    // A suite is kept if it or an enclosing suite matches, so `suites: [contract]` takes a whole tree.
    // An unnamed suite (or a container) matches only what matches every name: with no filter, its failures count.
    const keep = kept || keepSuite(name ?? '');
    if (keep && name !== undefined && !tally.suites.includes(name)) tally.suites.push(name);
    if (keep) {
      for (const testcase of cases) countCase(testcase, tally);
      countSuite(node, tally, name, counts, !container && cases.length === 0 && children.length === 0);
    }
    const next = [...children.map((child) => ({ node: child, container: false, kept: keep })), ...asNodes(node.testsuites).map((nested) => ({ node: nested, container: true, kept: keep }))];
    for (let index = next.length - 1; index >= 0; index -= 1) stack.push(next[index] as (typeof stack)[number]);
  }
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

/**
 * What a suite adds beyond its cases: its own <failure>/<error> elements, and, when it lists no cases
 * (a summary-only suite), the counts its attributes give (never fewer failures than its elements).
 */
function countSuite(node: Node, tally: Tally, name: string | undefined, counts: Counts, summaryOnly: boolean): void {
  const ownFailures = asNodes(node.failure).length;
  const ownErrors = asNodes(node.error).length;
  const failures = summaryOnly ? Math.max(counts.failures, ownFailures) : ownFailures;
  const errors = summaryOnly ? Math.max(counts.errors, ownErrors) : ownErrors;
  if (summaryOnly) {
    tally.tests += counts.tests;
    tally.skipped += counts.skipped + counts.disabled;
  }
  tally.failures += failures;
  tally.errors += errors;
  if (failures + errors > 0 && tally.failed.length < MAX_FAILED_NAMES) tally.failed.push(`${name ?? '(unnamed suite)'} (${failures + errors} failed)`);
}

type Counts = Record<(typeof COUNT_ATTRIBUTES)[number], number>;

/** The suite's count attributes; one that is not a whole number from 0 makes the report unreadable. */
function readCounts(node: Node, element: string): Counts {
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0, disabled: 0 };
  for (const name of COUNT_ATTRIBUTES) {
    const value = attribute(node, name);
    if (value === undefined) continue;
    const count = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(count)) {
      const offset = (node[META] as { startIndex?: number } | undefined)?.startIndex ?? 0;
      // JSON-quoted: the value may hold a newline, and the message is one line.
      throw new BadReport(offset, `<${element}> ${name}=${JSON.stringify(value.slice(0, 40))} is not a count (a whole number from 0)`);
    }
    counts[name] = count;
  }
  return counts;
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
