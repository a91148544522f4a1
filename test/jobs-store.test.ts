import { afterEach, describe, expect, it } from 'vitest';
import { claimJobs, completeJob, extendLease, failJob, findJob, handBackJob, listJobs, plantJob } from '../src/jobs/job-store.js';
import { databaseNow } from '../src/store/write-transaction.js';
import type { Store } from '../src/store/open-store.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const claim = (store: Store, worker: string, options: { limit?: number; leaseMs?: number; kinds?: string[] } = {}) =>
  claimJobs(store, { worker, kinds: options.kinds ?? ['send'], limit: options.limit ?? 10, leaseMs: options.leaseMs ?? 60_000 });

describe.each(storeBackends())('the job store on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('planting the same key twice is a no-op that returns the first job', async () => {
    ({ store } = await freshStore(backend));
    const first = await plantJob(store, { kind: 'send', key: 'notice:billing@2.1.0', payload: { to: '#engineering' } });
    const second = await plantJob(store, { kind: 'send', key: 'notice:billing@2.1.0', payload: { to: '#elsewhere' }, maxAttempts: 2 });
    expect(first.planted).toBe(true);
    expect(second).toEqual({ planted: false, job: first.job });
    expect(first.job).toMatchObject({ state: 'due', attempts: 0, maxAttempts: 10, payload: { to: '#engineering' }, leaseOwner: null, lastError: null, result: null });
    // Times are the database's, in the store's one format, so text order is time order.
    expect(first.job.createdAt).toMatch(ISO_MS);
    expect(first.job.runAt).toBe(first.job.createdAt);
    expect((await listJobs(store)).jobs).toHaveLength(1);
  });

  it('a claim takes only due jobs of its kinds, and marks them running under the worker\'s lease', async () => {
    ({ store } = await freshStore(backend));
    const now = new Date(await databaseNow(store.db, store.dialect));
    await plantJob(store, { kind: 'send', key: 'later', runAt: new Date(now.getTime() + 3_600_000) });
    await plantJob(store, { kind: 'send', key: 'due', runAt: new Date(now.getTime() - 1_000) });
    await plantJob(store, { kind: 'deploy', key: 'other-kind' });
    const claimed = await claim(store, 'w1', { leaseMs: 30_000 });
    expect(claimed.map((c) => c.job.key)).toEqual(['due']);
    const [{ job, lease }] = claimed as [(typeof claimed)[number]];
    expect(job).toMatchObject({ state: 'running', attempts: 1, leaseOwner: 'w1' });
    expect(lease).toEqual({ jobId: job.id, owner: 'w1', attempt: 1, expiresAt: job.leaseExpiresAt });
    expect(Date.parse(lease.expiresAt) - Date.parse(job.updatedAt)).toBe(30_000);
    // Held: nobody else gets it, and the job not yet due stays put.
    expect(await claim(store, 'w2')).toEqual([]);
    expect((await findJob(store, 'later'))?.state).toBe('due');
  });

  it('concurrent claimers never get the same job', async () => {
    ({ store } = await freshStore(backend));
    for (let index = 0; index < 40; index += 1) await plantJob(store, { kind: 'send', key: `job-${index}` });
    const open = store;
    const batches = await Promise.all(Array.from({ length: 8 }, (_, index) => claim(open, `w${index}`, { limit: 3 })));
    const more = await Promise.all(Array.from({ length: 8 }, (_, index) => claim(open, `w${index}`, { limit: 10 })));
    const ids = [...batches, ...more].flat().map((c) => c.job.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('a failing job is retried after growing delays, then is dead with its error', async () => {
    ({ store } = await freshStore(backend));
    // Long enough that a claim right after a failure surely comes before the delay is over.
    const backoff = { baseMs: 300, capMs: 700 };
    await plantJob(store, { kind: 'send', key: 'flaky', maxAttempts: 4 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      let claimed = await claim(store, 'w1');
      // Right after a failure it is not due yet; once its delay has passed it is.
      if (attempt > 1) expect(claimed).toEqual([]);
      while (claimed.length === 0) {
        await sleep(20);
        claimed = await claim(store, 'w1');
      }
      expect(claimed[0]?.lease.attempt).toBe(attempt);
      const failed = await failJob(store, claimed[0]!.lease, new Error(`SMTP refused (try ${attempt})`), backoff);
      if (attempt < 4) {
        expect(failed).toMatchObject({ state: 'due', attempts: attempt, leaseOwner: null, lastError: `SMTP refused (try ${attempt})` });
        delays.push(Date.parse(failed!.runAt) - Date.parse(failed!.updatedAt));
      } else {
        expect(failed).toMatchObject({ state: 'dead', attempts: 4, lastError: 'SMTP refused (try 4)' });
        expect(failed?.finishedAt).toMatch(ISO_MS);
      }
    }
    expect(delays).toEqual([300, 600, 700]);
    expect(await claim(store, 'w1')).toEqual([]);
    expect((await listJobs(store, { state: 'dead' })).jobs.map((job) => [job.key, job.lastError])).toEqual([['flaky', 'SMTP refused (try 4)']]);
  });

  it('a worker that lost its lease cannot complete, fail, extend or hand back the job', async () => {
    ({ store } = await freshStore(backend));
    await plantJob(store, { kind: 'send', key: 'slow' });
    const [a] = await claim(store, 'worker-a', { leaseMs: 50 });
    await sleep(120);
    const [b] = await claim(store, 'worker-b');
    expect(b?.job).toMatchObject({ key: 'slow', attempts: 2, leaseOwner: 'worker-b' });
    expect(b?.job.lastError).toMatch(/attempt 1: the lease of worker worker-a expired/);
    expect(await completeJob(store, a!.lease, { by: 'a' })).toBeNull();
    expect(await failJob(store, a!.lease, new Error('a gave up'))).toBeNull();
    expect(await extendLease(store, a!.lease, 60_000)).toBeNull();
    expect(await handBackJob(store, a!.lease)).toBeNull();
    expect(await completeJob(store, b!.lease, { by: 'b' })).toMatchObject({ state: 'done', result: { by: 'b' }, leaseOwner: 'worker-b' });
    // Done stays done with b's result, whatever a says afterwards.
    expect(await completeJob(store, a!.lease, { by: 'a' })).toBeNull();
    expect(await findJob(store, 'slow')).toMatchObject({ state: 'done', result: { by: 'b' } });
  });

  it('the same worker claiming again after its lease expired fences off its earlier attempt', async () => {
    ({ store } = await freshStore(backend));
    await plantJob(store, { kind: 'send', key: 'again' });
    const [first] = await claim(store, 'w1', { leaseMs: 50 });
    await sleep(120);
    const [second] = await claim(store, 'w1');
    expect(second?.lease.attempt).toBe(2);
    expect(await completeJob(store, first!.lease, 'stale')).toBeNull();
    expect(await completeJob(store, second!.lease, 'fresh')).toMatchObject({ state: 'done', result: 'fresh' });
  });

  it('a heartbeat keeps the lease; a job whose workers keep dying is dead once its attempts are used', async () => {
    ({ store } = await freshStore(backend));
    await plantJob(store, { kind: 'send', key: 'kept' });
    await plantJob(store, { kind: 'send', key: 'poison', maxAttempts: 2 });
    const claimed = await claim(store, 'w1', { leaseMs: 300 });
    const kept = claimed.find((c) => c.job.key === 'kept')!;
    for (let beat = 0; beat < 4; beat += 1) {
      await sleep(100);
      expect(await extendLease(store, kept.lease, beat < 3 ? 300 : 60_000)).not.toBeNull();
    }
    // 400 ms after the claim, "poison" (never extended) is claimed again; "kept" is not.
    expect((await claim(store, 'w2', { leaseMs: 50 })).map((c) => [c.job.key, c.lease.attempt])).toEqual([['poison', 2]]);
    await sleep(120);
    expect(await claim(store, 'w3')).toEqual([]);
    const poison = await findJob(store, 'poison');
    expect(poison).toMatchObject({ state: 'dead', attempts: 2 });
    expect(poison?.lastError).toMatch(/attempt 2: the lease of worker w2 expired/);
    expect((await findJob(store, 'kept'))?.state).toBe('running');
  });

  it('a job handed back is due again at once and the attempt does not count', async () => {
    ({ store } = await freshStore(backend));
    await plantJob(store, { kind: 'send', key: 'interrupted', maxAttempts: 1 });
    const [held] = await claim(store, 'w1');
    expect(await handBackJob(store, held!.lease)).toMatchObject({ state: 'due', attempts: 0, leaseOwner: null, leaseExpiresAt: null });
    const [again] = await claim(store, 'w2');
    expect(again?.lease.attempt).toBe(1);
  });

  it('lists jobs newest first, by state, a page at a time', async () => {
    ({ store } = await freshStore(backend));
    for (const key of ['a', 'b', 'c', 'd', 'e']) await plantJob(store, { kind: 'send', key });
    const [done] = await claim(store, 'w1', { limit: 1 });
    await completeJob(store, done!.lease, null);
    const first = await listJobs(store, { limit: 2 });
    expect(first.jobs.map((job) => job.key)).toEqual(['e', 'd']);
    const second = await listJobs(store, { limit: 2, before: first.next! });
    expect(second.jobs.map((job) => job.key)).toEqual(['c', 'b']);
    const last = await listJobs(store, { limit: 2, before: second.next! });
    expect(last).toMatchObject({ next: null });
    expect(last.jobs.map((job) => job.key)).toEqual(['a']);
    expect((await listJobs(store, { state: 'due' })).jobs.map((job) => job.key)).toEqual(['e', 'd', 'c', 'b']);
    expect((await listJobs(store, { state: 'done' })).jobs.map((job) => job.key)).toEqual(['a']);
  });
});
