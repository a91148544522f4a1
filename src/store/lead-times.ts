import { sql, type RawBuilder } from 'kysely';
import type { LeadStats, LeadTimes } from '../metrics/types.js';
import type { StoreDb } from './incidents.js';

/** Epoch milliseconds of a UTC ISO text column, as a float in both stores (exact: the times have milliseconds). */
export function epochMs(store: StoreDb, column: RawBuilder<unknown>): RawBuilder<number> {
  return store.dialect === 'sqlite' ? sql<number>`round((julianday(${column}) - 2440587.5) * 86400000.0)` : sql<number>`(extract(epoch FROM (${column})::timestamptz) * 1000)::float8`;
}

export interface LeadQuery {
  readonly environment: string;
  /** The deploys read (started in [from, to), ISO): a commit's first deploy is the first of these that carried it. */
  readonly from: string;
  readonly to: string;
  /** The window (epoch ms): only commits first deployed in [since, until) count. */
  readonly since: number;
  readonly until: number;
  /** The window's weeks' starts (epoch ms, ascending, the first at or before `since`): a commit counts in the last week started by its deploy. */
  readonly weekStarts: readonly number[];
  /** The train of each component that rides one. */
  readonly trains: ReadonlyMap<string, string | null>;
  /** The components in scope; undefined: all. */
  readonly components?: readonly string[] | undefined;
}

type StatsRow = { part: string; name: string | null; commits: number | string; median: number | null; p90: number | null; features: number | string; feature_median: number | null; feature_p90: number | null };

/**
 * Lead times for changes reduced where the commits are: each commit (sha, component) of the releases
 * the environment's rolled-out deploys carried, at its first such deploy, minus its author time; then
 * count, median and p90 (PERCENTILE_CONT on both stores: the same interpolation as Four Keys' queries
 * and the core's percentile) for the scope, each component, each train and each week. A year's tens
 * of thousands of commits become about a hundred rows: what costs is moving rows to Node, not the
 * database's sort. A commit dated after its deploy is a skewed clock and is left out.
 */
export async function loadLeadTimes(store: StoreDb, query: LeadQuery): Promise<LeadTimes> {
  const empty: LeadTimes = { scope: NONE, components: new Map(), trains: new Map(), weeks: new Map() };
  if (query.components !== undefined && query.components.length === 0) return empty;
  const sqlite = store.dialect === 'sqlite';
  const inScope = query.components === undefined ? sql`` : sql`AND component IN (${sql.join(query.components)})`;
  // FILTER, not a CASE: the feature percentiles are not called at all for the other rows.
  const feature = sql`FILTER (WHERE feature = 1)`;
  const stats = sqlite
    ? sql`count(*) AS commits, percentile_cont(seconds, 0.5) AS median, percentile_cont(seconds, 0.9) AS p90, count(*) ${feature} AS features,
        percentile_cont(seconds, 0.5) ${feature} AS feature_median, percentile_cont(seconds, 0.9) ${feature} AS feature_p90`
    : sql`count(*) AS commits, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90, count(*) ${feature} AS features,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) ${feature} AS feature_median, percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) ${feature} AS feature_p90`;
  // Seconds as the core computed them (a division of whole milliseconds), so the figures are the same to the last bit.
  const seconds = sqlite ? sql`lead_ms / 1000.0` : sql`lead_ms / 1000::float8`;
  const text = (value: RawBuilder<unknown>) => sql`CAST(${value} AS text)`;
  const ridden = [...query.trains].filter((entry): entry is [string, string] => entry[1] !== null);
  // A CTE names the VALUES list's columns for both stores (SQLite's own names are column1, column2).
  const trainList = ridden.length === 0 ? sql`` : sql`, rides(component, train) AS (VALUES ${sql.join(ridden.map(([component, train]) => sql`(${component}, ${train})`))})`;
  const byTrain = ridden.length === 0 ? sql`` : sql`UNION ALL SELECT 'train', r.train, ${stats} FROM leads l JOIN rides r ON r.component = l.component GROUP BY r.train`;
  const week = weekOf(query.weekStarts, 0, query.weekStarts.length - 1);
  // One week is a constant index, which GROUP BY would read as a column's position.
  const byWeek = query.weekStarts.length > 1 ? sql`GROUP BY ${week}` : sql``;
  const { rows } = await sql<StatsRow>`
    WITH deploys AS (
      SELECT release_id, component, ${epochMs(store, sql`COALESCE(rolled_out_at, finished_at, started_at)`)} AS at_ms
      FROM deployments
      WHERE environment = ${query.environment} AND kind = 'deploy' AND rolled_out_at IS NOT NULL AND started_at >= ${query.from} AND started_at < ${query.to} ${inScope}
    ),
    firsts AS (
      SELECT d.component, max(m.feature) AS feature, min(d.at_ms) AS deployed_ms, min(d.at_ms) - max(m.authored_ms) AS lead_ms
      FROM deploys d JOIN metric_commits m ON m.release_id = d.release_id
      GROUP BY m.sha, d.component
    ),
    leads AS MATERIALIZED (
      SELECT component, feature, deployed_ms, ${seconds} AS seconds FROM firsts
      WHERE deployed_ms >= ${query.since} AND deployed_ms < ${query.until} AND lead_ms >= 0
    )${trainList}
    SELECT 'scope' AS part, NULL AS name, ${stats} FROM leads
    UNION ALL SELECT 'component', component, ${stats} FROM leads GROUP BY component
    ${byTrain}
    UNION ALL SELECT 'week', ${text(week)}, ${stats} FROM leads ${byWeek}`.execute(store.db);

  const components = new Map<string, LeadStats>();
  const trainStats = new Map<string, LeadStats>();
  const weeks = new Map<number, LeadStats>();
  let scope = NONE;
  for (const row of rows) {
    const stat = toStats(row);
    if (row.part === 'scope') scope = stat;
    else if (stat.commits === 0) continue;
    else if (row.part === 'component') components.set(row.name as string, stat);
    else if (row.part === 'train') trainStats.set(row.name as string, stat);
    else weeks.set(Number(row.name), stat);
  }
  return { scope, components, trains: trainStats, weeks };
}

const NONE: LeadStats = { commits: 0, medianSeconds: null, p90Seconds: null, feature: { commits: 0, medianSeconds: null, p90Seconds: null } };

const number = (value: number | string | null): number | null => (value === null ? null : Number(value));

function toStats(row: StatsRow): LeadStats {
  return {
    commits: Number(row.commits),
    medianSeconds: number(row.median),
    p90Seconds: number(row.p90),
    feature: { commits: Number(row.features), medianSeconds: number(row.feature_median), p90Seconds: number(row.feature_p90) },
  };
}

/** The index of the week a deploy time falls in, as a binary search of CASEs on the week starts (a join to a list of weeks costs a comparison per week and row). */
function weekOf(starts: readonly number[], low: number, high: number): RawBuilder<unknown> {
  if (low >= high) return sql.lit(Math.max(low, 0));
  const middle = (low + high + 1) >> 1;
  return sql`CASE WHEN deployed_ms >= ${sql.lit(starts[middle] as number)} THEN ${weekOf(starts, middle, high)} ELSE ${weekOf(starts, low, middle - 1)} END`;
}
