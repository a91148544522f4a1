import { decideApproval } from '../gates/decide-approval.js';
import { decideVerification } from '../gates/decide-verification.js';
import { evaluateGates } from '../gates/evaluate-gates.js';
import type { LoggedEvent, ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import { applyMutation, type Mutation } from '../store/releases.js';
import { gateReport, type GateEvidence } from './gate-evidence.js';

/** Who records what the gates decide on their own. */
export const SYSTEM_ACTOR = 'shipgate';

/**
 * Under the release's lock: the transition its gates decide (candidate <-> approved), judged on the
 * log as read under the lock and the store's clock, or null. Evidence read for another candidate
 * (the candidate moved meanwhile) decides nothing.
 */
export function approvalStep(policy: Policy, evidence: GateEvidence | null, release: ReleaseRecord, events: readonly LoggedEvent[], now: Date): Mutation | null {
  if (evidence === null || evidence.commit !== release.commit) return null;
  const transition = decideApproval(gateReport(policy, release, events, evidence, now));
  if (transition === null) return null;
  return { actor: SYSTEM_ACTOR, events: [{ kind: 'transition', ...transition }], patch: { state: transition.to } };
}

/**
 * A release in production becomes verified when its post-release gates pass or are waived. They are
 * judged on the log alone (what the deploys measured, sign-offs, waivers), so this needs no
 * repository: the pipeline's worker decides it as well as a command. `owners` count for waivers.
 */
export function verificationStep(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[], now: Date, owners: readonly string[] = []): Mutation | null {
  if (release.state !== 'production') return null;
  const transition = decideVerification(evaluateGates({ policy, release, events, evidence: {}, owners, now }));
  if (transition === null) return null;
  return { actor: SYSTEM_ACTOR, events: [{ kind: 'transition', ...transition }], patch: { state: transition.to } };
}

/** `steps`, then what the gates decide on the release as they leave it (approved, verified): one transaction, the user's steps and shipgate's. */
export function thenSettle(policy: Policy, evidence: GateEvidence | null, release: ReleaseRecord, events: readonly LoggedEvent[], now: Date, ...steps: Mutation[]): Mutation[] {
  let after = { release, events: [...events] };
  for (const step of steps) after = applyMutation(after.release, after.events, step, now);
  const settle = approvalStep(policy, evidence, after.release, after.events, now) ?? verificationStep(policy, after.release, after.events, now, evidence?.owners ?? []);
  return settle === null ? steps : [...steps, settle];
}
