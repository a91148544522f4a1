import { answerOutcome, httpRequest } from '../channels/http-request.js';
import type { SendOutcome } from '../channels/send-outcome.js';

export interface BranchLockCall {
  readonly apiUrl: string;
  /** owner/name */
  readonly repository: string;
  readonly branch: string;
  readonly token: string;
  readonly locked: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Locks a branch through GitHub's branch protection (lock_branch makes it read-only; admins included)
 * or lifts that protection. Both are idempotent, so a retry after a crash does no harm: the same PUT
 * again, or a DELETE that finds nothing to lift (404). shipgate owns the protection of the release
 * branches it locks; rules meant to outlive the freeze belong in a ruleset on the branch pattern.
 */
export async function setBranchLock(call: BranchLockCall): Promise<SendOutcome> {
  const root = call.apiUrl.replace(/\/+$/, '');
  const [owner = '', name = ''] = call.repository.split('/');
  const url = `${root}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/branches/${encodeURIComponent(call.branch)}/protection`;
  const body = call.locked
    ? JSON.stringify({ required_status_checks: null, enforce_admins: true, required_pull_request_reviews: null, restrictions: null, lock_branch: true, allow_force_pushes: false, allow_deletions: false })
    : null;
  const where = `GitHub (${call.repository}, ${call.branch})`;
  const result = await httpRequest({
    method: call.locked ? 'PUT' : 'DELETE',
    url,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${call.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'shipgate',
      ...(body === null ? {} : { 'content-type': 'application/json' }),
    },
    body,
    timeoutMs: call.timeoutMs,
    name: where,
    ...(call.signal ? { signal: call.signal } : {}),
  });
  if ('failure' in result) return result.failure;
  if (!call.locked && result.answer.status === 404) return { ok: true, detail: `${where}: the branch was not protected` };
  if (call.locked && result.answer.status === 404) return { ok: false, uncertain: false, detail: `${where} answered 404: the branch does not exist yet, or the token may not administer the repository` };
  return answerOutcome(where, result.answer);
}
