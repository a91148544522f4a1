import { RULE_IDS, ruleInfo } from './rule-catalog.js';
import type { Finding, LintReport, SuppressedFinding } from './types.js';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** SARIF 2.1.0, for GitHub code scanning and other viewers. Suppressed findings are kept, marked in-source. */
export function formatSarif(report: LintReport, toolVersion: string): string {
  const ruleIndex = new Map(RULE_IDS.map((id, index) => [id, index]));
  const result = (finding: Finding, suppression?: SuppressedFinding) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIndex.get(finding.rule as (typeof RULE_IDS)[number]) ?? -1,
    level: finding.level,
    message: { text: `${finding.message}. Instead: ${finding.hint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.start.line,
            startColumn: finding.start.column,
            endLine: finding.end.line,
            endColumn: Math.max(finding.end.column, finding.start.line === finding.end.line ? finding.start.column : 1),
            ...(finding.statement === '' ? {} : { snippet: { text: finding.statement } }),
          },
        },
      },
    ],
    partialFingerprints: { 'shipgateMigration/v1': `${finding.migration}:${finding.rule}:${finding.statement}` },
    ...(suppression === undefined ? {} : { suppressions: [{ kind: 'inSource', justification: suppression.reason }] }),
  });
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipgate',
            version: toolVersion,
            rules: RULE_IDS.map((id) => {
              const info = ruleInfo(id);
              return {
                id,
                shortDescription: { text: info.summary },
                help: { text: `Instead: ${info.hint}` },
                defaultConfiguration: { level: info.level },
              };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory shipgate ran in' } } },
        results: [...report.findings.map((finding) => result(finding)), ...report.suppressed.map((finding) => result(finding, finding))],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
