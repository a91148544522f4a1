import { describe, expect, it } from 'vitest';
import type { NextStep } from '../errors/next-step.js';
import { renderNext } from './render-next.js';

describe('the CLI words every next step as it always has', () => {
  const cases: [NextStep, string][] = [
    [{ action: 'approve', args: { release: 'billing@2.1.0', role: 'module-team', count: 2 } }, '2 more module-team members run: shipgate approve billing@2.1.0 --role module-team'],
    [{ action: 'approve', args: { release: 'billing@2.1.0', role: 'tech-lead', count: 1 } }, '1 more tech-lead member runs: shipgate approve billing@2.1.0 --role tech-lead'],
    [{ action: 'approve', args: { release: 'billing@2.0.1', role: null, count: 1 } }, 'an approver runs: shipgate approve billing@2.0.1 --role <role>'],
    [{ action: 'waive', args: { release: 'billing@2.1.0', gate: 'versioning.load-tests' } }, 'waive it with the reason it is met: shipgate waive billing@2.1.0 versioning.load-tests --reason "..."'],
    [{ action: 'notice', args: { release: 'billing@2.1.0', days: 7 } }, 'announce the release, then record it: shipgate notice billing@2.1.0 (the 7-day period starts then)'],
    [{ action: 'wait', args: { until: '2026-02-09T01:00:00.000-08:00', days: 1 } }, 'wait 1 more day: the release may ship from 2026-02-09T01:00:00.000-08:00'],
    [{ action: 'wait', args: { until: '2026-03-04T01:00:00.000-08:00', days: 30 } }, 'wait 30 more days: the release may ship from 2026-03-04T01:00:00.000-08:00'],
    [{ action: 'postmortem', args: { release: 'billing@2.1.1' } }, 'shipgate postmortem billing@2.1.1 <url>'],
    [{ action: 'check', args: { release: 'billing@2.1.0' } }, 'shipgate check billing@2.1.0'],
    [{ action: 'create-release', args: { component: 'billing', type: 'hotfix' } }, 'shipgate release create billing --type hotfix'],
    [{ action: 'provide-evidence', args: { kind: 'junit', what: '"Unit tests passing"', patterns: ['reports/junit/**/*.xml'] } }, 'have CI write the JUnit XML report of "Unit tests passing" to reports/junit/**/*.xml'],
    [{ action: 'provide-evidence', args: { kind: 'sarif', what: '"Security scan passing"', patterns: [] } }, 'have CI write the SARIF output of "Security scan passing" to the configured path'],
    [{ action: 'provide-evidence', args: { kind: 'file', what: 'the RFC', patterns: ['docs/rfc/billing-*.md'] } }, 'write docs/rfc/billing-*.md and commit it to the candidate'],
    [{ action: 'provide-evidence', args: { kind: 'changed-files', what: '"Docs"', patterns: ['docs/**', '**/*.md'] } }, 'update docs/**, **/*.md and commit it to the candidate'],
    [{ action: 'configure-evidence', args: {} }, 'add it to the policy checklist, or waive the gate with a reason'],
    [{ action: 'fix-tests', args: { failed: ['a > b', 'c'], more: 3 } }, 'fix the failing tests: a > b, c and 3 more'],
    [{ action: 'fix-tests', args: { failed: ['a > b'], more: 0 } }, 'fix the failing tests: a > b'],
    [{ action: 'run-tests', args: { what: '"Unit tests passing"' } }, 'make sure the tests of "Unit tests passing" actually run (a report with no test cases proves nothing)'],
    [{ action: 'fix-findings', args: { level: 'warning' } }, 'fix or suppress the warning-level findings, then re-run the scan'],
    [{ action: 'fix-migrations', args: { steps: ['add the column in one release', 'drop it in the next'] } }, 'add the column in one release; drop it in the next'],
  ];
  it.each(cases)('%j', (step, words) => {
    expect(renderNext(step)).toBe(words);
  });
});
