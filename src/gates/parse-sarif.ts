import { jsonSyntaxError } from '../errors/json-syntax.js';
import type { ParseResult } from './parse-junit.js';
import type { SarifReportSummary } from './types.js';

type Level = 'error' | 'warning' | 'note';
type Json = Record<string, unknown>;

const MAX_FINDINGS = 5;
const RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

/**
 * A SARIF 2.1.0 log as security scanners write it (CodeQL, Semgrep, Trivy, ESLint's formatter).
 * A result's level follows the spec (§3.27.10): its own `level`, else its rule's
 * `defaultConfiguration.level`, else "warning"; a result whose `kind` is not "fail" has no level;
 * suppressed results (an accepted suppression) do not count.
 */
export function parseSarif(text: string, file: string, failOn: Level = 'error'): ParseResult<SarifReportSummary> {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (error) {
    const found = jsonSyntaxError(text, (error as Error).message);
    return { ok: false, line: found.line, col: found.column, message: `malformed JSON: ${found.message}` };
  }
  if (!isObject(log) || !Array.isArray(log.runs)) return { ok: false, line: 1, col: 1, message: 'not a SARIF log: it has no "runs" array' };
  if (log.version !== undefined && log.version !== '2.1.0') return { ok: false, line: 1, col: 1, message: `unsupported SARIF version ${quoted(log.version)} (expected 2.1.0)` };
  const counts = { error: 0, warning: 0, note: 0 };
  const findings: { level: Level; text: string }[] = [];
  const tools: string[] = [];
  for (const [index, run] of log.runs.entries()) {
    if (!isObject(run)) return { ok: false, line: 1, col: 1, message: `not a SARIF log: runs[${index}] is not an object` };
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : {};
    if (typeof driver.name === 'string' && !tools.includes(driver.name)) tools.push(driver.name);
    // Not filtered: a result's ruleIndex counts every entry of the array.
    const rules: readonly unknown[] = Array.isArray(driver.rules) ? driver.rules : [];
    const results = run.results === undefined || run.results === null ? [] : run.results;
    if (!Array.isArray(results)) return { ok: false, line: 1, col: 1, message: `not a SARIF log: runs[${index}].results is not an array` };
    for (const result of results) {
      if (!isObject(result)) continue;
      const level = resultLevel(result, rules);
      if (level === null || suppressed(result)) continue;
      counts[level] += 1;
      if (RANK[level] >= RANK[failOn] && findings.length < MAX_FINDINGS) findings.push({ level, text: describe(result) });
    }
  }
  return { ok: true, value: { file, tools, counts, findings } };
}

function resultLevel(result: Json, rules: readonly unknown[]): Level | null {
  if (typeof result.kind === 'string' && result.kind !== 'fail') return null;
  const own = levelOf(result.level);
  if (own !== undefined) return own;
  const rule = ruleOf(result, rules);
  const configured = rule && isObject(rule.defaultConfiguration) ? levelOf(rule.defaultConfiguration.level) : undefined;
  return configured === undefined ? 'warning' : configured;
}

/** undefined: not given; null: "none" (informational, never fails). */
function levelOf(value: unknown): Level | null | undefined {
  if (value === 'error' || value === 'warning' || value === 'note') return value;
  if (value === 'none') return null;
  return undefined;
}

function ruleOf(result: Json, rules: readonly unknown[]): Json | undefined {
  const index = typeof result.ruleIndex === 'number' ? result.ruleIndex : isObject(result.rule) && typeof result.rule.index === 'number' ? result.rule.index : -1;
  const indexed = Number.isInteger(index) && index >= 0 ? rules[index] : undefined;
  if (isObject(indexed)) return indexed;
  const id = typeof result.ruleId === 'string' ? result.ruleId : isObject(result.rule) && typeof result.rule.id === 'string' ? result.rule.id : undefined;
  return id === undefined ? undefined : (rules.find((rule) => isObject(rule) && rule.id === id) as Json | undefined);
}

function suppressed(result: Json): boolean {
  if (!Array.isArray(result.suppressions)) return false;
  // A suppression under review or rejected does not hide the result (SARIF §3.35.3).
  return result.suppressions.some((suppression) => isObject(suppression) && (suppression.status === undefined || suppression.status === 'accepted'));
}

function describe(result: Json): string {
  const rule = typeof result.ruleId === 'string' ? result.ruleId : '(no rule)';
  const message = isObject(result.message) && typeof result.message.text === 'string' ? result.message.text : '';
  const location = Array.isArray(result.locations) && isObject(result.locations[0]) ? result.locations[0].physicalLocation : undefined;
  let where = '';
  if (isObject(location)) {
    const uri = isObject(location.artifactLocation) && typeof location.artifactLocation.uri === 'string' ? location.artifactLocation.uri : '';
    const line = isObject(location.region) && typeof location.region.startLine === 'number' ? `:${location.region.startLine}` : '';
    where = `${uri.replace(/^file:\/\//, '')}${line}`;
  }
  return [rule, where, message].filter(Boolean).join(' ');
}

/** A JSON value as the file writes it, shortened: String() throws on an object whose toString is not a function. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
