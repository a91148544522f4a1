import { sql, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import type { DeployRow } from '../metrics/types.js';
import { metricsDb } from './incidents.js';
import type { Dialect } from './migrations.js';
import type { StoreDb } from './open-store.js';
import { integerAt, RECORD, separators, UNIT } from './packed-text.js';
import { BUMPS, RELEASE_TYPES } from '../policy/release-kinds.js';

/** A production deployment as the metrics read it: the core's row, filled here. */
export type DeploymentFact = DeployRow;

export interface IncidentFact {
  readonly id: string;
  readonly component: string | null;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
}

export interface MetricFacts {
  readonly deploys: readonly DeploymentFact[];
  readonly incidents: readonly IncidentFact[];
}

/** Each component's kind, from the releases shipgate made of it (for its train): read from an index on (component, kind), not the table. */
export async function loadComponentKinds(store: StoreDb): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom('releases').select(['component', 'kind']).distinct().execute();
  return new Map(rows.map((row) => [row.component, row.kind]));
}

/**
 * What the metrics need about one environment's deploys started in [from, to), in indexed queries:
 * the deploys (deployments_by_time), each as the record its row keeps (migration 0012), and the
 * incidents opened in the range (incidents_by_time). The commits' lead times are read apart (loadLeadTimes); the event log is not
 * read at all.
 */
export async function loadMetricFacts(store: StoreDb, range: { environment: string; from: string; to: string }): Promise<MetricFacts> {
  const { environment, from, to } = range;
  // A year of deploys as one string of the records kept with the rows (a row without one, written
  // past the store's writes, is packed here): packing each row on every read cost the read twice.
  const packed = await sql<{ deploys: string | null }>`SELECT string_agg(COALESCE(metric_record, ${deployRecord(store.dialect)}), ${separators(store.dialect).record}) AS deploys
      FROM deployments
      WHERE environment = ${environment} AND started_at >= ${from} AND started_at < ${to}`.execute(store.db);
  const deploys = readDeploys(packed.rows[0]?.deploys ?? null);

  const incidentRows = await metricsDb(store).selectFrom('incidents').select(['id', 'component', 'opened_at', 'resolved_at']).where('opened_at', '>=', from).where('opened_at', '<', to).orderBy('opened_at').execute();

  return {
    deploys,
    incidents: incidentRows.map((row) => ({ id: row.id, component: row.component, openedAt: row.opened_at, resolvedAt: row.resolved_at })),
  };
}

/**
 * A deployment as the metrics read it, as one text (deployments.metric_record, kept by the store's
 * writes: deployments.ts): its fields between UNIT (packed-text.ts), its time as epoch ms (whole: the
 * times are ISO text with milliseconds), its flags as bits.
 */
export function deployRecord(dialect: Dialect): RawBuilder<string> {
  const sqlite = dialect === 'sqlite';
  const at = sql`COALESCE(rolled_out_at, finished_at, started_at)`;
  const ms = sqlite ? sql`CAST(round((julianday(${at}) - 2440587.5) * 86400000.0) AS integer)` : sql`CAST(CAST(extract(epoch FROM (${at})::timestamptz) * 1000 AS bigint) AS text)`;
  const { unit } = separators(dialect);
  const flags = sql`(CASE WHEN kind = 'rollback' THEN 1 ELSE 0 END + CASE WHEN rolled_out_at IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN rolled_back_by IS NOT NULL THEN 4 ELSE 0 END)`;
  const fields = [sql`id`, sql`component`, sql`version`, ms, flags, sql`COALESCE(release_type, '')`, sql`COALESCE(bump, '')`, sql`COALESCE(outcome, '')`, sql`COALESCE(previous_version, '')`];
  return sql<string>`(${sql.join(fields.map((field) => (sqlite ? field : sql`CAST(${field} AS text)`)), sql` || ${unit} || `)})`;
}

/** Keeps the metrics' record of deployment `id` (all of them without one) after a write: the one SQL expression above. */
export async function writeDeployRecords(db: QueryExecutorProvider, dialect: Dialect, id?: number): Promise<void> {
  await sql`UPDATE deployments SET metric_record = ${deployRecord(dialect)} WHERE ${id === undefined ? sql`metric_record IS NULL` : sql`id = ${id}`}`.execute(db);
}

/**
 * The packed deploys, read field by field with indexOf (a string per record and per field from split
 * cost more than the query). Names repeat: each component is one string, and the release types,
 * bumps and outcomes are the literals themselves, so the core's comparisons and map look-ups on them
 * never compare text.
 */
function readDeploys(text: string | null): DeploymentFact[] {
  const deploys: DeploymentFact[] = [];
  if (text === null) return deploys;
  const components = new Map<string, string>();
  // The field being read is text[from, to); `next` moves to the one after it, which ends at `end`
  // (the record's last field at the record separator, or the text's end).
  let from = 0;
  let to = -1;
  const next = (end = UNIT): void => {
    from = to + 1;
    to = text.indexOf(end, from);
    if (to === -1) to = text.length;
  };
  const integer = (): number => {
    next();
    return integerAt(text, from, to);
  };
  const string = (end = UNIT): string | null => {
    next(end);
    return from === to ? null : text.slice(from, to);
  };
  const known = <T extends string>(choices: readonly T[]): T | null => {
    next();
    if (from === to) return null;
    for (const choice of choices) if (choice.length === to - from && text.startsWith(choice, from)) return choice;
    return text.slice(from, to) as T;
  };
  while (to + 1 < text.length) {
    const id = integer();
    const name = string() ?? '';
    let component = components.get(name);
    if (component === undefined) components.set(name, (component = name));
    const version = string() ?? '';
    const atMs = integer();
    const flag = integer();
    deploys.push({
      id,
      component,
      version,
      kind: flag & 1 ? 'rollback' : 'deploy',
      releaseType: known(RELEASE_TYPES),
      bump: known(BUMPS),
      outcome: known(OUTCOMES),
      previousVersion: string(RECORD),
      atMs,
      rolledOut: (flag & 2) !== 0,
      rolledBack: (flag & 4) !== 0,
    });
  }
  return deploys;
}

const OUTCOMES = ['succeeded', 'failed', 'rolled-back', 'paused'] as const;
