import type { NextStep } from '../errors/next-step.js';
import type { EvidenceSummary } from './types.js';

export interface Judgement {
  readonly pass: boolean;
  readonly evidence: readonly string[];
  readonly next: NextStep | null;
}

const list = (items: readonly string[]) => items.join(', ');

/** Whether one piece of evidence satisfies its gate, with the lines a person needs to see why. Pure. */
export function judgeEvidence(summary: EvidenceSummary | undefined, what: string): Judgement {
  if (summary === undefined) return { pass: false, evidence: [`no evidence source is configured for ${what}`], next: { action: 'configure-evidence', args: {} } };
  switch (summary.kind) {
    case 'junit':
      return judgeJunit(summary, what);
    case 'sarif':
      return judgeSarif(summary, what);
    case 'changed-files':
      return summary.matched.length > 0
        ? { pass: true, evidence: [`changed since ${summary.since ?? 'the first commit'}: ${list(summary.matched.slice(0, 5))}${summary.matched.length > 5 ? ` and ${summary.matched.length - 5} more` : ''}`], next: null }
        : {
            pass: false,
            evidence: [`no file matching ${list(summary.patterns)} changed since ${summary.since ?? 'the first commit'}`],
            next: { action: 'provide-evidence', args: { kind: 'changed-files', what, patterns: summary.patterns } },
          };
    case 'file':
      return summary.found.length > 0
        ? { pass: true, evidence: [`found ${list(summary.found)}`], next: null }
        : { pass: false, evidence: [`none of ${list(summary.patterns)} is in the candidate commit`], next: { action: 'provide-evidence', args: { kind: 'file', what, patterns: summary.patterns } } };
  }
}

function judgeJunit(summary: Extract<EvidenceSummary, { kind: 'junit' }>, what: string): Judgement {
  if (summary.reports.length === 0) {
    return { pass: false, evidence: [`no JUnit report matches ${list(summary.patterns)}`], next: { action: 'provide-evidence', args: { kind: 'junit', what, patterns: summary.patterns } } };
  }
  const evidence = summary.reports.map(
    (report) => `${report.file}: ${report.tests} test${report.tests === 1 ? '' : 's'}, ${report.failures + report.errors} failed, ${report.skipped} skipped`,
  );
  const tests = summary.reports.reduce((sum, report) => sum + report.tests, 0);
  const failed = summary.reports.flatMap((report) => report.failed);
  const failures = summary.reports.reduce((sum, report) => sum + report.failures + report.errors, 0);
  if (failures > 0) return { pass: false, evidence, next: { action: 'fix-tests', args: { failed, more: Math.max(0, failures - failed.length) } } };
  if (tests === 0) return { pass: false, evidence: [...evidence, 'the reports contain no test cases'], next: { action: 'run-tests', args: { what } } };
  return { pass: true, evidence, next: null };
}

function judgeSarif(summary: Extract<EvidenceSummary, { kind: 'sarif' }>, what: string): Judgement {
  if (summary.reports.length === 0) return { pass: false, evidence: [`no SARIF file matches ${list(summary.patterns)}`], next: { action: 'provide-evidence', args: { kind: 'sarif', what, patterns: summary.patterns } } };
  const evidence = summary.reports.map(
    (report) => `${report.file}${report.tools.length > 0 ? ` (${list(report.tools)})` : ''}: ${report.counts.error} error, ${report.counts.warning} warning, ${report.counts.note} note`,
  );
  const findings = summary.reports.flatMap((report) => report.findings);
  if (findings.length > 0) return { pass: false, evidence: [...evidence, ...findings.map((finding) => `${finding.level}: ${finding.text}`)], next: { action: 'fix-findings', args: { level: findings[0]?.level ?? 'error' } } };
  return { pass: true, evidence, next: null };
}
