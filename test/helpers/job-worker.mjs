// A job worker process for the job engine's multi-process tests, on the built shipgate (dist/).
// argv: <store (--db value)> <worker id>. Runs kind "effect": appends (job key, worker, attempt) to
// the test's effects table, which has no unique key, so a job run twice shows as two rows.
// Env: JOB_LEASE_MS, JOB_POLL_MS, JOB_CONCURRENCY; JOB_HANG=1 makes the handler print
// "holding <key>" and never finish (ignoring its signal), for kill -9 tests.
// Prints "ready" once its runner is claiming; on SIGTERM stops the runner, closes the store, exits 0.
import { sql } from 'kysely';

const { openStore, parseStoreLocation } = await import(new URL('../../dist/store/open-store.js', import.meta.url).href);
const { startJobRunner } = await import(new URL('../../dist/jobs/run-jobs.js', import.meta.url).href);

const [db, worker] = process.argv.slice(2);
const number = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const store = await openStore(parseStoreLocation(db, process.cwd()));

const effect = {
  async run({ key, attempt }) {
    if (process.env.JOB_HANG === '1') {
      process.stdout.write(`holding ${key}\n`);
      await new Promise(() => undefined);
    }
    // A little work, so the jobs of one batch overlap and the workers' claims interleave.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await sql`INSERT INTO effects (job_key, worker, attempt) VALUES (${key}, ${worker}, ${attempt})`.execute(store.db);
    return { worker };
  },
};

const runner = startJobRunner({
  store,
  worker,
  handlers: { effect },
  concurrency: number('JOB_CONCURRENCY', 4),
  leaseMs: number('JOB_LEASE_MS', 10_000),
  pollMs: number('JOB_POLL_MS', 50),
  graceMs: 2_000,
  log: (entry) => process.stderr.write(`${entry.level} ${entry.message}${entry.job ? ` ${entry.job.key}#${entry.job.attempt}` : ''}\n`),
});
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await runner.stop();
  await store.close();
  process.exit(0);
});
