import type { NextStep } from './next-step.js';

/** Next steps done outside shipgate: every interface words them alike (the CLI and the API). */
export type OutsideStep = Extract<NextStep, { action: 'configure-evidence' | 'fix-tests' | 'run-tests' | 'fix-findings' | 'fix-migrations' }>;

export function renderOutsideStep(step: OutsideStep): string {
  switch (step.action) {
    case 'configure-evidence':
      return 'add it to the policy checklist, or waive the gate with a reason';
    case 'fix-tests':
      return `fix the failing tests: ${step.args.failed.join(', ')}${step.args.more > 0 ? ` and ${step.args.more} more` : ''}`;
    case 'run-tests':
      return `make sure the tests of ${step.args.what} actually run (a report with no test cases proves nothing)`;
    case 'fix-findings':
      return `fix or suppress the ${step.args.level}-level findings, then re-run the scan`;
    case 'fix-migrations':
      return step.args.steps.join('; ');
  }
}
