import type { Kysely } from 'kysely';
import type { StoreDb } from '../store/open-store.js';
import { databaseNow, writeTransaction } from '../store/write-transaction.js';
import type { JobsDatabase } from './job-types.js';

export function jobsDb(store: StoreDb): Kysely<JobsDatabase> {
  return store.db.withTables<{ jobs: JobsDatabase['jobs'] }>();
}

/** One write transaction with the database's time read at its start (see store/write-transaction.ts). */
export function jobTransaction<T>(store: StoreDb, work: (db: Kysely<JobsDatabase>, now: Date) => Promise<T>): Promise<T> {
  return writeTransaction(jobsDb(store), store.dialect, async (tx) => work(tx, new Date(await databaseNow(tx, store.dialect))));
}
