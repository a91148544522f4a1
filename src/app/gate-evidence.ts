import type { MigrationGateResult } from '../migrations/migration-gate.js';
import { isShipgateError } from '../errors/shipgate-error.js';
import { evaluateGates } from '../gates/evaluate-gates.js';
import type { EvidenceSummary, GateReport, LoggedEvent, ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import { changedSinceLastTag, collectEvidence } from './collect-evidence.js';
import { collectMigrationEvidence } from './collect-migration-evidence.js';
import { componentOwners, type CodeownersSource } from './read-codeowners.js';
import { headCarriesCandidate } from './release-commits.js';

/** What the gates of one candidate are judged on besides the log, read from the repository beforehand. */
export interface GateEvidence {
  /** The candidate the evidence is about: it proves nothing for another. */
  readonly commit: string;
  /**
   * Whether the working tree holds the candidate (or only shipgate's release commits on top of it):
   * only then are the reports in it the candidate's.
   */
  readonly carried: boolean;
  readonly evidence: Readonly<Record<string, EvidenceSummary>>;
  readonly owners: readonly string[];
  readonly migrations?: MigrationGateResult;
}

/**
 * Reads the release's evidence: reports in the working tree, files changed since its last tag, the
 * candidate's files, its CODEOWNERS owners and its new migrations. A malformed report stops it with
 * its position. This is the I/O half of a gate decision; evaluateGates is the pure half.
 */
export async function readGateEvidence(options: { cwd: string; policy: Policy; codeowners: CodeownersSource; release: ReleaseRecord }): Promise<GateEvidence> {
  const { cwd, policy, release } = options;
  // Reports are read from the working tree: they prove something about the candidate only if it is
  // checked out, or only shipgate's own release commits (`version`) were made on top of it; those
  // commits' CHANGELOG entries then count as the release's.
  const carried = await headCarriesCandidate(cwd, policy, release.commit);
  const changed = changedSinceLastTag(cwd, release, carried ? 'HEAD' : release.commit);
  const [evidence, owners, migrations] = await Promise.all([
    collectEvidence({ cwd, policy, release, changed }),
    componentOwners(cwd, policy, release.path, options.codeowners),
    collectMigrationEvidence({ cwd, policy, release, changed }),
  ]);
  return { commit: release.commit, carried, evidence, owners, ...(migrations ? { migrations } : {}) };
}

/**
 * The evidence a command that changes a release hands to the approval decision, or null when there
 * is none to decide on: a broken report or a working tree at another commit leaves the release's
 * state as it is (`check` says why), and never stops the approval or waiver being recorded.
 */
export async function readGateEvidenceForDecision(options: { cwd: string; policy: Policy; codeowners: CodeownersSource; release: ReleaseRecord }): Promise<GateEvidence | null> {
  try {
    const read = await readGateEvidence(options);
    return read.carried ? read : null;
  } catch (error) {
    if (isShipgateError(error) && error.category !== 'internal') return null;
    throw error;
  }
}

export function gateReport(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[], evidence: GateEvidence, now: Date): GateReport {
  return evaluateGates({ policy, release, events, evidence: evidence.evidence, owners: evidence.owners, now, ...(evidence.migrations ? { migrations: evidence.migrations } : {}) });
}
