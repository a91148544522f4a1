import type { Generated } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * due: waits for its run_at; running: a worker holds its lease; done: finished, with its result;
 * dead: failed max_attempts times (or its workers kept dying), kept with its last error to be seen.
 */
export const JOB_STATES = ['due', 'running', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The jobs table (migration 0003-jobs) as Kysely sees it; times are UTC ISO text with milliseconds. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string;
  /** JSON text, as release_events.data: both databases store and return the same thing. */
  payload: string;
  state: JobState;
  run_at: string;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type JobsDatabase = Database & { jobs: JobsTable };

export interface Job {
  readonly id: number;
  readonly kind: string;
  readonly key: string;
  readonly payload: unknown;
  readonly state: JobState;
  readonly runAt: string;
  /** How many times a worker has claimed it; while running, the number of the current attempt. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** The worker holding it while running; the worker that finished it once done or dead. */
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
  readonly lastError: string | null;
  /** What the handler returned, once done. */
  readonly result: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

/**
 * A worker's hold on a claimed job. The attempt number fences it: once the lease expired and the job
 * was claimed again (even by the same worker id), this lease no longer matches and every write made
 * with it is refused.
 */
export interface Lease {
  readonly jobId: number;
  readonly owner: string;
  readonly attempt: number;
  readonly expiresAt: string;
}

export interface ClaimedJob {
  readonly job: Job;
  readonly lease: Lease;
}

/** Exponential backoff between attempts: base * 2^(attempt-1), never more than cap. */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 5_000, capMs: 3_600_000 };
export const DEFAULT_MAX_ATTEMPTS = 10;
