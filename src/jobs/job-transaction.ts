import type { Kysely } from 'kysely';
import { databaseNow, writeTransaction } from '../store/write-transaction.js';
import type { JobDb, JobsDatabase } from './job-types.js';

export function jobsDb(store: JobDb): Kysely<JobsDatabase> {
  return store.db.withTables<{ jobs: JobsDatabase['jobs'] }>();
}

/** One write transaction with the database's time read at its start (see store/write-transaction.ts). */
export function jobTransaction<T>(store: JobDb, work: (db: Kysely<JobsDatabase>, now: Date) => Promise<T>): Promise<T> {
  return writeTransaction(jobsDb(store), store.dialect, async (tx) => work(tx, new Date(await databaseNow(tx, store.dialect))));
}
