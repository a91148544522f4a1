import type { Deprecation, Finding, LintStream, MigrationSummary, SuppressedFinding } from './types.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof FORMATS)[number];

const MAX_STATEMENT_LINES = 6;

// The reports are written while the lint runs, one migration at a time (see writeChunks): over a large
// tree they run to tens of megabytes, which held whole cost more in fresh memory than they take to make.

/** Human output: `file:line:col rule level: message`, the statement, and what to do instead. */
export function* textReport(lint: LintStream): Generator<string> {
  const deprecations: Deprecation[] = [];
  for (const migration of lint.migrations) {
    for (const finding of migration.findings) yield textFinding(finding);
    for (const mark of migration.deprecations) deprecations.push(mark);
  }
  for (const mark of deprecations) {
    yield `deprecated: ${mark.table}.${mark.column} (${mark.file}:${mark.line})${mark.note ? ` ${mark.note}` : ''}\n`;
  }
  const { errors, warnings, suppressed, migrations, statements } = lint.finish();
  const checked = `${plural(migrations, 'migration')} (${plural(statements, 'statement')})`;
  const waived = suppressed > 0 ? `; ${suppressed} suppressed` : '';
  yield errors + warnings === 0 ? `no problems in ${checked}${waived}\n` : `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${checked}${waived}\n`;
}

function textFinding(finding: Finding): string {
  let block = `${where(finding)} ${finding.rule} ${finding.level}: ${finding.message}\n`;
  if (finding.statement !== '') {
    const lines = finding.statement.split('\n');
    for (const line of lines.slice(0, MAX_STATEMENT_LINES)) block += `    | ${line.trimEnd()}\n`;
    if (lines.length > MAX_STATEMENT_LINES) block += `    | ... (${lines.length - MAX_STATEMENT_LINES} more lines)\n`;
  }
  return `${block}    instead: ${finding.hint}\n\n`;
}

/**
 * One line of JSON: the report, then `ok`, `errors` and `warnings`, exactly as JSON.stringify writes
 * `{ ...report, ok, errors, warnings }`. The counts come last because they are known only at the end.
 */
export function* jsonReport(lint: LintStream): Generator<string> {
  const suppressed: SuppressedFinding[] = [];
  const deprecations: Deprecation[] = [];
  const migrations: MigrationSummary[] = [];
  let comma = '';
  yield '{"findings":[';
  for (const migration of lint.migrations) {
    for (const finding of migration.findings) {
      yield `${comma}${findingJson(finding)}`;
      comma = ',';
    }
    for (const finding of migration.suppressed) suppressed.push(finding);
    for (const mark of migration.deprecations) deprecations.push(mark);
    migrations.push(migration.summary);
  }
  yield '],"suppressed":';
  yield* jsonArray(suppressed);
  yield ',"deprecations":';
  yield* jsonArray(deprecations);
  yield ',"migrations":';
  yield* jsonArray(migrations);
  const { errors, warnings, statements } = lint.finish();
  yield `,"statementCount":${statements},"ok":${errors === 0},"errors":${errors},"warnings":${warnings}}\n`;
}

/**
 * A finding as JSON.stringify writes it (its keys in the order the lint makes them; the tests hold the two
 * equal), in half the time: most of a finding's strings need no escaping, and the rest go to JSON.stringify.
 */
function findingJson(finding: Finding): string {
  const { start, end } = finding;
  return `{"rule":${quote(finding.rule)},"level":"${finding.level}","message":${quote(finding.message)},"file":${quote(finding.file)},"start":{"line":${start.line},"column":${start.column}},"end":{"line":${end.line},"column":${end.column}},"statement":${quote(finding.statement)},"hint":${quote(finding.hint)},"migration":${quote(finding.migration)}}`;
}

/** What JSON escapes: quotes, backslashes, control characters and (unpaired) surrogates. */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function* jsonArray(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let index = 0; index < items.length; index += 1) yield `${index === 0 ? '' : ','}${JSON.stringify(items[index])}`;
  yield ']';
}

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff. */
export function* githubReport(lint: LintStream): Generator<string> {
  for (const migration of lint.migrations) for (const finding of migration.findings) yield githubAnnotation(finding);
  const { errors, warnings, statements } = lint.finish();
  yield `shipgate: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(statements, 'statement')}\n`;
}

function githubAnnotation(finding: Finding): string {
  const properties = [
    `file=${property(finding.file)}`,
    `line=${finding.start.line}`,
    `col=${finding.start.column}`,
    `endLine=${finding.end.line}`,
    `title=${property(`shipgate ${finding.rule}`)}`,
  ].join(',');
  return `::${finding.level} ${properties}::${data(`${finding.message}\ninstead: ${finding.hint}`)}\n`;
}

function where(finding: Finding): string {
  return `${finding.file}:${finding.start.line}:${finding.start.column}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// Escaping as the Actions runner expects (toolkit's command.ts): data escapes %, CR, LF; properties also : and ,.
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
