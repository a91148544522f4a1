import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { Dialect } from './migrations.js';

/**
 * The database's clock, as UTC ISO text with milliseconds (what Date.toISOString gives). Every time the
 * store records (events, releases, jobs) is this clock's, never a process's: two machines whose clocks
 * disagree still agree on the order of events, on which job is due and on whose lease has expired.
 */
export async function databaseNow(db: QueryExecutorProvider, dialect: Dialect): Promise<string> {
  const query =
    dialect === 'sqlite'
      ? sql<{ now: string }>`SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now`
      : sql<{ now: string }>`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`;
  const text = (await query.execute(db)).rows[0]?.now;
  if (text === undefined) throw new Error('the database did not say what time it is');
  return text;
}

/**
 * Runs `work` as one write transaction: BEGIN IMMEDIATE on SQLite (one writer for the whole file; other
 * processes wait on the busy timeout), a plain transaction on PostgreSQL whose reads take row locks
 * (FOR UPDATE, SKIP LOCKED for claims). Two writers of one row run one after the other.
 */
export async function writeTransaction<DB, T>(db: Kysely<DB>, dialect: Dialect, work: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(work);
  return db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      const result = await work(connection);
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
