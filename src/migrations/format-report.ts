import type { Finding, LintReport } from './types.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function countLevels(report: LintReport): { errors: number; warnings: number } {
  let errors = 0;
  for (const finding of report.findings) if (finding.level === 'error') errors += 1;
  return { errors, warnings: report.findings.length - errors };
}

const MAX_STATEMENT_LINES = 6;

/** Human output: `file:line:col rule level: message`, the statement, and what to do instead. */
export function formatText(report: LintReport): string {
  const out: string[] = [];
  for (const finding of report.findings) {
    out.push(`${where(finding)} ${finding.rule} ${finding.level}: ${finding.message}`);
    if (finding.statement !== '') {
      const lines = finding.statement.split('\n');
      for (const line of lines.slice(0, MAX_STATEMENT_LINES)) out.push(`    | ${line.trimEnd()}`);
      if (lines.length > MAX_STATEMENT_LINES) out.push(`    | ... (${lines.length - MAX_STATEMENT_LINES} more lines)`);
    }
    out.push(`    instead: ${finding.hint}`, '');
  }
  for (const mark of report.deprecations) {
    out.push(`deprecated: ${mark.table}.${mark.column} (${mark.file}:${mark.line})${mark.note ? ` ${mark.note}` : ''}`);
  }
  const { errors, warnings } = countLevels(report);
  const checked = `${plural(report.migrations.length, 'migration')} (${plural(report.statementCount, 'statement')})`;
  const suppressed = report.suppressed.length > 0 ? `; ${report.suppressed.length} suppressed` : '';
  out.push(
    errors + warnings === 0
      ? `no problems in ${checked}${suppressed}`
      : `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${checked}${suppressed}`,
  );
  return `${out.join('\n')}\n`;
}

/** One line of JSON: a lint report is read by machines, and over a large tree it runs to megabytes. */
export function formatJson(report: LintReport): string {
  const { errors, warnings } = countLevels(report);
  return `${JSON.stringify({ ok: errors === 0, errors, warnings, ...report })}\n`;
}

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff. */
export function formatGithub(report: LintReport): string {
  const lines = report.findings.map((finding) => {
    const properties = [
      `file=${property(finding.file)}`,
      `line=${finding.start.line}`,
      `col=${finding.start.column}`,
      `endLine=${finding.end.line}`,
      `title=${property(`shipgate ${finding.rule}`)}`,
    ].join(',');
    return `::${finding.level} ${properties}::${data(`${finding.message}\ninstead: ${finding.hint}`)}`;
  });
  const { errors, warnings } = countLevels(report);
  lines.push(`shipgate: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(report.statementCount, 'statement')}`);
  return `${lines.join('\n')}\n`;
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
