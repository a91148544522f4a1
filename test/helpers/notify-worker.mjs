// A job worker process for the communication plan's tests, on the built shipgate (dist/): the
// server's job runner with the timeline and messaging handlers, the policy and the release notes
// read from the repository given, the secrets from its environment.
// argv: <store (--db value)> <worker id> <repository>. Env: JOB_LEASE_MS, JOB_POLL_MS, JOB_CONCURRENCY;
// NOTIFY_HOLD=1 makes every send job print "holding <key>" once claimed and never send (for kill -9
// between planting and sending). Prints "ready" once claiming; on SIGTERM stops and exits 0.
const dist = (file) => import(new URL(`../../dist/${file}`, import.meta.url).href);
const { openStore, parseStoreLocation } = await dist('store/open-store.js');
const { startJobRunner } = await dist('jobs/run-jobs.js');
const { loadPolicy } = await dist('app/load-policy.js');
const { communicationHandlers } = await dist('app/notify-handlers.js');
const { notesFromRepository } = await dist('app/message-notes.js');
const { NOTIFY_SEND } = await dist('app/notify-deps.js');

const [db, worker, repository] = process.argv.slice(2);
const number = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const store = await openStore(parseStoreLocation(db, process.cwd()));
const { policy } = await loadPolicy({ cwd: repository, policyFile: undefined });
const handlers = { ...communicationHandlers({ store, policy, env: process.env, notes: notesFromRepository({ cwd: repository, policy, now: () => new Date() }) }) };
if (process.env.NOTIFY_HOLD === '1') {
  handlers[NOTIFY_SEND] = {
    async run({ key }) {
      process.stdout.write(`holding ${key}\n`);
      await new Promise(() => undefined);
    },
  };
}

const runner = startJobRunner({
  store,
  worker,
  handlers,
  concurrency: number('JOB_CONCURRENCY', 4),
  leaseMs: number('JOB_LEASE_MS', 10_000),
  pollMs: number('JOB_POLL_MS', 50),
  backoff: { baseMs: 200, capMs: 1_000 },
  graceMs: 2_000,
  log: (entry) => process.stderr.write(`${entry.level} ${entry.message}${entry.job ? ` ${entry.job.key}#${entry.job.attempt}` : ''}\n`),
});
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await runner.stop();
  await store.close();
  process.exit(0);
});
