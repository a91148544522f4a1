import type { Finding, LintReport } from './types.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function countLevels(report: LintReport): { errors: number; warnings: number } {
  let errors = 0;
  for (const finding of report.findings) if (finding.level === 'error') errors += 1;
  return { errors, warnings: report.findings.length - errors };
}

const MAX_STATEMENT_LINES = 6;

// The reports are made in pieces (see writeChunks): over a large tree they run to tens of megabytes.

/** Human output: `file:line:col rule level: message`, the statement, and what to do instead. */
export function* textReport(report: LintReport): Generator<string> {
  for (const finding of report.findings) {
    let block = `${where(finding)} ${finding.rule} ${finding.level}: ${finding.message}\n`;
    if (finding.statement !== '') {
      const lines = finding.statement.split('\n');
      for (const line of lines.slice(0, MAX_STATEMENT_LINES)) block += `    | ${line.trimEnd()}\n`;
      if (lines.length > MAX_STATEMENT_LINES) block += `    | ... (${lines.length - MAX_STATEMENT_LINES} more lines)\n`;
    }
    yield `${block}    instead: ${finding.hint}\n\n`;
  }
  for (const mark of report.deprecations) {
    yield `deprecated: ${mark.table}.${mark.column} (${mark.file}:${mark.line})${mark.note ? ` ${mark.note}` : ''}\n`;
  }
  const { errors, warnings } = countLevels(report);
  const checked = `${plural(report.migrations.length, 'migration')} (${plural(report.statementCount, 'statement')})`;
  const suppressed = report.suppressed.length > 0 ? `; ${report.suppressed.length} suppressed` : '';
  yield errors + warnings === 0
    ? `no problems in ${checked}${suppressed}\n`
    : `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${checked}${suppressed}\n`;
}

/** One line of JSON: `{ ok, errors, warnings, ...report }`, exactly as JSON.stringify writes it. */
export function* jsonReport(report: LintReport): Generator<string> {
  const { errors, warnings } = countLevels(report);
  yield `{"ok":${errors === 0},"errors":${errors},"warnings":${warnings},"findings":`;
  yield* jsonArray(report.findings);
  yield ',"suppressed":';
  yield* jsonArray(report.suppressed);
  yield ',"deprecations":';
  yield* jsonArray(report.deprecations);
  yield ',"migrations":';
  yield* jsonArray(report.migrations);
  yield `,"statementCount":${report.statementCount}}\n`;
}

function* jsonArray(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let index = 0; index < items.length; index += 1) yield `${index === 0 ? '' : ','}${JSON.stringify(items[index])}`;
  yield ']';
}

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff. */
export function* githubReport(report: LintReport): Generator<string> {
  for (const finding of report.findings) {
    const properties = [
      `file=${property(finding.file)}`,
      `line=${finding.start.line}`,
      `col=${finding.start.column}`,
      `endLine=${finding.end.line}`,
      `title=${property(`shipgate ${finding.rule}`)}`,
    ].join(',');
    yield `::${finding.level} ${properties}::${data(`${finding.message}\ninstead: ${finding.hint}`)}\n`;
  }
  const { errors, warnings } = countLevels(report);
  yield `shipgate: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(report.statementCount, 'statement')}\n`;
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
