import type { EvidenceSummary } from './types.js';

export interface Judgement {
  readonly pass: boolean;
  readonly evidence: readonly string[];
  readonly next: string | null;
}

const list = (items: readonly string[]) => items.join(', ');

/** Whether one piece of evidence satisfies its gate, with the lines a person needs to see why. Pure. */
export function judgeEvidence(summary: EvidenceSummary | undefined, what: string): Judgement {
  if (summary === undefined) return { pass: false, evidence: [`no evidence source is configured for ${what}`], next: 'add it to the policy checklist, or waive the gate with a reason' };
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
            next: `update ${list(summary.patterns)} and commit it to the candidate`,
          };
    case 'file':
      return summary.found.length > 0
        ? { pass: true, evidence: [`found ${list(summary.found)}`], next: null }
        : { pass: false, evidence: [`none of ${list(summary.patterns)} is in the candidate commit`], next: `write ${summary.patterns[0] ?? 'it'} and commit it to the candidate` };
  }
}

function judgeJunit(summary: Extract<EvidenceSummary, { kind: 'junit' }>, what: string): Judgement {
  if (summary.reports.length === 0) {
    return { pass: false, evidence: [`no JUnit report matches ${list(summary.patterns)}`], next: `have CI write the JUnit XML report of ${what} to ${summary.patterns[0] ?? 'the configured path'}` };
  }
  const evidence = summary.reports.map(
    (report) => `${report.file}: ${report.tests} test${report.tests === 1 ? '' : 's'}, ${report.failures + report.errors} failed, ${report.skipped} skipped`,
  );
  const tests = summary.reports.reduce((sum, report) => sum + report.tests, 0);
  const failed = summary.reports.flatMap((report) => report.failed);
  const failures = summary.reports.reduce((sum, report) => sum + report.failures + report.errors, 0);
  if (failures > 0) return { pass: false, evidence, next: `fix the failing tests: ${list(failed)}${failures > failed.length ? ` and ${failures - failed.length} more` : ''}` };
  if (tests === 0) return { pass: false, evidence: [...evidence, 'the reports contain no test cases'], next: `make sure the tests of ${what} actually run (a report with no test cases proves nothing)` };
  return { pass: true, evidence, next: null };
}

function judgeSarif(summary: Extract<EvidenceSummary, { kind: 'sarif' }>, what: string): Judgement {
  if (summary.reports.length === 0) return { pass: false, evidence: [`no SARIF file matches ${list(summary.patterns)}`], next: `have CI write the SARIF output of ${what} to ${summary.patterns[0] ?? 'the configured path'}` };
  const evidence = summary.reports.map(
    (report) => `${report.file}${report.tools.length > 0 ? ` (${list(report.tools)})` : ''}: ${report.counts.error} error, ${report.counts.warning} warning, ${report.counts.note} note`,
  );
  const findings = summary.reports.flatMap((report) => report.findings);
  if (findings.length > 0) return { pass: false, evidence: [...evidence, ...findings.map((finding) => `${finding.level}: ${finding.text}`)], next: `fix or suppress the ${findings[0]?.level ?? 'error'}-level findings, then re-run the scan` };
  return { pass: true, evidence, next: null };
}
