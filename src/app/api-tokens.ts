import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ShipgateError } from '../errors/shipgate-error.js';
import { parseDuration } from '../policy/duration.js';
import type { Store } from '../store/open-store.js';
import { findToken, insertToken, listTokens, revokeToken, type TokenRecord, type TokenScope } from '../store/tokens.js';

/*
 * A token is `sgt_<id>_<secret>`: the id (64 random bits, hex) names it in the store, in `token list`
 * and in the events it writes; the secret (256 random bits, base64url) is shown once and only its
 * SHA-256 is kept. A request is matched by id, then the secret's hash is compared in constant time.
 */
const TOKEN = /^sgt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const TOKEN_ID = /^[0-9a-f]{16}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Whether a value carries a shipgate token (or its secret half's prefix): such a value is never echoed or logged. */
export function looksLikeToken(value: string): boolean {
  return /sgt_[0-9a-f]{6}/i.test(value);
}

export interface CreatedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** A new token for `user`, valid for `expires` ("90d"; null: until revoked). The token is returned here and never again. */
/** `--scope` values: a calendar token may only read the calendar feed, and is the only kind accepted in a URL. */
export const TOKEN_SCOPES: readonly TokenScope[] = ['full', 'calendar'];

export async function createApiToken(store: Store, options: { user: string; name?: string | undefined; expires?: string | null | undefined; scope?: string | undefined }): Promise<CreatedToken> {
  const user = options.user.trim().toLowerCase();
  if (!EMAIL.test(user)) throw new ShipgateError('EUSAGE', `"${options.user}" is not an email address`, { category: 'usage', hint: 'pass the email the policy and CODEOWNERS know the person by' });
  const scope = options.scope ?? 'full';
  if (!(TOKEN_SCOPES as readonly string[]).includes(scope)) throw new ShipgateError('EUSAGE', `--scope "${scope}" is not a token scope`, { category: 'usage', hint: `scopes: ${TOKEN_SCOPES.join(', ')} (calendar: may only read the calendar feed, to subscribe to it)` });
  const expiresInMs = options.expires === undefined || options.expires === null ? null : expiryMs(options.expires);
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record = await insertToken(store, { id, user, name: options.name ?? null, secretHash: hashSecret(secret), expiresInMs, scope: scope as TokenScope });
  return { token: `sgt_${id}_${secret}`, record };
}

export function listApiTokens(store: Store): Promise<TokenRecord[]> {
  return listTokens(store);
}

export async function revokeApiToken(store: Store, id: string): Promise<TokenRecord> {
  const revoked = TOKEN_ID.test(id) ? await revokeToken(store, id) : undefined;
  if (revoked === undefined) throw new ShipgateError('ETOKEN', `no token with id "${id}"`, { category: 'not-found', hint: 'list them with `shipgate token list`' });
  return revoked;
}

/** Who a token is, or why it is refused (one reason for every failure, so a guesser learns nothing). */
export type Authentication =
  | {
      readonly ok: true;
      readonly user: string;
      readonly tokenId: string;
      readonly scope: TokenScope;
      /** When it expires (null: never), and the store's time it was checked at: what a cache of it needs to know. */
      readonly expiresAt: string | null;
      readonly checkedAt: string;
    }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown' | 'expired' | 'revoked' };

export async function authenticateToken(store: Store, token: string): Promise<Authentication> {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, id = '', secret = ''] = match;
  const { token: stored, now } = await findToken(store, id);
  // Hashed first whether or not the id is known: the time taken says nothing about which ids exist.
  const given = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(stored?.secretHash ?? '0'.repeat(64), 'hex');
  const same = expected.length === given.length && timingSafeEqual(expected, given);
  if (stored === undefined || !same) return { ok: false, reason: 'unknown' };
  if (stored.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (stored.expiresAt !== null && stored.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, user: stored.user, tokenId: stored.id, scope: stored.scope, expiresAt: stored.expiresAt, checkedAt: now };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function expiryMs(text: string): number {
  if (!/^\d+(m|h|d|w)$/.test(text) || Number.parseInt(text, 10) === 0) {
    throw new ShipgateError('EUSAGE', `--expires "${text}" is not a duration`, { category: 'usage', hint: 'e.g. 90d, 12h or 2w; leave it out for a token that lasts until revoked' });
  }
  const ms = parseDuration(text).as('milliseconds');
  if (ms > 5 * 366 * 86_400_000) throw new ShipgateError('EUSAGE', `--expires "${text}" is more than five years`, { category: 'usage', hint: 'leave --expires out for a token that lasts until revoked' });
  return ms;
}
