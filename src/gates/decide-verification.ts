import type { ApprovalTransition } from './decide-approval.js';
import type { GateReport } from './types.js';

/**
 * Whether a release in production is verified: every post-release gate passes or is waived. Only
 * this decision sets verified, as only decideApproval sets approved. Pure.
 */
export function decideVerification(report: GateReport): ApprovalTransition | null {
  if (report.release.state !== 'production') return null;
  const post = report.gates.filter((gate) => gate.source === 'postRelease');
  if (!post.every((gate) => gate.verdict === 'pass' || gate.verdict === 'waived')) return null;
  const reason = post.length === 0 ? 'the policy has no post-release checks' : `every post-release check passes: ${post.map((gate) => gate.id.replace(/^postRelease\./, '')).join(', ')}`;
  return { from: 'production', to: 'verified', reason };
}
