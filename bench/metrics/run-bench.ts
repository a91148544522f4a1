/**
 * A year of metrics over 1,000,000 events, on SQLite and on PostgreSQL: `npm run bench:metrics`
 * [--events 1000000] [--runs 7]. Seeds each store in bulk (prepared statements in one transaction on
 * SQLite, unnest() batches on PostgreSQL, then ANALYZE), then times showMetrics, the function
 * `shipgate metrics` and GET /api/v1/metrics call, over the whole year: the median of the runs after
 * a first report, and the slowest, with the
 * CPU each report used (this process's, and PostgreSQL's backends' read from /proc) and the load when
 * the runs began: on a shared machine the wall clock is mostly waiting for a CPU. The rows are written
 * past shipgate's write paths, so the metrics tables those fill as they go (each release's commits,
 * each commit's first deploy, each deploy's lead times and packed record) are filled after seeding by the backfills
 * that migrations 0010 and 0012 run on a store with history: their time is printed too. PostgreSQL is a
 * throwaway cluster started like the tests' (as the `postgres` user under root), or
 * SHIPGATE_BENCH_PG_URL (an empty database; its server CPU is then left out when it is not local).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { showMetrics } from '../../src/app/show-metrics.js';
import { builtinPolicy } from '../../src/policy/parse-policy.js';
import { fillDeployLeads } from '../../src/store/first-deploys.js';
import { writeDeployRecords } from '../../src/store/metrics-queries.js';
import { backfillMetricTables } from '../../src/store/migrations.js';
import { openStore, type Store, type StoreLocation } from '../../src/store/open-store.js';
import { writeTransaction } from '../../src/store/write-transaction.js';
import { startPostgres } from '../../test/helpers/postgres.js';
import { DEPLOYMENT_COLUMNS, EVENT_COLUMNS, INCIDENT_COLUMNS, RELEASE_COLUMNS, seedHistory, type SeedRows } from './seed-history.js';

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const EVENTS = option('events', 1_000_000);
const RUNS = option('runs', 7);
const BUDGET_MS = 200;
const policy = builtinPolicy();
const START = new Date('2025-12-01T08:00:00.000Z');

async function seedSqlite(file: string, rows: SeedRows): Promise<void> {
  await (await openStore({ kind: 'sqlite', file })).close();
  const db = new Database(file);
  // Rows go in whole, in id order; a rollback row refers to the deploy before it and the deploy to the rollback after it.
  db.pragma('foreign_keys = OFF');
  const insert = (table: string, columns: readonly string[], data: readonly (readonly unknown[])[]) => {
    const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of data) statement.run(...row);
  };
  db.transaction(() => {
    insert('releases', RELEASE_COLUMNS, rows.releases);
    insert('release_events', EVENT_COLUMNS, rows.events);
    insert('deployments', DEPLOYMENT_COLUMNS, rows.deployments);
    insert('incidents', INCIDENT_COLUMNS, rows.incidents);
  })();
  db.exec('ANALYZE');
  db.close();
}

const PG_TYPES: Readonly<Record<string, string>> = { breaking: 'int', seq: 'int', data_version: 'int', pipeline: 'int', id: 'text', rolled_back_by: 'bigint' };

async function seedPostgres(url: string, rows: SeedRows): Promise<void> {
  await (await openStore({ kind: 'postgres', url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // As on SQLite, rows go in whole: the foreign keys' triggers wait (the bench runs as a superuser).
  await client.query("SET session_replication_role = 'replica'");
  const insert = async (table: string, columns: readonly string[], data: readonly (readonly unknown[])[], types: Readonly<Record<string, string>> = {}) => {
    for (let start = 0; start < data.length; start += 20_000) {
      const batch = data.slice(start, start + 20_000);
      const arrays = columns.map((_, column) => batch.map((row) => row[column]));
      const unnest = columns.map((column, index) => `$${index + 1}::${types[column] ?? PG_TYPES[column] ?? 'text'}[]`).join(', ');
      const overriding = columns.includes('id') && table === 'deployments' ? 'OVERRIDING SYSTEM VALUE' : '';
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) ${overriding} SELECT * FROM unnest(${unnest})`, arrays);
    }
  };
  await insert('releases', RELEASE_COLUMNS, rows.releases);
  await insert('release_events', EVENT_COLUMNS, rows.events);
  await insert('deployments', DEPLOYMENT_COLUMNS, rows.deployments, { id: 'bigint' });
  await insert('incidents', INCIDENT_COLUMNS, rows.incidents);
  await client.query("SET session_replication_role = 'origin'");
  await client.query("SELECT setval(pg_get_serial_sequence('deployments', 'id'), (SELECT max(id) FROM deployments))");
  await client.query('ANALYZE');
  await client.end();
}

/** CPU ms the PostgreSQL server's backends for this database used so far (read from /proc: the bench runs the cluster on this machine). */
async function serverCpu(url: string | undefined): Promise<number | null> {
  if (url === undefined) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    let ticks = 0;
    for (const { pid } of rows) {
      try {
        // Fields 14 and 15 (utime, stime) after the command name in parentheses, in clock ticks of 10 ms.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        return null;
      }
    }
    return ticks * 10;
  } finally {
    await client.end();
  }
}

