import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { Dialect } from '../store/migrations.js';
import type { JobDb, JobsDatabase } from './job-types.js';

/**
 * The database's clock, as UTC ISO text with milliseconds (what Date.toISOString gives): every time
 * the job engine writes is this clock's, never a worker's, so two machines whose clocks disagree
 * still agree on which job is due and whose lease has expired.
 */
export async function databaseNow(db: QueryExecutorProvider, dialect: Dialect): Promise<Date> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ now: string }>`SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now`.execute(db)
      : await sql<{ now: string }>`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`.execute(db);
  const text = rows[0]?.now;
  if (text === undefined) throw new Error('the database did not say what time it is');
  return new Date(text);
}

export function jobsDb(store: JobDb): Kysely<JobsDatabase> {
  return store.db.withTables<{ jobs: JobsDatabase['jobs'] }>();
}

/**
 * Runs `work` as one write transaction with the database's time read at its start: BEGIN IMMEDIATE
 * on SQLite (one writer for the whole file; other processes wait on the busy timeout), a plain
 * transaction on PostgreSQL whose reads take row locks (FOR UPDATE, SKIP LOCKED for claims).
 * `store` must be a Store, not a transaction already open.
 */
export async function jobTransaction<T>(store: JobDb, work: (db: Kysely<JobsDatabase>, now: Date) => Promise<T>): Promise<T> {
  const db = jobsDb(store);
  if (store.dialect === 'postgres') return db.transaction().execute(async (tx) => work(tx, await databaseNow(tx, 'postgres')));
  return db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      const result = await work(connection, await databaseNow(connection, 'sqlite'));
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
