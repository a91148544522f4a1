import { git } from '../git/run-git.js';
import { assertOpen, assertTransition } from '../gates/lifecycle.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord, ReleaseState } from '../gates/types.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { findRelease } from './resolve-release.js';

/** Moves a release to another state; two processes doing it at once: one wins, the other is told. */
export async function transitionRelease(options: { store: Store; ref: string; to: ReleaseState; reason?: string | undefined; actor: string; now: Date }): Promise<ReleaseRecord> {
  const found = await findRelease(options.store, options.ref);
  const { release } = await mutateRelease(options.store, found.id, (current) => {
    assertTransition(current, options.to);
    return {
      actor: options.actor,
      at: options.now.toISOString(),
      events: [{ kind: 'transition', from: current.state, to: options.to, reason: options.reason ?? null }],
      patch: { state: options.to },
    };
  });
  return release;
}

/**
 * Points the release at a new candidate commit (after a cherry-pick or a fix). Approvals and waivers
 * given to the old commit stop counting; an approved release goes back to candidate.
 */
export async function setCandidate(options: { store: Store; cwd: string; ref: string; commit?: string | undefined; actor: string; now: Date }): Promise<{ release: ReleaseRecord; changed: boolean }> {
  const { stdout } = await git(['rev-parse', '--verify', '--end-of-options', `${options.commit ?? 'HEAD'}^{commit}`], { cwd: options.cwd }).catch(() => {
    throw new ShipgateError('EUSAGE', `"${options.commit ?? 'HEAD'}" is not a commit`, { category: 'usage', hint: 'pass a commit sha or ref' });
  });
  const commit = stdout.trim();
  const found = await findRelease(options.store, options.ref);
  const { release, appended } = await mutateRelease(options.store, found.id, (current) => {
    assertOpen(current, 'a new candidate');
    if (current.commit === commit) return null;
    return {
      actor: options.actor,
      at: options.now.toISOString(),
      events: [{ kind: 'candidate', commit, previous: current.commit }],
      patch: { commit, ...(current.state === 'approved' ? { state: 'candidate' as const } : {}) },
    };
  });
  return { release, changed: appended.length > 0 };
}
