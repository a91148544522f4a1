import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs, findJob, listJobs, plantJob } from '../src/jobs/job-store.js';
import { startJobRunner, type JobContext, type JobRunner, type RunnerLog, type RunnerOptions } from '../src/jobs/run-jobs.js';
import type { Store } from '../src/store/open-store.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.each(storeBackends())('the job runner on $name', (backend) => {
  let store: Store | undefined;
  let runner: JobRunner | undefined;
  const logs: RunnerLog[] = [];
  afterEach(async () => {
    await runner?.stop();
    await store?.close();
    runner = undefined;
    store = undefined;
    logs.length = 0;
  });

  const start = async (options: Omit<RunnerOptions, 'store'>) => {
    ({ store } = await freshStore(backend));
    const open = store;
    runner = startJobRunner({ pollMs: 20, worker: 'runner-1', log: (entry) => logs.push(entry), ...options, store: open });
    return open;
  };
  const jobIs = (key: string, state: string) => async () => (await findJob(store!, key))?.state === state;

  it('runs each due job once and records what its handler returned; the handler sees its key and attempt', async () => {
    const seen: Pick<JobContext, 'key' | 'attempt' | 'payload'>[] = [];
    const open = await start({ handlers: { echo: { run: async ({ key, attempt, payload }) => (seen.push({ key, attempt, payload }), { echoed: payload }) } } });
    for (const key of ['one', 'two', 'three']) await plantJob(open, { kind: 'echo', key, payload: { key } });
    await waitFor('three jobs done', async () => (await listJobs(open, { state: 'done' })).jobs.length === 3);
    expect(seen.map((s) => s.key).sort()).toEqual(['one', 'three', 'two']);
    expect(seen.every((s) => s.attempt === 1 && (s.payload as { key: string }).key === s.key)).toBe(true);
    expect(await findJob(open, 'two')).toMatchObject({ state: 'done', attempts: 1, result: { echoed: { key: 'two' } }, leaseOwner: 'runner-1', leaseExpiresAt: null });
  });

  it('an attempt past its kind\'s timeout is aborted and fails, and the next attempt runs', async () => {
    const aborted: unknown[] = [];
    const open = await start({
      backoff: { baseMs: 10, capMs: 10 },
      handlers: {
        slow: {
          timeoutMs: 100,
          run: async ({ attempt, signal }) => {
            signal.addEventListener('abort', () => aborted.push((signal.reason as Error).message));
            // The first attempt ignores its signal: the runner must not wait for it.
            if (attempt === 1) await new Promise(() => undefined);
            return 'second time lucky';
          },
        },
      },
    });
    await plantJob(open, { kind: 'slow', key: 'slow-1' });
    await waitFor('the job done', jobIs('slow-1', 'done'));
    expect(await findJob(open, 'slow-1')).toMatchObject({ attempts: 2, result: 'second time lucky', lastError: 'timed out after 100 ms' });
    expect(aborted).toEqual(['timed out after 100 ms']);
  });

  it('a handler that keeps throwing is retried with backoff, then dead with its error', async () => {
    const attempts: number[] = [];
    const open = await start({
      backoff: { baseMs: 10, capMs: 40 },
      handlers: {
        broken: {
          run: async ({ attempt }) => {
            attempts.push(attempt);
            throw new Error(`webhook answered 500 (attempt ${attempt})`);
          },
        },
      },
    });
    await plantJob(open, { kind: 'broken', key: 'broken-1', maxAttempts: 3 });
    await waitFor('the job dead', jobIs('broken-1', 'dead'));
    expect(attempts).toEqual([1, 2, 3]);
    expect(await findJob(open, 'broken-1')).toMatchObject({ attempts: 3, lastError: 'webhook answered 500 (attempt 3)', result: null });
    expect(logs.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual(['the job is dead after 3 attempts: webhook answered 500 (attempt 3)']);
  });

  it('heartbeats keep a long job\'s lease, so no other worker takes it', async () => {
    const open = await start({ leaseMs: 300, handlers: { long: { run: () => sleep(1_200).then(() => 'finished') } } });
    await plantJob(open, { kind: 'long', key: 'long-1' });
    await waitFor('the job running', jobIs('long-1', 'running'));
    for (let look = 0; look < 4; look += 1) {
      await sleep(200);
      expect(await claimJobs(open, { worker: 'thief', kinds: ['long'], limit: 1, leaseMs: 1_000 })).toEqual([]);
    }
    await waitFor('the job done', jobIs('long-1', 'done'));
    expect(await findJob(open, 'long-1')).toMatchObject({ attempts: 1, leaseOwner: 'runner-1', result: 'finished' });
  });

  it('a job whose lease was lost is aborted and its result is not recorded over the new attempt\'s', async () => {
    let reason: string | undefined;
    // The heartbeat comes too late: by then the lease expired and another worker holds the job.
    // One at a time, so this runner does not claim the job back itself once its lease is gone.
    const open = await start({
      concurrency: 1,
      leaseMs: 200,
      heartbeatMs: 600,
      handlers: {
        stolen: {
          run: async ({ signal }) => {
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
            reason = (signal.reason as Error).message;
            return 'from the lost attempt';
          },
        },
      },
    });
    await plantJob(open, { kind: 'stolen', key: 'stolen-1' });
    await waitFor('the job running', jobIs('stolen-1', 'running'));
    await sleep(300);
    const [taken] = await claimJobs(open, { worker: 'other', kinds: ['stolen'], limit: 1, leaseMs: 60_000 });
    expect(taken?.lease.attempt).toBe(2);
    await waitFor('the first attempt aborted', async () => reason !== undefined);
    expect(reason).toBe('the lease was lost');
    await sleep(100);
    expect(await findJob(open, 'stolen-1')).toMatchObject({ state: 'running', attempts: 2, leaseOwner: 'other', result: null });
  });

  it('a runner that claims back its own job after its lease ran out keeps track of both attempts', async () => {
    const attempts: number[] = [];
    const open = await start({
      concurrency: 2,
      leaseMs: 60_000,
      heartbeatMs: 100,
      graceMs: 100,
      handlers: {
        twice: {
          run: async ({ attempt, signal }) => {
            attempts.push(attempt);
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
            return attempt;
          },
        },
      },
    });
    await plantJob(open, { kind: 'twice', key: 'twice-1' });
    await waitFor('the job running', jobIs('twice-1', 'running'));
    // As if this runner had stalled past its lease: the lease is over, and the runner claims the job again.
    await sql`UPDATE jobs SET lease_expires_at = '2000-01-01T00:00:00.000Z'`.execute(open.db);
    await waitFor('the second attempt', async () => attempts.length === 2);
    // The first attempt's heartbeat finds its lease gone and aborts it; the second still runs.
    await waitFor('the first attempt wound down', async () => logs.some((entry) => entry.message.startsWith('the lease was lost while the job ran')));
    await runner!.stop();
    expect(await findJob(open, 'twice-1')).toMatchObject({ state: 'due', attempts: 1, leaseOwner: null });
  });

  it('stop() lets a job finish within the grace period, then claims nothing more', async () => {
    const open = await start({ graceMs: 5_000, handlers: { quick: { run: () => sleep(300).then(() => 'made it') } } });
    await plantJob(open, { kind: 'quick', key: 'quick-1' });
    await waitFor('the job running', jobIs('quick-1', 'running'));
    await runner!.stop();
    expect(await findJob(open, 'quick-1')).toMatchObject({ state: 'done', result: 'made it' });
    await plantJob(open, { kind: 'quick', key: 'quick-2' });
    await sleep(200);
    expect((await findJob(open, 'quick-2'))?.state).toBe('due');
  });

  it('stop() hands back a job that outlasts the grace period, aborting its handler; the attempt does not count', async () => {
    let aborted = false;
    const open = await start({
      graceMs: 100,
      handlers: {
        endless: {
          run: async ({ signal }) => {
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
            aborted = true;
            return 'too late';
          },
        },
      },
    });
    await plantJob(open, { kind: 'endless', key: 'endless-1' });
    await waitFor('the job running', jobIs('endless-1', 'running'));
    await runner!.stop();
    expect(aborted).toBe(true);
    expect(await findJob(open, 'endless-1')).toMatchObject({ state: 'due', attempts: 0, leaseOwner: null, result: null });
  });
});