async function time(store: Store, url?: string): Promise<{ first: number; median: number; max: number; cpu: number; server: number | null; load: number; deploys: number; commits: number }> {
  const run = () => showMetrics({ store, policy, since: '2025-12-01', until: '2026-11-30', now: new Date('2026-12-01T00:00:00Z') });
  // The first report reads from a cold cache.
  const started = performance.now();
  const warm = await run();
  const first = performance.now() - started;
  const times: number[] = [];
  const cpus: number[] = [];
  const load = loadavg()[0] as number;
  const serverBefore = await serverCpu(url);
  for (let i = 0; i < RUNS; i += 1) {
    const cpu = process.cpuUsage();
    const begun = performance.now();
    await run();
    times.push(performance.now() - begun);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  const serverAfter = await serverCpu(url);
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  const server = serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / RUNS;
  return { first, median: times[middle] as number, max: times.at(-1) as number, cpu: cpus[middle] as number, server, load, deploys: warm.figures.deploymentFrequency.deploys, commits: warm.figures.leadTime.commits };
}

/** What migrations 0010 and 0012 do once for a store with history, then fresh statistics for the tables they filled; their wall time in ms. */
async function backfillOnce(store: Store): Promise<number> {
  const started = performance.now();
  await writeTransaction(store.db, store.dialect, async (tx) => {
    await backfillMetricTables(tx, store.dialect);
    await fillDeployLeads(tx, store.dialect);
    await writeDeployRecords(tx, store.dialect);
  });
  const took = performance.now() - started;
  await sql`ANALYZE`.execute(store.db);
  return took;
}

async function main(): Promise<void> {
  const seedStarted = performance.now();
  const rows = seedHistory({ events: EVENTS, start: START, days: 365, components: 40 });
  console.log(`history: ${rows.events.length.toLocaleString('en')} events, ${rows.releases.length.toLocaleString('en')} releases, ${rows.deployments.length.toLocaleString('en')} deployments, ${rows.incidents.length} incidents (made in ${Math.round(performance.now() - seedStarted)} ms)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-bench-metrics-'));
  const results: string[][] = [];
  const cluster = process.env.SHIPGATE_BENCH_PG_URL ? undefined : await startPostgres();
  try {
    const backends: { name: string; location: StoreLocation; url?: string; seed: () => Promise<void> }[] = [];
    const file = path.join(dir, 'bench.db');
    backends.push({ name: 'SQLite', location: { kind: 'sqlite', file }, seed: () => seedSqlite(file, rows) });
    const url = process.env.SHIPGATE_BENCH_PG_URL ?? (await cluster!.createDatabase());
    backends.push({ name: 'PostgreSQL', location: { kind: 'postgres', url }, url, seed: () => seedPostgres(url, rows) });
    for (const backend of backends) {
      const started = performance.now();
      await backend.seed();
      const seeded = Math.round((performance.now() - started) / 1000);
      const store = await openStore(backend.location);
      try {
        const backfill = await backfillOnce(store);
        const measured = await time(store, backend.url);
        const server = measured.server === null ? '' : ` + ${measured.server.toFixed(0)} ms server`;
        results.push([backend.name, rows.events.length.toLocaleString('en'), measured.deploys.toLocaleString('en'), measured.commits.toLocaleString('en'), `${(backfill / 1000).toFixed(1)} s`, `${measured.first.toFixed(0)} ms`, `${measured.median.toFixed(0)} ms`, `${measured.max.toFixed(0)} ms`, `${measured.cpu.toFixed(0)} ms${server}`, measured.load.toFixed(1), measured.median < BUDGET_MS ? 'yes' : 'NO']);
        console.log(`${backend.name}: seeded in ${seeded} s`);
      } finally {
        await store.close();
      }
    }
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  // CPU: this process's median per report (all of SQLite's work; PostgreSQL's client side), plus the
  // PostgreSQL backends' mean per report. Load: the 1-minute load average when the runs began.
  const header = ['store', 'events', 'production deploys', 'commits', 'backfill (0010, 0012)', 'first report', 'median', 'slowest', 'CPU per report', 'load', `median < ${BUDGET_MS} ms`];
  const widths = header.map((title, column) => Math.max(title.length, ...results.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(`\nshipgate metrics over a year (${RUNS} runs after a warm-up):\n`);
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...results.map(line)].join('\n'));
  // The machine's load says how much of the time was this process's: on a shared runner it may be a fraction.
  console.log(`\n${cpus().length} CPUs, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} (1, 5, 15 min)`);
  if (results.some((row) => row.at(-1) === 'NO')) process.exitCode = 1;
}

await main();
