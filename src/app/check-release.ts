import type { NextStep } from '../errors/next-step.js';
import { decideApproval } from '../gates/decide-approval.js';
import { git } from '../git/run-git.js';
import type { GateReport } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { eventsOf, mutateRelease } from '../store/releases.js';
import type { EvidenceReader } from './cached-evidence.js';
import { gateReport, readGateEvidence } from './gate-evidence.js';
import type { GoverningPolicy } from './governing-policy.js';
import type { CodeownersSource } from './read-codeowners.js';
import { findRelease } from './resolve-release.js';
import { approvalStep } from './settle-approval.js';

/**
 * Reads the release, its log and its evidence, then lets the pure gates decide. With `record` (the
 * policy committed on main decides, not a preview), a release whose gates now pass becomes approved
 * and an approved one whose gates fail becomes a candidate again; nothing else is ever written.
 */
export async function checkRelease(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; now: Date; record?: boolean; readEvidence?: EvidenceReader }): Promise<GateReport> {
  const { store, policy, cwd, now } = options;
  const release = await findRelease(store, options.ref);
  const readEvidence = options.readEvidence ?? readGateEvidence;
  const [events, evidence] = await Promise.all([eventsOf(store, release), readEvidence({ cwd, policy, codeowners: options.codeowners, release })]);
  let report = gateReport(policy, release, events, evidence, now);
  // Decided again under the lock with the log and the clock of the store; most checks change nothing
  // and take no write lock at all.
  if (options.record === true && evidence.carried && decideApproval(report) !== null) {
    const { release: after, appended } = await mutateRelease(store, release.id, (current, log, storeNow) => approvalStep(policy, evidence, current, log, storeNow));
    if (appended.length > 0) report = { ...report, release: after };
  }
  if (evidence.carried) return report;
  const head = (await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd, okCodes: [1] })).stdout.trim();
  if (head === '') return report;
  const warning = `HEAD (${head.slice(0, 7)}) is not the candidate (${release.commit.slice(0, 7)}): the reports in the working tree may be of another commit; check out the candidate, or move it with \`shipgate release candidate ${release.id}\``;
  return { ...report, warnings: [...report.warnings, warning] };
}

/**
 * `check` as the CLI and the server run it: under the policy committed on main (which may record
 * that the release is now approved) or a preview under another (which records nothing), with what
 * decided and any drift of the working tree's policy in the report.
 */
export async function checkUnderPolicy(options: { store: Store; governing: GoverningPolicy; cwd: string; ref: string; now: Date; readEvidence?: EvidenceReader }): Promise<GateReport> {
  const { governing } = options;
  const checked = await checkRelease({ ...options, policy: governing.policy, codeowners: governing.codeowners, record: governing.preview === null });
  const warnings = governing.drift === null ? checked.warnings : [...checked.warnings, governing.drift];
  return { ...checked, warnings, policy: governing.source, preview: governing.preview };
}

/**
 * The JSON of a gate report: each gate's next step as data (`nextStep`) for clients that word it
 * themselves, and in the CLI's words (`next`, as it has always been there), which `render` gives.
 */
export function gateReportJson(report: GateReport, render: (step: NextStep) => string) {
  const gates = report.gates.map((gate) => ({
    id: gate.id,
    title: gate.title,
    source: gate.source,
    evidence: gate.evidence,
    waivable: gate.waivable,
    verdict: gate.verdict,
    next: gate.nextStep === null ? null : render(gate.nextStep),
    waiver: gate.waiver,
    nextStep: gate.nextStep,
  }));
  return { ...report, gates };
}
