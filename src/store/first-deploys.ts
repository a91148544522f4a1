import { sql } from 'kysely';
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
  const least = tx.dialect === 'sqlite' ? sql`min(metric_first_deploys.deployed_ms, excluded.deployed_ms)` : sql`LEAST(metric_first_deploys.deployed_ms, excluded.deployed_ms)`;
  const greatest = (column: 'authored_ms' | 'feature') => sql.raw(`${tx.dialect === 'sqlite' ? 'max' : 'GREATEST'}(metric_first_deploys.${column}, excluded.${column})`);
  // The same sha carried by two releases is one commit: its author time and kind are the latest seen, as the report always took them.
  await sql`INSERT INTO metric_first_deploys (environment, component, sha, release_id, deployed_ms, authored_ms, feature)
    SELECT CAST(${deploy.environment} AS text), CAST(${deploy.component} AS text), sha, release_id, CAST(${deployedMs} AS double precision), authored_ms, feature FROM metric_commits WHERE release_id = ${deploy.releaseId}
    ON CONFLICT (environment, component, sha) DO UPDATE SET
      release_id = CASE WHEN excluded.deployed_ms < metric_first_deploys.deployed_ms THEN excluded.release_id ELSE metric_first_deploys.release_id END,
      deployed_ms = ${least}, authored_ms = ${greatest('authored_ms')}, feature = ${greatest('feature')}`.execute(tx.db);
}
