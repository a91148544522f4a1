import { evaluateGates } from '../gates/evaluate-gates.js';
import { git } from '../git/run-git.js';
import type { GateReport } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { listEvents } from '../store/releases.js';
import { changedSinceLastTag, collectEvidence } from './collect-evidence.js';
import { collectMigrationEvidence } from './collect-migration-evidence.js';
import { componentOwners, type CodeownersSource } from './read-codeowners.js';
import { headCarriesCandidate } from './release-commits.js';
import { findRelease } from './resolve-release.js';

/** Reads the release, its log and its evidence, then lets the pure gates decide. Changes nothing. */
export async function checkRelease(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; now: Date }): Promise<GateReport> {
  const { store, policy, cwd, now } = options;
  const release = await findRelease(store, options.ref);
  // Reports are read from the working tree: they prove something about the candidate only if it is
  // checked out, or only shipgate's own release commits (`version`) were made on top of it; those
  // commits' CHANGELOG entries then count as the release's.
  const carried = await headCarriesCandidate(cwd, policy, release.commit);
  const changed = changedSinceLastTag(cwd, release, carried ? 'HEAD' : release.commit);
  const [events, evidence, owners, migrations] = await Promise.all([
    listEvents(store, release.id),
    collectEvidence({ cwd, policy, release, changed }),
    componentOwners(cwd, policy, release.path, options.codeowners),
    collectMigrationEvidence({ cwd, policy, release, changed }),
  ]);
  const report = evaluateGates({ policy, release, events, evidence, owners, now, ...(migrations ? { migrations } : {}) });
  if (carried) return report;
  const head = (await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd, okCodes: [1] })).stdout.trim();
  if (head === '') return report;
  const warning = `HEAD (${head.slice(0, 7)}) is not the candidate (${release.commit.slice(0, 7)}): the reports in the working tree may be of another commit; check out the candidate, or move it with \`shipgate release candidate ${release.id}\``;
  return { ...report, warnings: [...report.warnings, warning] };
}
