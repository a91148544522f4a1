// A child process for the store's kill tests: opens the store named by argv[2] with the built
// shipgate (dist/, as the CLI does). With SHIPGATE_TEST_KILL_AT=n it kills itself with SIGKILL just
// before its n-th SQL statement (from 0) reaches the database, so a test can stop a first open at
// every point between two statements. Prints "ready" before opening and "statements <n> <ms>" after.
import Database from 'better-sqlite3';
import pg from 'pg';

const killAt = process.env.SHIPGATE_TEST_KILL_AT === undefined ? -1 : Number(process.env.SHIPGATE_TEST_KILL_AT);
let statements = 0;
for (const [prototype, method] of [[Database.prototype, 'prepare'], [Database.prototype, 'exec'], [Database.prototype, 'pragma'], [pg.Client.prototype, 'query']]) {
  const original = prototype[method];
  prototype[method] = function counted(...args) {
    if (statements === killAt) process.kill(process.pid, 'SIGKILL');
    statements += 1;
    return original.apply(this, args);
  };
}

const { openStore, parseStoreLocation } = await import(new URL('../../dist/store/open-store.js', import.meta.url).href);
process.stdout.write('ready\n');
const started = performance.now();
const store = await openStore(parseStoreLocation(process.argv[2], process.cwd()));
await store.close();
process.stdout.write(`statements ${statements} ${Math.ceil(performance.now() - started)}\n`);
