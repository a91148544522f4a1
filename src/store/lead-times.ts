import { sql } from 'kysely';
import { NO_FIRST_DEPLOYS, reduceLeadTimes, type FirstDeploys } from '../metrics/reduce-lead-times.js';
import type { LeadTimes } from '../metrics/types.js';
import type { StoreDb } from './open-store.js';
import { integerAt, RECORD, separators, UNIT } from './packed-text.js';

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
 * it rolled out: first-deploys.ts) falls in the window, read as a row per such deploy by an index on
 * its time, never a join of the history; then count, median and p90 for the scope, each component,
 * train and week in Node (reduceLeadTimes). A commit dated after its deploy (a skewed clock) was left
 * out when the row was written.
 */
export async function loadLeadTimes(store: StoreDb, query: LeadQuery): Promise<LeadTimes> {
  if (query.components !== undefined && query.components.length === 0) return reduceLeadTimes(NO_FIRST_DEPLOYS, query.trains, query.weekStarts);
  const inScope = query.components === undefined ? sql`` : sql`AND component IN (${sql.join(query.components)})`;
  const { unit, record } = separators(store.dialect);
  // Tens of thousands of commits as one string of a record per deploy that first carried some (kept by
  // the writes: first-deploys.ts): its time, component, the commits' leads and feature flags; and how
  // many commits, to size the arrays. A row (or a string) per commit cost several times what the
  // database spent finding them.
  const { rows } = await sql<{ commits: number | string | null; deploys: string | null }>`
    SELECT sum(length(features)) AS commits, string_agg(CAST(deployed_ms AS text) || ${unit} || component || ${unit} || leads || ${unit} || features, ${record}) AS deploys
    FROM metric_deploy_leads
    WHERE environment = ${query.environment} AND deployed_ms >= ${query.since} AND deployed_ms < ${query.until} ${inScope}`.execute(store.db);
  const row = rows[0];
  return reduceLeadTimes(row?.deploys == null ? NO_FIRST_DEPLOYS : readDeploys(row.deploys, Number(row.commits)), query.trains, query.weekStarts);
}

/**
 * The packed deploys in one pass of charCodeAt over the text: splitting it into a string per deploy
 * and field cost more than the query. Integers are read digit by digit (exact below 2^53); seconds
 * are a division of whole milliseconds, as the core has always computed them.
 */
function readDeploys(text: string, commits: number): FirstDeploys {
  const components: string[] = [];
  const deployedMs: number[] = [];
  const ends: number[] = [];
  const seconds = new Float64Array(commits);
  const feature = new Uint8Array(commits);
  let commit = 0;
  let flags = 0;
  let at = 0;
  while (at < text.length) {
    const timeEnd = text.indexOf(UNIT, at);
    const componentEnd = text.indexOf(UNIT, timeEnd + 1);
    const leadsEnd = text.indexOf(UNIT, componentEnd + 1);
    if (leadsEnd === -1) throw new Error('the store returned a malformed list of first deploys');
    deployedMs.push(integerAt(text, at, timeEnd));
    components.push(text.slice(timeEnd + 1, componentEnd));
    let lead = 0;
    let sign = 1;
    for (at = componentEnd + 1; at <= leadsEnd; at += 1) {
      const code = text.charCodeAt(at);
      if (code === COMMA || code === UNIT_CODE) {
        seconds[commit++] = (sign * lead) / 1000;
        lead = 0;
        sign = 1;
      } else if (code === MINUS) sign = -1;
      else lead = lead * 10 + (code - 48);
    }
    // One flag per lead, then the record's end (or the text's).
    for (; at < text.length && text.charCodeAt(at) !== RECORD_CODE; at += 1) feature[flags++] = text.charCodeAt(at) === 49 ? 1 : 0;
    at += 1;
    ends.push(commit);
  }
  if (commit !== commits || flags !== commits) throw new Error('the store returned a malformed list of first deploys');
  return { components, deployedMs, ends, seconds, feature };
}

const UNIT_CODE = UNIT.charCodeAt(0);
const RECORD_CODE = RECORD.charCodeAt(0);
const COMMA = 44;
const MINUS = 45;
