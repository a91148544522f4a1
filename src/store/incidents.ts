import type { Selectable } from 'kysely';
import type { StoreDb } from './open-store.js';

/** The incidents table (migration 0007-metrics); times are UTC ISO text with milliseconds. */
export interface IncidentsTable {
  id: string;
  component: string | null;
  opened_at: string;
  resolved_at: string | null;
  /** Who told shipgate: "cli" or "github". */
  source: string;
  actor: string;
  recorded_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  event: string;
  received_at: string;
}

export interface Incident {
  readonly id: string;
  readonly component: string | null;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
  readonly source: string;
  readonly actor: string;
  readonly recordedAt: string;
}

export interface MetricCommitsTable {
  release_id: string;
  sha: string;
  authored_ms: number;
  feature: number;
}

export interface MetricFirstDeploysTable {
  environment: string;
  component: string;
  sha: string;
  release_id: string;
  deployed_ms: number;
  authored_ms: number;
  feature: number;
}

export type MetricsTables = {
  incidents: IncidentsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  metric_commits: MetricCommitsTable;
  metric_first_deploys: MetricFirstDeploysTable;
};

export const metricsDb = (store: StoreDb) => store.db.withTables<MetricsTables>();

export async function getIncident(store: StoreDb, id: string): Promise<Incident | undefined> {
  const row = await metricsDb(store).selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toIncident(row);
}

export async function insertIncident(store: StoreDb, incident: Incident): Promise<void> {
  await metricsDb(store)
    .insertInto('incidents')
    .values({ id: incident.id, component: incident.component, opened_at: incident.openedAt, resolved_at: incident.resolvedAt, source: incident.source, actor: incident.actor, recorded_at: incident.recordedAt })
    .execute();
}

export async function setIncidentResolved(store: StoreDb, id: string, resolvedAt: string | null): Promise<void> {
  await metricsDb(store).updateTable('incidents').set({ resolved_at: resolvedAt }).where('id', '=', id).execute();
}

/** Takes a webhook delivery id once: false when it was taken before (a replay). Call inside the transaction that records what it says. */
export async function takeDelivery(store: StoreDb, id: string, event: string, at: string): Promise<boolean> {
  const db = metricsDb(store);
  const existing = await db.selectFrom('webhook_deliveries').select('id').where('id', '=', id).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('webhook_deliveries').values({ id, event, received_at: at }).execute();
  return true;
}

export function toIncident(row: Selectable<IncidentsTable>): Incident {
  return { id: row.id, component: row.component, openedAt: row.opened_at, resolvedAt: row.resolved_at, source: row.source, actor: row.actor, recordedAt: row.recorded_at };
}
