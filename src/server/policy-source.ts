import { serverPolicy, type GoverningPolicy } from '../app/governing-policy.js';
import { readRefState } from '../app/ref-state.js';

/**
 * Main's committed policy for every request, parsed once per state of the clone's refs. A fetch by
 * this server is seen by the next request; with `maxAgeMs`, a change made to the clone from outside
 * (by hand, by another server in the same clone) is seen within that time, and requests share one
 * `git show-ref` per period instead of one each. The clone is only as current as its last fetch
 * (every server.fetchInterval) anyway.
 */
export function policySource(cwd: string, options: { maxAgeMs?: number } = {}): () => Promise<GoverningPolicy> {
  let cached: { key: string; value: Promise<GoverningPolicy> } | undefined;
  return async () => {
    const key = await readRefState(cwd, options.maxAgeMs ?? 0);
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
