import type { Kysely, Selectable } from 'kysely';
import { afterFailure, afterLostLease, errorText, lostLeaseMessage } from './decide-job.js';
import { jobsDb, jobTransaction } from './job-transaction.js';
import type { StoreDb } from '../store/open-store.js';
import { databaseNow } from '../store/write-transaction.js';
import {
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  type Backoff,
  type ClaimedJob,
  type Job,
  type JobsDatabase,
  type JobsTable,
  type JobState,
  type Lease,
} from './job-types.js';

export interface NewJob {
  readonly kind: string;
  /** The idempotency key: a job with this key already planted is returned, not planted again. */
  readonly key: string;
  readonly payload?: unknown;
  /** When it may run first; default now (the database's now). */
  readonly runAt?: Date;
  readonly maxAttempts?: number;
}

/**
 * Plants a job, or finds the one already planted with its key (whatever its state: a done job is not
 * run again). Works on a Store or inside a transaction, so a decision can plant the jobs it causes in
 * the same transaction as the decision.
 */
export async function plantJob(store: StoreDb, job: NewJob): Promise<{ job: Job; planted: boolean }> {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a whole number from 1, not ${maxAttempts}`);
  if (job.runAt !== undefined && Number.isNaN(job.runAt.getTime())) throw new Error('runAt is not a valid time');
  const db = jobsDb(store);
  const now = await databaseNow(db, store.dialect);
  const inserted = await db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      key: job.key,
      payload: JSON.stringify(job.payload ?? null),
      state: 'due',
      run_at: job.runAt?.toISOString() ?? now,
      attempts: 0,
      max_attempts: maxAttempts,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { job: toJob(inserted), planted: true };
  const existing = await db.selectFrom('jobs').selectAll().where('key', '=', job.key).executeTakeFirstOrThrow();
  return { job: toJob(existing), planted: false };
}

export interface ClaimOptions {
  readonly worker: string;
  readonly kinds: readonly string[];
  readonly limit: number;
  readonly leaseMs: number;
}

/**
 * Takes up to `limit` jobs of `kinds` that are due, or running under an expired lease, for `worker`,
 * oldest run_at first. On PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED, so concurrent
 * claimers each take other rows without waiting; on SQLite BEGIN IMMEDIATE makes claims take turns.
 */
export async function claimJobs(store: StoreDb, options: ClaimOptions): Promise<ClaimedJob[]> {
  if (options.kinds.length === 0 || options.limit < 1) return [];
  return jobTransaction(store, async (db, now) => {
    const at = now.toISOString();
    let query = db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', 'in', [...options.kinds])
      .where((eb) => eb.or([eb.and([eb('state', '=', 'due'), eb('run_at', '<=', at)]), eb.and([eb('state', '=', 'running'), eb('lease_expires_at', '<=', at)])]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(options.limit);
    if (store.dialect === 'postgres') query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    const expiresAt = new Date(now.getTime() + options.leaseMs).toISOString();
    const claimed: ClaimedJob[] = [];
    for (const row of rows) {
      const lost = row.state === 'running' ? lostLeaseMessage(row.lease_owner, Number(row.attempts)) : null;
      if (lost !== null && afterLostLease(Number(row.attempts), Number(row.max_attempts)) === 'dead') {
        await db.updateTable('jobs').set({ state: 'dead', last_error: lost, lease_expires_at: null, updated_at: at, finished_at: at }).where('id', '=', row.id).execute();
        continue;
      }
      const updated = await db
        .updateTable('jobs')
        .set((eb) => ({
          state: 'running',
          attempts: eb('attempts', '+', 1),
          lease_owner: options.worker,
          lease_expires_at: expiresAt,
          updated_at: at,
          ...(lost === null ? {} : { last_error: lost }),
        }))
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const job = toJob(updated);
      claimed.push({ job, lease: { jobId: job.id, owner: options.worker, attempt: job.attempts, expiresAt } });
    }
    return claimed;
  });
}

/** Extends a lease by `leaseMs` from now; null when the lease was lost (the job is someone else's now). */
export function extendLease(store: StoreDb, lease: Lease, leaseMs: number): Promise<Lease | null> {
  return underLease(store, lease, async (db, now) => {
    const expiresAt = new Date(now.getTime() + leaseMs).toISOString();
    await db.updateTable('jobs').set({ lease_expires_at: expiresAt, updated_at: now.toISOString() }).where('id', '=', lease.jobId).execute();
    return { ...lease, expiresAt };
  });
}

/**
 * Records a job as done with what its handler returned. Only the lease's holder can: null means the
 * lease was lost and the job belongs to another attempt, whose result this one must not overwrite.
 * A lease that expired but that nobody has claimed since still completes: the work was done.
 */
export function completeJob(store: StoreDb, lease: Lease, result: unknown): Promise<Job | null> {
  const text = JSON.stringify(result ?? null);
  return underLease(store, lease, (db, now) => {
    const at = now.toISOString();
    return update(db, lease.jobId, { state: 'done', result: text, lease_expires_at: null, updated_at: at, finished_at: at });
  });
}

/** Records a failed attempt: due again after the backoff, or dead with the error after max_attempts. */
export function failJob(store: StoreDb, lease: Lease, error: unknown, backoff: Backoff = DEFAULT_BACKOFF): Promise<Job | null> {
  return underLease(store, lease, (db, now, row) => {
    const at = now.toISOString();
    const outcome = afterFailure(lease.attempt, Number(row.max_attempts), now, backoff);
    const common = { last_error: errorText(error), lease_expires_at: null, updated_at: at };
    if (outcome.state === 'dead') return update(db, lease.jobId, { ...common, state: 'dead', finished_at: at });
    return update(db, lease.jobId, { ...common, state: 'due', run_at: outcome.runAt, lease_owner: null });
  });
}

/**
 * Gives a claimed job back unfinished (a graceful stop): due again at once, and the attempt does
 * not count, since the job did not fail.
 */
export function handBackJob(store: StoreDb, lease: Lease): Promise<Job | null> {
  return underLease(store, lease, (db, now) => {
    const at = now.toISOString();
    return update(db, lease.jobId, { state: 'due', attempts: lease.attempt - 1, run_at: at, lease_owner: null, lease_expires_at: null, updated_at: at });
  });
}

export interface JobPage {
  readonly jobs: readonly Job[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly next: number | null;
}

/** Jobs newest first, optionally of one state, a page at a time (keyset paging on the id). */
export async function listJobs(store: StoreDb, options: { state?: JobState; limit?: number; before?: number } = {}): Promise<JobPage> {
  const limit = options.limit ?? 50;
  let query = jobsDb(store).selectFrom('jobs').selectAll();
  if (options.state !== undefined) query = query.where('state', '=', options.state);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
  const jobs = rows.slice(0, limit).map(toJob);
  return { jobs, next: rows.length > limit ? (jobs.at(-1)?.id ?? null) : null };
}

export async function findJob(store: StoreDb, key: string): Promise<Job | undefined> {
  const row = await jobsDb(store).selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst();
  return row && toJob(row);
}

/** Runs `work` in a write transaction only if `lease` still holds its job; null otherwise. */
async function underLease<T>(
  store: StoreDb,
  lease: Lease,
  work: (db: Kysely<JobsDatabase>, now: Date, row: Selectable<JobsTable>) => Promise<T>,
): Promise<T | null> {
  return jobTransaction(store, async (db, now) => {
    let query = db.selectFrom('jobs').selectAll().where('id', '=', lease.jobId);
    if (store.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row || row.state !== 'running' || row.lease_owner !== lease.owner || Number(row.attempts) !== lease.attempt) return null;
    return work(db, now, row);
  });
}

async function update(db: Kysely<JobsDatabase>, id: number, changes: Partial<Omit<JobsTable, 'id'>>): Promise<Job> {
  return toJob(await db.updateTable('jobs').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
}

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.key,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    runAt: row.run_at,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastError: row.last_error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
