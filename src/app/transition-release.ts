import { git } from '../git/run-git.js';
import { assertCommandTransition, assertOpen } from '../gates/lifecycle.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord, ReleaseState } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease, type Mutation } from '../store/releases.js';
import { readGateEvidenceForDecision } from './gate-evidence.js';
import type { CodeownersSource } from './read-codeowners.js';
import { findRelease } from './resolve-release.js';
import { SYSTEM_ACTOR, thenSettle } from './settle-approval.js';

/**
 * Moves a release to another state; two processes doing it at once: one wins, the other is told.
 * Approved is not among the states a command can ask for: only the gates decide it.
 */
export async function transitionRelease(options: { store: Store; ref: string; to: ReleaseState; reason?: string | undefined; actor: string; tokenId?: string | undefined }): Promise<ReleaseRecord> {
  const found = await findRelease(options.store, options.ref);
  const { release } = await mutateRelease(options.store, found.id, (current) => {
    assertCommandTransition(current, options.to);
    return {
      actor: options.actor,
      tokenId: options.tokenId,
      events: [{ kind: 'transition', from: current.state, to: options.to, reason: options.reason ?? null }],
      patch: { state: options.to },
    };
  });
  return release;
}

/**
 * Points the release at a new candidate commit (after a cherry-pick or a fix). Approvals and waivers
 * given to the old commit stop counting: an approved release goes back to candidate, and its gates
 * decide again on the new commit.
 */
export async function setCandidate(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; commit?: string | undefined; actor: string; tokenId?: string | undefined }): Promise<{ release: ReleaseRecord; changed: boolean }> {
  const { store, policy } = options;
  const { stdout } = await git(['rev-parse', '--verify', '--end-of-options', `${options.commit ?? 'HEAD'}^{commit}`], { cwd: options.cwd }).catch(() => {
    throw new ShipgateError('EUSAGE', `"${options.commit ?? 'HEAD'}" is not a commit`, { category: 'usage', hint: 'pass a commit sha or ref' });
  });
  const commit = stdout.trim();
  const found = await findRelease(store, options.ref);
  const evidence = await readGateEvidenceForDecision({ cwd: options.cwd, policy, codeowners: options.codeowners, release: { ...found, commit } });
  const { release, appended } = await mutateRelease(store, found.id, (current, events, now) => {
    assertOpen(current, 'a new candidate');
    if (current.commit === commit) return null;
    const moved: Mutation = { actor: options.actor, tokenId: options.tokenId, events: [{ kind: 'candidate', commit, previous: current.commit }], patch: { commit } };
    if (current.state !== 'approved') return thenSettle(policy, evidence, current, events, now, moved);
    // What was approved is the old commit: the release is a candidate again before its gates judge the new one.
    const back: Mutation = {
      actor: SYSTEM_ACTOR,
      events: [{ kind: 'transition', from: 'approved', to: 'candidate', reason: `the candidate moved from ${current.commit.slice(0, 7)} to ${commit.slice(0, 7)}` }],
      patch: { state: 'candidate' },
    };
    return thenSettle(policy, evidence, current, events, now, moved, back);
  });
  return { release, changed: appended.length > 0 };
}
