import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { errorText } from './decide-job.js';
import { claimJobs, completeJob, extendLease, failJob, handBackJob } from './job-store.js';
import { DEFAULT_BACKOFF, type Backoff, type ClaimedJob, type Lease } from './job-types.js';
import type { StoreDb } from '../store/open-store.js';

/**
 * What a handler is given. A handler may run again for the same job: a worker can die (or lose its
 * lease) after the handler's effect happened and before "done" was recorded, and the job then runs
 * again. So an effect must check the world before it repeats itself, keyed by `key` (a delivery id,
 * the running version, a row written in the same transaction as the effect); `attempt` says whether
 * this is a first try.
 */
export interface JobContext {
  readonly id: number;
  readonly kind: string;
  readonly key: string;
  readonly payload: unknown;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted on the kind's timeout, when the lease is lost, and when the runner stops past its grace. */
  readonly signal: AbortSignal;
}

export interface JobHandler {
  /** Does the job; what it returns (JSON) is recorded in the job row; what it throws fails the attempt. */
  run(context: JobContext): Promise<unknown>;
  /** An attempt running longer than this fails (and is retried); default the runner's timeoutMs. */
  readonly timeoutMs?: number;
}

export type JobHandlers = Readonly<Record<string, JobHandler>>;

export interface RunnerLog {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly job?: { readonly id: number; readonly kind: string; readonly key: string; readonly attempt: number };
}

export interface RunnerOptions {
  readonly store: StoreDb;
  readonly handlers: JobHandlers;
  /** This worker's name in lease_owner; default host:pid:random. */
  readonly worker?: string;
  /** Jobs run at once. */
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /** How often a running job's lease is extended; default a third of the lease. */
  readonly heartbeatMs?: number;
  /** How long the runner waits before asking the table again when it found nothing to do. */
  readonly pollMs?: number;
  /** On stop, how long running jobs may take to finish before they are handed back. */
  readonly graceMs?: number;
  /**
   * The timeout of kinds that set none: a handler that hangs while its runner heartbeats would
   * otherwise hold its job forever.
   */
  readonly timeoutMs?: number;
  readonly backoff?: Backoff;
  readonly log?: (entry: RunnerLog) => void;
}

export interface JobRunner {
  readonly worker: string;
  /** Stops claiming, lets running jobs finish within the grace period, hands the rest back. */
  stop(): Promise<void>;
}

export class JobTimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'JobTimeoutError';
  }
}

interface Running {
  lease: Lease;
  readonly about: NonNullable<RunnerLog['job']>;
  readonly controller: AbortController;
  finished: boolean;
  handedBack: boolean;
  done: Promise<void>;
}

/**
 * Claims and runs jobs of the handlers' kinds until stopped. No timer here decides anything: the poll
 * timer only asks the table again, and every due time, retry and lease lives in the table, so a
 * runner that dies loses nothing another runner will not pick up.
 */
