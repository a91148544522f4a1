import { sql, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import type { Dialect } from './migrations.js';
import type { StoreDb } from './open-store.js';

/** Rows per INSERT: four parameters each, far under SQLite's and PostgreSQL's limits on parameters. */
const BATCH = 500;

/**
 * The commits a release carries, as the lead times read them (metric_commits): written with its
 * `created` event, in the same transaction, once per release. A sha listed twice is kept once.
 */
export async function writeMetricCommits(tx: StoreDb, releaseId: string, commits: readonly { readonly sha: string; readonly authoredAt: string; readonly type: string | null }[]): Promise<void> {
  for (let start = 0; start < commits.length; start += BATCH) {
    const rows = commits.slice(start, start + BATCH).map((commit) => sql`(${releaseId}, ${commit.sha}, ${Date.parse(commit.authoredAt)}, ${commit.type === 'feat' ? 1 : 0})`);
    await sql`INSERT INTO metric_commits (release_id, sha, authored_ms, feature) VALUES ${sql.join(rows)} ON CONFLICT (release_id, sha) DO NOTHING`.execute(tx.db);
  }
}

/**
 * A deploy rolled out: each commit its release carries gets its first deploy to the environment, unless
 * an earlier deploy carried it before (a commit in two releases counts at the earlier one, whichever
 * was recorded first). Called in the transaction that sets rolled_out_at, by the one function every
 * path to it shares (updateDeployment), so a report only reads the window's rows.
 */
export async function writeFirstDeploys(tx: StoreDb, deploy: { readonly releaseId: string; readonly environment: string; readonly component: string; readonly rolledOutAt: string }): Promise<void> {
  const deployedMs = Date.parse(deploy.rolledOutAt);
  // The deploys that carried some of these commits first until now: this one may take them over.
  const { rows: carriers } = await sql<{ release_id: string }>`SELECT DISTINCT f.release_id FROM metric_first_deploys f JOIN metric_commits m ON m.sha = f.sha
    WHERE m.release_id = ${deploy.releaseId} AND f.environment = ${deploy.environment} AND f.component = ${deploy.component}`.execute(tx.db);
  const least = tx.dialect === 'sqlite' ? sql`min(metric_first_deploys.deployed_ms, excluded.deployed_ms)` : sql`LEAST(metric_first_deploys.deployed_ms, excluded.deployed_ms)`;
  const greatest = (column: 'authored_ms' | 'feature') => sql.raw(`${tx.dialect === 'sqlite' ? 'max' : 'GREATEST'}(metric_first_deploys.${column}, excluded.${column})`);
  // The same sha carried by two releases is one commit: its author time and kind are the latest seen, as the report always took them.
  await sql`INSERT INTO metric_first_deploys (environment, component, sha, release_id, deployed_ms, authored_ms, feature)
    SELECT CAST(${deploy.environment} AS text), CAST(${deploy.component} AS text), sha, release_id, CAST(${deployedMs} AS double precision), authored_ms, feature FROM metric_commits WHERE release_id = ${deploy.releaseId}
    ON CONFLICT (environment, component, sha) DO UPDATE SET
      release_id = CASE WHEN excluded.deployed_ms < metric_first_deploys.deployed_ms THEN excluded.release_id ELSE metric_first_deploys.release_id END,
      deployed_ms = ${least}, authored_ms = ${greatest('authored_ms')}, feature = ${greatest('feature')}`.execute(tx.db);
  const releases = [...new Set([deploy.releaseId, ...carriers.map((row) => row.release_id)])];
  const theirs = sql`environment = ${deploy.environment} AND component = ${deploy.component} AND release_id IN (${sql.join(releases)})`;
  await sql`DELETE FROM metric_deploy_leads WHERE ${theirs}`.execute(tx.db);
  await fillDeployLeads(tx.db, tx.dialect, theirs);
}

/**
 * Writes metric_deploy_leads, a row per deploy with the lead times of the commits it carried first
 * (whole ms, with commas) and their feature flags (in the same order), from metric_first_deploys:
 * for the deploys `where` picks (their old rows deleted first), or all (migration 0012, on a store
 * with history). A commit dated after its deploy is a skewed clock and is left out.
 */
export async function fillDeployLeads(db: QueryExecutorProvider, dialect: Dialect, where: RawBuilder<unknown> = sql`TRUE`): Promise<void> {
  const sqlite = dialect === 'sqlite';
  // Whole milliseconds as integer text, exact on both stores (SQLite would print a REAL with 15 digits).
  const whole = (value: RawBuilder<unknown>) => (sqlite ? sql`CAST(${value} AS integer)` : sql`CAST(CAST(${value} AS bigint) AS text)`);
  await sql`INSERT INTO metric_deploy_leads (environment, component, release_id, deployed_ms, leads, features)
    SELECT environment, component, release_id, CAST(min(deployed_ms) AS bigint), string_agg(${whole(sql`deployed_ms - authored_ms`)}, ',' ORDER BY sha), string_agg(CAST(feature AS text), '' ORDER BY sha)
    FROM metric_first_deploys WHERE ${where} AND authored_ms <= deployed_ms
    GROUP BY environment, component, release_id`.execute(db);
}
