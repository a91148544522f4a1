import { createHash } from 'node:crypto';
import { authenticateToken, type Authentication } from '../app/api-tokens.js';
import type { Store } from '../store/open-store.js';

/**
 * The API's token check, with each accepted token remembered for `ttlMs` (5 s by default): a busy
 * client's requests then skip the store read and the hash compare, which cost a read of a release
 * list a third of its time. Only acceptance is remembered: an unknown, expired or revoked token is
 * asked of the store every time, and a remembered token still expires on time (by the store's clock
 * as read, plus the time since). The price, on purpose and in the README: a revoked token keeps
 * working for at most `ttlMs` on a server that had just accepted it.
 */
export type Authenticate = (token: string) => Promise<Authentication>;

export function cachedAuthentication(store: Store, options: { ttlMs?: number; clock?: () => number; maxEntries?: number } = {}): Authenticate {
  const ttlMs = options.ttlMs ?? 5000;
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? 1000;
  // Keyed by the token's hash, so no token is kept in memory beyond the request that sent it.
  const accepted = new Map<string, { outcome: Authentication & { ok: true }; at: number; expiresIn: number }>();
  return async (token) => {
    const key = createHash('sha256').update(token, 'utf8').digest('base64');
    const now = clock();
    const hit = accepted.get(key);
    if (hit !== undefined) {
      const age = now - hit.at;
      if (age >= 0 && age < ttlMs && age < hit.expiresIn) return hit.outcome;
      accepted.delete(key);
    }
    const outcome = await authenticateToken(store, token);
    if (outcome.ok) {
      if (accepted.size >= maxEntries) accepted.delete(accepted.keys().next().value as string);
      const expiresIn = outcome.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(outcome.expiresAt) - Date.parse(outcome.checkedAt);
      accepted.set(key, { outcome, at: now, expiresIn });
    }
    return outcome;
  };
}