export function startJobRunner(options: RunnerOptions): JobRunner {
  const worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3));
  const pollMs = options.pollMs ?? 1_000;
  const graceMs = options.graceMs ?? 10_000;
  const defaultTimeoutMs = options.timeoutMs ?? 15 * 60_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const log = options.log ?? (() => undefined);
  const kinds = Object.keys(options.handlers);
  // By attempt, not by job id: a job whose lease ran out here may be claimed again here while the lost attempt winds down.
  const running = new Set<Running>();
  let stopping = false;
  let wake: (() => void) | undefined;
  let stopped: Promise<void> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), ms);
      const finish = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      wake = finish;
    });

  const loop = async () => {
    while (!stopping) {
      const free = concurrency - running.size;
      let claimed: readonly ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await claimJobs(options.store, { worker, kinds, limit: free, leaseMs });
        } catch (error) {
          log({ level: 'error', message: `claiming jobs failed: ${errorText(error)}` });
        }
      }
      for (const job of claimed) start(job);
      // A full batch may mean more jobs wait: ask again at once (a finishing job also wakes the loop).
      if (free > 0 && claimed.length === free) continue;
      if (!stopping) await pause(pollMs);
    }
  };

  const start = ({ job, lease }: ClaimedJob) => {
    const about = { id: job.id, kind: job.kind, key: job.key, attempt: lease.attempt };
    const entry: Running = { lease, about, controller: new AbortController(), finished: false, handedBack: false, done: Promise.resolve() };
    running.add(entry);
    const handler = options.handlers[job.kind] as JobHandler;
    const context: JobContext = { id: job.id, kind: job.kind, key: job.key, payload: job.payload, attempt: lease.attempt, maxAttempts: job.maxAttempts, signal: entry.controller.signal };
    entry.done = (async () => {
      let leaseLost = false;
      let beat: NodeJS.Timeout | undefined;
      const heartbeat = () => {
        beat = setTimeout(async () => {
          try {
            const extended = await extendLease(options.store, entry.lease, leaseMs);
            if (entry.finished) return;
            if (extended === null) {
              leaseLost = true;
              entry.controller.abort(new Error('the lease was lost'));
              return;
            }
            entry.lease = extended;
          } catch (error) {
            // The store may be back before the lease runs out; if not, another worker takes over.
            log({ level: 'warn', message: `extending the lease failed: ${errorText(error)}`, job: about });
          }
          if (!entry.finished) heartbeat();
        }, heartbeatMs);
      };
      heartbeat();
      const timeoutMs = handler.timeoutMs ?? defaultTimeoutMs;
      const timer = setTimeout(() => entry.controller.abort(new JobTimeoutError(timeoutMs)), timeoutMs);
      try {
        const result = await untilAborted(Promise.resolve().then(() => handler.run(context)), entry.controller.signal);
        entry.finished = true;
        if (entry.handedBack) return;
        if ((await completeJob(options.store, entry.lease, result)) === null) log({ level: 'warn', message: 'the lease was lost before the job was recorded as done; another attempt owns it', job: about });
      } catch (error) {
        entry.finished = true;
        if (entry.handedBack) return;
        if (leaseLost) {
          log({ level: 'warn', message: 'the lease was lost while the job ran; another attempt owns it', job: about });
          return;
        }
        log({ level: 'warn', message: `attempt failed: ${errorText(error)}`, job: about });
        try {
          const failed = await failJob(options.store, entry.lease, error, backoff);
          if (failed?.state === 'dead') log({ level: 'error', message: `the job is dead after ${failed.attempts} attempts: ${failed.lastError ?? ''}`, job: about });
        } catch (storeError) {
          log({ level: 'error', message: `recording the failure failed: ${errorText(storeError)}`, job: about });
        }
      } finally {
        entry.finished = true;
        clearTimeout(beat);
        clearTimeout(timer);
      }
    })()
      .catch((error: unknown) => log({ level: 'error', message: `recording the job failed: ${errorText(error)}`, job: about }))
      .finally(() => {
        running.delete(entry);
        wake?.();
      });
  };

  const loopDone = loop();

  const stop = async () => {
    stopping = true;
    wake?.();
    await loopDone;
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...running].map((entry) => entry.done)), new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs)))]);
    clearTimeout(graceTimer);
    const left = [...running];
    for (const entry of left) {
      // Finished and being recorded: let it be recorded.
      if (entry.finished) continue;
      entry.handedBack = true;
      entry.controller.abort(new Error('the runner is stopping'));
      try {
        await handBackJob(options.store, entry.lease);
      } catch (error) {
        // Its lease will expire and another runner will take it: nothing is lost, only delayed.
        log({ level: 'error', message: `handing a job back failed: ${errorText(error)}`, job: entry.about });
      }
    }
    await Promise.allSettled(left.map((entry) => entry.done));
  };

  return {
    worker,
    stop: () => (stopped ??= stop()),
  };
}

/** The handler's promise, or its abort reason as soon as the signal fires (a handler may ignore it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
