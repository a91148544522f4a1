import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { loadMetricFacts } from '../../src/store/metrics-queries.js';
import { computeMetrics } from '../../src/metrics/compute-metrics.js';
import { showMetrics } from '../../src/app/show-metrics.js';
import { metricTargets } from '../../src/metrics/policy-metrics.js';
import { builtinPolicy } from '../../src/policy/parse-policy.js';
import { seedHistory, RELEASE_COLUMNS, EVENT_COLUMNS, DEPLOYMENT_COLUMNS, INCIDENT_COLUMNS } from './seed-history.js';
const file = '/tmp/h14-1m.db';
if (!existsSync(file)) {
  const rows = seedHistory({ events: 1_000_000, start: new Date('2025-12-01T08:00:00Z'), days: 365, components: 40 });
  await (await openStore({ kind: 'sqlite', file })).close();
  const db = new Database(file); db.pragma('foreign_keys = OFF');
  const ins = (t: string, c: readonly string[], d: readonly (readonly unknown[])[]) => { const s = db.prepare(`INSERT INTO ${t} (${c.join(',')}) VALUES (${c.map(() => '?').join(',')})`); for (const r of d) s.run(...r); };
  db.transaction(() => { ins('releases', RELEASE_COLUMNS, rows.releases); ins('release_events', EVENT_COLUMNS, rows.events); ins('deployments', DEPLOYMENT_COLUMNS, rows.deployments); ins('incidents', INCIDENT_COLUMNS, rows.incidents); })();
  db.exec('ANALYZE'); db.close();
}
const store = await openStore({ kind: 'sqlite', file });
const policy = builtinPolicy();
const range = { environment: 'production', from: '2025-11-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
const { sql } = await import('kysely');
for (let i = 0; i < 4; i++) {
  let c = process.cpuUsage();
  let t = performance.now();
  const facts = await loadMetricFacts(store, range);
  const t1 = performance.now() - t; t = performance.now(); const c1 = process.cpuUsage(c); c = process.cpuUsage();
  computeMetrics({ deploys: facts.deploys, commits: facts.commits, incidents: facts.incidents, trains: new Map() }, { since: new Date('2025-12-01T08:00:00Z'), until: new Date('2026-12-01T08:00:00Z'), zone: 'America/Los_Angeles' }, metricTargets(policy));
  const t2 = performance.now() - t; const c2 = process.cpuUsage(c);
  console.log({ load: t1.toFixed(0), loadCpu: ((c1.user + c1.system) / 1000).toFixed(0), compute: t2.toFixed(0), computeCpu: ((c2.user + c2.system) / 1000).toFixed(0) });
}
// each query alone
const q = async (name: string, f: () => Promise<unknown>) => { const c = process.cpuUsage(); const t = performance.now(); await f(); const u = process.cpuUsage(c); console.log(name, (performance.now() - t).toFixed(0), 'cpu', ((u.user + u.system) / 1000).toFixed(0)); };
await q('deploys', () => sql`SELECT d.id, d.component, d.version, d.kind, d.release_type, r.bump, d.previous_version, d.started_at, COALESCE(d.rolled_out_at, d.finished_at, d.started_at) AS at, d.rolled_out_at, d.outcome, d.rolled_back_by FROM deployments d LEFT JOIN releases r ON r.id = d.release_id WHERE d.environment = 'production' AND d.started_at >= ${range.from} AND d.started_at < ${range.to} ORDER BY d.started_at, d.id`.execute(store.db));
await q('commits-nogroup', () => sql`SELECT count(*) FROM deployments d JOIN release_events e ON e.release_id = d.release_id AND e.seq = 1 AND e.kind = 'created' CROSS JOIN json_each(e.data, '$.commits') AS j WHERE d.environment = 'production' AND d.kind = 'deploy' AND d.rolled_out_at IS NOT NULL AND d.started_at >= ${range.from} AND d.started_at < ${range.to}`.execute(store.db));
await q('kinds', () => sql`SELECT component, min(kind) FROM releases GROUP BY component`.execute(store.db));
await store.close();
