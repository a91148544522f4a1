import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDeploy } from '../src/app/record-metrics.js';
import { showMetrics } from '../src/app/show-metrics.js';
import { insertDeployment } from '../src/store/deployments.js';
import { loadLeadTimes } from '../src/store/lead-times.js';
import { openStore, type Store, type StoreLocation } from '../src/store/open-store.js';
import { history, policy, release } from './helpers/metrics-history.js';
import { storeBackends } from './helpers/stores.js';

/*
 * Each commit's first deploy to an environment is written when a deploy rolls out (metric_first_deploys),
 * so a report reads a window's commits without joining the history: by `shipgate record deploy` and
 * the pipeline alike (both set rolled_out_at through updateDeployment), the earliest deploy winning
 * whatever order they were recorded in; and migration 0010 fills it for a store written before. Since
 * 0012, each deploy's lead times are kept as one row (metric_deploy_leads) and each deployment carries
 * its release's bump: 0012 fills both for a store written before.
 */
const sha = (n: number) => n.toString(16).padStart(40, 'c');
const HOUR = 3_600_000;

describe.each(storeBackends())('first deploys on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('writes the commits of a deploy that rolls out, and counts a commit two releases carry at the earlier deploy even when the later was recorded first', async () => {
    const { location } = await backend.fresh();
    store = await openStore(location);
    // Commit 1 rides 1.0.0 and 1.1.0; 1.1.0's production deploy is recorded before 1.0.0's, which ran earlier.
    await release(store, 'billing', 'module', '1.0.0', 'minor', 'scheduled', [{ n: 1, authored: '2026-02-02T08:00', type: 'feat' }, { n: 2, authored: '2026-02-02T09:00', type: 'fix' }]);
    await release(store, 'billing', 'module', '1.1.0', 'minor', 'scheduled', [{ n: 1, authored: '2026-02-02T08:00', type: 'feat' }, { n: 3, authored: '2026-02-03T09:00', type: 'fix' }]);
    const at = (wallClock: string) => new Date(`${wallClock}:00-08:00`);
    const told = (ref: string, environment: string, when: string) => recordDeploy({ store: store as Store, policy, ref, environment, at: at(when), failed: false, actor: 'ci@example.com', source: 'cli' });
    await told('billing@1.1.0', 'production', '2026-02-04T10:00');
    await told('billing@1.0.0', 'staging', '2026-02-02T12:00');
    await told('billing@1.0.0', 'production', '2026-02-03T10:00');
    // A deploy that never rolled out carries nothing anywhere.
    await release(store, 'billing', 'module', '1.2.0', 'minor', 'scheduled', [{ n: 4, authored: '2026-02-04T09:00', type: 'fix' }]);
    await insertDeployment(store, { releaseId: 'billing@1.2.0', component: 'billing', environment: 'production', version: '1.2.0', releaseType: 'scheduled', kind: 'deploy', previousVersion: null, phase: 'deploy', pipeline: true, actor: 'shipgate', reason: null, startedAt: at('2026-02-05T10:00').toISOString() });

    const { rows } = await sql<{ environment: string; sha: string; release_id: string; deployed_ms: number; authored_ms: number; feature: number }>`SELECT environment, sha, release_id, deployed_ms, authored_ms, feature FROM metric_first_deploys ORDER BY environment, sha`.execute(store.db);
    const ms = (wallClock: string) => at(wallClock).getTime();
    expect(rows.map((row) => ({ ...row, deployed_ms: Number(row.deployed_ms), authored_ms: Number(row.authored_ms), feature: Number(row.feature) }))).toEqual([
      { environment: 'production', sha: sha(1), release_id: 'billing@1.0.0', deployed_ms: ms('2026-02-03T10:00'), authored_ms: ms('2026-02-02T08:00'), feature: 1 },
      { environment: 'production', sha: sha(2), release_id: 'billing@1.0.0', deployed_ms: ms('2026-02-03T10:00'), authored_ms: ms('2026-02-02T09:00'), feature: 0 },
      { environment: 'production', sha: sha(3), release_id: 'billing@1.1.0', deployed_ms: ms('2026-02-04T10:00'), authored_ms: ms('2026-02-03T09:00'), feature: 0 },
      { environment: 'staging', sha: sha(1), release_id: 'billing@1.0.0', deployed_ms: ms('2026-02-02T12:00'), authored_ms: ms('2026-02-02T08:00'), feature: 1 },
      { environment: 'staging', sha: sha(2), release_id: 'billing@1.0.0', deployed_ms: ms('2026-02-02T12:00'), authored_ms: ms('2026-02-02T08:00') + HOUR, feature: 0 },
    ]);

    // Lead times in production: commit 1 at 1.0.0's deploy, 26 h; commit 2, 25 h; commit 3, 25 h. Median 25 h, p90 25 h + 0.8 x 1 h.
    const leads = await loadLeadTimes(store, { environment: 'production', since: ms('2026-02-02T00:00'), until: ms('2026-02-09T00:00'), weekStarts: [ms('2026-02-02T00:00')], trains: new Map([['billing', 'module']]) });
    expect(leads.scope).toEqual({ commits: 3, medianSeconds: 25 * 3600, p90Seconds: 25 * 3600 + 0.8 * 3600, feature: { commits: 1, medianSeconds: 26 * 3600, p90Seconds: 26 * 3600 } });
  });

  // Each migration that fills a table from the history must leave the rows the writes would have.
  const migrations = [
    { migration: '0010', filled: 'the first deploys and the commits', undo: (on: Store) => backToBefore0010(on, backend.name) },
    { migration: '0012', filled: "the deploys' lead times, bumps and records", undo: backToBefore0012 },
  ];
  it.each(migrations)('fills $filled of a store written before migration $migration: the same report as the write paths give', async ({ undo }) => {
    const { location } = await backend.fresh();
    store = await openStore(location);
    await history(store);
    const ask = (on: Store) => showMetrics({ store: on, policy, since: '2026-02-02', until: '2026-02-15', now: new Date('2026-03-01T00:00:00Z') });
    const written = await ask(store);
    expect(written.figures.leadTime.commits).toBe(6);
    expect(written.figures.deploymentFrequency.minor.deploys).toBeGreaterThan(0);
    await undo(store);
    await store.close();
    store = await openStore(location as StoreLocation);
    expect(await ask(store)).toEqual(written);
  });
});

/** The store as shipgate 0009 left it: no first deploys, no commits copied yet (no report had run), the copy's watermark. */
async function backToBefore0010(store: Store, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await sql`DROP TABLE metric_first_deploys`.execute(store.db);
  await sql`DELETE FROM metric_commits`.execute(store.db);
  await sql`CREATE TABLE metric_watermarks (name text PRIMARY KEY, event_id ${sql.raw(dialect === 'sqlite' ? 'integer' : 'bigint')} NOT NULL)`.execute(store.db);
  await sql`DELETE FROM kysely_migration WHERE name = '0010-first-deploys'`.execute(store.db);
}

/** The store as shipgate 0011 left it: no lead times per deploy, no bump or packed record on the deployments. */
async function backToBefore0012(store: Store): Promise<void> {
  await sql`DROP TABLE metric_deploy_leads`.execute(store.db);
  await sql`ALTER TABLE deployments DROP COLUMN bump`.execute(store.db);
  await sql`ALTER TABLE deployments DROP COLUMN metric_record`.execute(store.db);
  await sql`DELETE FROM kysely_migration WHERE name = '0012-metric-reads'`.execute(store.db);
}
