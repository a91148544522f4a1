import type { GateReport, ReleaseState } from './types.js';

export interface ApprovalTransition {
  readonly from: ReleaseState;
  readonly to: ReleaseState;
  readonly reason: string;
}

/**
 * Whether the gates move the release between candidate and approved: a candidate whose every gate
 * passes (or is waived) is approved, and an approved release whose gates stop passing is a candidate
 * again. No command sets approved; only this decision does, so a release never reaches staging
 * without its gates. `report` is the evaluation of the release as it stands, with its whole log. Pure.
 */
export function decideApproval(report: GateReport): ApprovalTransition | null {
  const { release } = report;
  const commit = release.commit.slice(0, 7);
  if (release.state === 'candidate' && report.ok) return { from: 'candidate', to: 'approved', reason: `every gate passes for ${commit}` };
  if (release.state === 'approved' && !report.ok) {
    const failing = report.gates.filter((gate) => gate.verdict === 'fail').map((gate) => gate.id);
    return { from: 'approved', to: 'candidate', reason: `${failing.join(', ')} no longer pass${failing.length === 1 ? 'es' : ''} for ${commit}` };
  }
  return null;
}
