import { sql, type Selectable } from 'kysely';
import type { Store } from './open-store.js';
import type { TokensTable } from './schema.js';
import { databaseNow } from './write-transaction.js';

/** A token as `token list` shows it: never its secret, nor the hash of it. */
export interface TokenRecord {
  readonly id: string;
  readonly user: string;
  readonly name: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  /** 'full': whatever its user may do; 'calendar': read the calendar feed and nothing else. */
  readonly scope: TokenScope;
}

export type TokenScope = 'full' | 'calendar';

export interface StoredToken extends TokenRecord {
  readonly secretHash: string;
}

/** Inserts a token; its creation time is the store's, and `expiresInMs` counts from it. */
export async function insertToken(store: Store, token: { id: string; user: string; name: string | null; secretHash: string; expiresInMs: number | null; scope: TokenScope }): Promise<TokenRecord> {
  const at = await databaseNow(store.db, store.dialect);
  const expiresAt = token.expiresInMs === null ? null : new Date(Date.parse(at) + token.expiresInMs).toISOString();
  const row: TokensTable = { id: token.id, user_email: token.user, name: token.name, secret_hash: token.secretHash, created_at: at, expires_at: expiresAt, revoked_at: null, scope: token.scope };
  await store.db.insertInto('tokens').values(row).execute();
  return toRecord(row);
}

export async function listTokens(store: Store): Promise<TokenRecord[]> {
  const rows = await store.db.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toRecord);
}

/** Marks a token revoked (the first revocation's time stays); undefined when there is no such token. */
export async function revokeToken(store: Store, id: string): Promise<TokenRecord | undefined> {
  const at = await databaseNow(store.db, store.dialect);
  await store.db.updateTable('tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  const row = await store.db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** The token with this id and the store's time now, read in one query (expiry is judged by the store's clock). */
export async function findToken(store: Store, id: string): Promise<{ token: StoredToken | undefined; now: string }> {
  const now =
    store.dialect === 'sqlite' ? sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` : sql<string>`to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const row = await store.db
    .selectFrom(sql<{ now: string }>`(SELECT ${now} AS now)`.as('clock'))
    .leftJoin('tokens', (join) => join.on('tokens.id', '=', id))
    .select(['clock.now', 'tokens.id', 'tokens.user_email', 'tokens.name', 'tokens.secret_hash', 'tokens.created_at', 'tokens.expires_at', 'tokens.revoked_at', 'tokens.scope'])
    .executeTakeFirstOrThrow();
  if (row.id === null) return { token: undefined, now: row.now };
  const token = toRecord(row as Selectable<TokensTable>);
  return { token: { ...token, secretHash: (row as Selectable<TokensTable>).secret_hash }, now: row.now };
}

function toRecord(row: Selectable<TokensTable>): TokenRecord {
  return { id: row.id, user: row.user_email, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, scope: row.scope === 'calendar' ? 'calendar' : 'full' };
}
