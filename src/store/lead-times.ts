import { sql } from 'kysely';
import { reduceLeadTimes } from '../metrics/reduce-lead-times.js';
import type { LeadTimes } from '../metrics/types.js';
import type { StoreDb } from './incidents.js';

export interface LeadQuery {
  readonly environment: string;
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

/**
 * Lead times for changes: the commits whose first rolled-out deploy to the environment (written when
 * it rolled out: first-deploys.ts) falls in the window, read by an index on the deploy time, never a
 * join of the history; then count, median and p90 for the scope, each component, train and week in
 * Node (reduceLeadTimes). A commit dated after its deploy is a skewed clock and is left out.
 */
export async function loadLeadTimes(store: StoreDb, query: LeadQuery): Promise<LeadTimes> {
  if (query.components !== undefined && query.components.length === 0) return reduceLeadTimes({ components: [], deployedMs: [], seconds: [], feature: [] }, query.trains, query.weekStarts);
  const inScope = query.components === undefined ? sql`` : sql`AND component IN (${sql.join(query.components)})`;
  const { rows } = await sql<{ component: string; deployed_ms: number; authored_ms: number; feature: number }>`SELECT component, deployed_ms, authored_ms, feature FROM metric_first_deploys
    WHERE environment = ${query.environment} AND deployed_ms >= ${query.since} AND deployed_ms < ${query.until} AND authored_ms <= deployed_ms ${inScope}`.execute(store.db);
  const components: string[] = [];
  const deployedMs: number[] = [];
  const seconds: number[] = [];
  const feature: boolean[] = [];
  for (const row of rows) {
    const deployed = Number(row.deployed_ms);
    components.push(row.component);
    deployedMs.push(deployed);
    // Seconds as a division of whole milliseconds, as the core has always computed them: the same figures to the last bit.
    seconds.push((deployed - Number(row.authored_ms)) / 1000);
    feature.push(Number(row.feature) === 1);
  }
  return reduceLeadTimes({ components, deployedMs, seconds, feature }, query.trains, query.weekStarts);
}
