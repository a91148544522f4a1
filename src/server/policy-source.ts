import { serverPolicy, type GoverningPolicy } from '../app/governing-policy.js';
import { git } from '../git/run-git.js';

/**
 * Main's committed policy for every request, parsed once per state of the clone's branches: a request
 * costs one `git for-each-ref`, and a fetch that moves main is seen by the next request.
 */
export function policySource(cwd: string): () => Promise<GoverningPolicy> {
  let cached: { key: string; value: Promise<GoverningPolicy> } | undefined;
  return async () => {
    const key = (await git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/', 'refs/remotes/origin/'], { cwd })).stdout;
    if (cached?.key === key) return cached.value;
    const value = serverPolicy({ cwd });
    const entry = { key, value };
    cached = entry;
    // A policy that failed to load is read again next time (someone may be fixing main right now).
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}
