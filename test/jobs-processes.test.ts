import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { findJob, plantJob } from '../src/jobs/job-store.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { startScript, type ScriptProcess } from './helpers/child-processes.js';
import { storeBackends } from './helpers/stores.js';
import { waitFor } from './helpers/wait-for.js';

const WORKER = fileURLToPath(new URL('./helpers/job-worker.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Worker = ScriptProcess & { readonly name: string };

/** A real worker process (test/helpers/job-worker.mjs) on the built shipgate. */
function startWorker(db: string, name: string, env: Record<string, string> = {}): Worker {
  return Object.assign(startScript(WORKER, [db, name], env), { name });
}

async function count(store: Store, query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return Number((await query.execute(store.db)).rows[0]?.n ?? 0);
}

describe.each(storeBackends())('job worker processes on one $name store', (backend) => {
  let store: Store | undefined;
  const workers: Worker[] = [];
  afterEach(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    workers.length = 0;
    await store?.close();
    store = undefined;
  });

  const setUp = async () => {
    const { location, db } = await backend.fresh();
    store = await openStore(location);
    await sql`CREATE TABLE effects (job_key text NOT NULL, worker text NOT NULL, attempt integer NOT NULL)`.execute(store.db);
    return { db, open: store };
  };
  const stopAll = async () => {
    for (const worker of workers) worker.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    expect(exits.map((exit, index) => [workers[index]?.name, exit.code])).toEqual(workers.map((worker) => [worker.name, 0]));
  };

  it('three workers claiming 200 jobs at once run every job exactly once', async () => {
    const { db, open } = await setUp();
    for (const name of ['w1', 'w2', 'w3']) workers.push(startWorker(db, name));
    // All are claiming before the jobs appear, so they compete for every one of them.
    await waitFor('the workers ready', () => workers.every((worker) => worker.stdout.includes('ready')));
    for (let index = 0; index < 200; index += 1) await plantJob(open, { kind: 'effect', key: `job-${String(index).padStart(3, '0')}` });
    await waitFor('200 jobs done', async () => (await count(open, sql<{ n: number }>`SELECT count(*) AS n FROM jobs WHERE state = 'done'`)) === 200);
    await stopAll();
    const effects = (await sql<{ job_key: string; worker: string; attempt: number }>`SELECT job_key, worker, attempt FROM effects`.execute(open.db)).rows;
    expect(effects).toHaveLength(200);
    expect(new Set(effects.map((effect) => effect.job_key)).size).toBe(200);
    expect(effects.every((effect) => Number(effect.attempt) === 1)).toBe(true);
    // Each job is recorded as done by the worker whose effect it is.
    const jobs = (await sql<{ key: string; lease_owner: string; attempts: number }>`SELECT key, lease_owner, attempts FROM jobs`.execute(open.db)).rows;
    const ranBy = new Map(effects.map((effect) => [effect.job_key, effect.worker]));
    expect(jobs.every((job) => ranBy.get(job.key) === job.lease_owner && Number(job.attempts) === 1)).toBe(true);
    // They really did share the work.
    expect(new Set(effects.map((effect) => effect.worker)).size).toBeGreaterThan(1);
    for (const worker of workers) expect(worker.stderr).toBe('');
  }, 120_000);

  it('a worker killed with SIGKILL while holding jobs: another runs them after the lease expires, exactly once', async () => {
    const { db, open } = await setUp();
    const keys = ['hold-1', 'hold-2', 'hold-3'];
    for (const key of keys) await plantJob(open, { kind: 'effect', key });
    const leases = { JOB_LEASE_MS: '1500', JOB_POLL_MS: '50' };
    const doomed = startWorker(db, 'doomed', { ...leases, JOB_HANG: '1' });
    workers.push(doomed);
    await waitFor('the doomed worker holding all three', () => keys.every((key) => doomed.stdout.includes(`holding ${key}\n`)));
    const survivor = startWorker(db, 'survivor', leases);
    workers.push(survivor);
    await waitFor('the survivor ready', () => survivor.stdout.includes('ready'));
    // Alive, the doomed worker keeps its leases: the survivor takes nothing.
    await sleep(2_000);
    expect(await count(open, sql<{ n: number }>`SELECT count(*) AS n FROM effects`)).toBe(0);
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    await waitFor('the jobs done', async () => (await count(open, sql<{ n: number }>`SELECT count(*) AS n FROM jobs WHERE state = 'done'`)) === 3);
    workers.splice(workers.indexOf(doomed), 1);
    await stopAll();
    const effects = (await sql<{ job_key: string; worker: string; attempt: number }>`SELECT job_key, worker, attempt FROM effects ORDER BY job_key`.execute(open.db)).rows;
    expect(effects.map((effect) => [effect.job_key, effect.worker, Number(effect.attempt)])).toEqual(keys.map((key) => [key, 'survivor', 2]));
    for (const key of keys) {
      const job = await findJob(open, key);
      expect(job).toMatchObject({ state: 'done', attempts: 2, leaseOwner: 'survivor', result: { worker: 'survivor' } });
      expect(job?.lastError).toMatch(/^attempt 1: the lease of worker doomed expired/);
    }
  }, 120_000);
});
