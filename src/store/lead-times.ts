import { sql, type RawBuilder } from 'kysely';
import { reduceLeadTimes } from '../metrics/reduce-lead-times.js';
import type { LeadTimes } from '../metrics/types.js';
import type { StoreDb } from './open-store.js';

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
  // Whole milliseconds as integer text, exact on both stores (SQLite would print a REAL with 15 digits).
  const whole = (value: RawBuilder<unknown>) => (store.dialect === 'sqlite' ? sql`CAST(${value} AS integer)` : sql`CAST(CAST(${value} AS bigint) AS text)`);
  const flag = store.dialect === 'sqlite' ? sql`feature` : sql`CAST(feature AS text)`;
  // Tens of thousands of commits as four strings, not a row each: making a row object (or array) per
  // commit in Node cost several times what the database spent finding them.
  const { rows } = await sql<{ components: string | null; deployed: string | null; leads: string | null; features: string | null }>`
    SELECT string_agg(component, ${SEPARATOR}) AS components, string_agg(${whole(sql`deployed_ms`)}, ',') AS deployed,
      string_agg(${whole(sql`deployed_ms - authored_ms`)}, ',') AS leads, string_agg(${flag}, '') AS features
    FROM metric_first_deploys
    WHERE environment = ${query.environment} AND deployed_ms >= ${query.since} AND deployed_ms < ${query.until} AND authored_ms <= deployed_ms ${inScope}`.execute(store.db);
  const row = rows[0];
  if (row?.leads == null) return reduceLeadTimes({ components: [], deployedMs: [], seconds: [], feature: [] }, query.trains, query.weekStarts);
  const deployedMs = integers(row.deployed!);
  // Seconds as a division of whole milliseconds, as the core has always computed them: the same figures to the last bit.
  const seconds = integers(row.leads).map((lead) => lead / 1000);
  const features = row.features!;
  const feature = Array.from({ length: seconds.length }, (_, index) => features.charCodeAt(index) === 49);
  return reduceLeadTimes({ components: row.components!.split(SEPARATOR), deployedMs, seconds, feature }, query.trains, query.weekStarts);
}

/** A list of integers written with commas, read digit by digit (exact below 2^53): a string per number and Number() on each cost more than the query. */
function integers(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let sign = 1;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 44) {
      values.push(sign * value);
      value = 0;
      sign = 1;
    } else if (code === 45) sign = -1;
    else value = value * 10 + (code - 48);
  }
  values.push(sign * value);
  return values;
}

/** Between component names in one string: a control character no name has (they are letters, digits and . _ -). */
const SEPARATOR = '\u001f';
