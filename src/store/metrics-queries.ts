import { sql } from 'kysely';
import type { DeployRow } from '../metrics/types.js';
import { metricsDb, type StoreDb } from './incidents.js';

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
  /** Each component's kind, from the releases shipgate made of it (for its train). */
  readonly kinds: ReadonlyMap<string, string>;
}

/**
 * What the metrics need about one environment's deploys started in [from, to), in indexed queries:
 * the deploys (deployments_by_time), the incidents opened in the range (incidents_by_time), and each
 * release's bump and each component's kind. The commits' lead times are reduced in the database (loadLeadTimes). The
 * event log itself is not read here: catchUpMetricCommits copies what the metrics need out of it once.
 */
export async function loadMetricFacts(store: StoreDb, range: { environment: string; from: string; to: string }): Promise<MetricFacts> {
  const { environment, from, to } = range;
  // Few and short columns: moving text into Node is what a report spends most on. The bump comes with its release.
  const deployRows = await sql<{
    id: number | string;
    component: string;
    version: string;
    kind: 'deploy' | 'rollback';
    release_type: string | null;
    bump: string | null;
    previous_version: string | null;
    at: string;
    rolled_out: number | boolean;
    outcome: DeploymentFact['outcome'];
    rolled_back_by: number | string | null;
  }>`SELECT d.id, d.component, d.version, d.kind, d.release_type, r.bump, d.previous_version,
        COALESCE(d.rolled_out_at, d.finished_at, d.started_at) AS at, d.rolled_out_at IS NOT NULL AS rolled_out, d.outcome, d.rolled_back_by
      FROM deployments d LEFT JOIN releases r ON r.id = d.release_id
      WHERE d.environment = ${environment} AND d.started_at >= ${from} AND d.started_at < ${to}`.execute(store.db);

  const incidentRows = await metricsDb(store).selectFrom('incidents').select(['id', 'component', 'opened_at', 'resolved_at']).where('opened_at', '>=', from).where('opened_at', '<', to).orderBy('opened_at').execute();
  const kindRows = await store.db.selectFrom('releases').select(['component', 'kind']).distinct().execute();

  return {
    deploys: deployRows.rows.map((row) => ({
      id: Number(row.id),
      component: row.component,
      version: row.version,
      kind: row.kind,
      releaseType: row.release_type,
      bump: row.bump,
      previousVersion: row.previous_version,
      at: row.at,
      rolledOut: Boolean(row.rolled_out),
      outcome: row.outcome,
      rolledBackBy: row.rolled_back_by === null ? null : Number(row.rolled_back_by),
    })),
    incidents: incidentRows.map((row) => ({ id: row.id, component: row.component, openedAt: row.opened_at, resolvedAt: row.resolved_at })),
    kinds: new Map(kindRows.map((row) => [row.component, row.kind])),
  };
}
