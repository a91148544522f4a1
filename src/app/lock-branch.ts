import { redact } from '../channels/send-outcome.js';
import { setBranchLock } from '../forge/github-lock.js';
import { releaseEvent } from '../notify-plan/plan-messages.js';
import { getRelease, mutateRelease } from '../store/releases.js';
import { databaseNow } from '../store/write-transaction.js';
import type { NotifyDeps } from './notify-deps.js';
import { SYSTEM_ACTOR } from './settle-approval.js';

export interface LockRequest {
  readonly release: string;
  readonly branch: string;
  readonly locked: boolean;
}

/**
 * Locks (at the freeze's start) or unlocks (at its end) a release's branch on GitHub with the token
 * from the environment, and writes the outcome in the release's history; a failure throws, so the
 * job retries it. Locking twice or unlocking an unlocked branch is harmless, so a retry is safe.
 */
export async function lockBranch(deps: NotifyDeps, request: LockRequest, signal?: AbortSignal): Promise<{ branch: string; locked: boolean; detail: string | null }> {
  const github = deps.policy.freeze.github;
  if (github === null) return { branch: request.branch, locked: false, detail: 'the policy names no GitHub repository' };
  if (request.locked) {
    // Decided again when it runs: a lock that comes due only after its freeze ended (the runner was
    // down throughout) would otherwise land after the unlock and leave the branch locked for good.
    const release = await getRelease(deps.store, request.release);
    const event = release && releaseEvent(deps.policy, release);
    const now = await databaseNow(deps.store.db, deps.store.dialect);
    if (event !== undefined && Date.parse(now) >= Date.parse(event.freeze.end)) return { branch: request.branch, locked: false, detail: `not locked: its freeze ended at ${event.freeze.end}` };
  }
  const token = deps.env[github.tokenEnv];
  const outcome =
    token === undefined || token === ''
      ? { ok: false as const, uncertain: false, detail: `${github.tokenEnv} is not set in the environment` }
      : await setBranchLock({ apiUrl: github.apiUrl, repository: github.repository, branch: request.branch, token, locked: request.locked, timeoutMs: deps.policy.notify.timeoutSeconds * 1000, ...(signal ? { signal } : {}) });
  const detail = outcome.detail === null ? null : redact(outcome.detail, token ? [token] : []);
  await mutateRelease(deps.store, request.release, (_release, events) => {
    const done = events.some((event) => event.data.kind === 'branch-lock' && event.data.branch === request.branch && event.data.locked === request.locked && event.data.outcome === 'done');
    if (outcome.ok && done) return null;
    return { actor: SYSTEM_ACTOR, events: [{ kind: 'branch-lock', branch: request.branch, locked: request.locked, outcome: outcome.ok ? 'done' : 'failed', detail }] };
  });
  if (!outcome.ok) throw new Error(detail ?? 'the branch protection could not be changed');
  return { branch: request.branch, locked: request.locked, detail };
}
