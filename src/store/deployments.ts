import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import { writeFirstDeploys } from './first-deploys.js';
import { writeDeployRecords } from './metrics-queries.js';
import type { StoreDb } from './open-store.js';
import type { Database } from './schema.js';

export type DeploymentKind = 'deploy' | 'rollback';
/** Where a deployment is: its effect, its smoke tests, its analysis, or finished. */
export type DeploymentPhase = 'deploy' | 'smoke' | 'analysis' | 'done';
/** paused: the analysis was inconclusive and a person decides (resume or roll back). */
export type DeploymentOutcome = 'succeeded' | 'failed' | 'rolled-back' | 'paused';

/** The deployments table (migration 0006-deployments); times are the database clock's UTC ISO text. */
export interface DeploymentsTable {
  id: Generated<number>;
  release_id: string | null;
  component: string;
  environment: string;
  version: string;
  release_type: string | null;
  kind: DeploymentKind;
  previous_version: string | null;
  phase: DeploymentPhase;
  pipeline: number;
  actor: string;
  reason: string | null;
  started_at: string;
  rolled_out_at: string | null;
  finished_at: string | null;
  outcome: DeploymentOutcome | null;
  rolled_back_by: number | null;
  /** Its release's bump (migration 0012), copied when the row is made, for the metrics; null without a release. */
  bump: string | null;
  /** What the metrics read of it, packed (metrics-queries.ts deployRecord), rewritten with every write here. */
  metric_record: string | null;
}

export interface Deployment {
  readonly id: number;
  readonly releaseId: string | null;
  readonly component: string;
  readonly environment: string;
  readonly version: string;
  readonly releaseType: string | null;
  readonly kind: DeploymentKind;
  readonly previousVersion: string | null;
  readonly phase: DeploymentPhase;
  /** Planted by `pipeline start`: its success plants the next environment's deploy. */
  readonly pipeline: boolean;
  readonly actor: string;
  readonly reason: string | null;
  readonly startedAt: string;
  /** When the target ran the version (the soak counts from here); null before. */
  readonly rolledOutAt: string | null;
  readonly finishedAt: string | null;
  readonly outcome: DeploymentOutcome | null;
  /** The rollback deployment that undid this one. */
  readonly rolledBackBy: number | null;
}

type DeploymentsDatabase = Database & { deployments: DeploymentsTable };
const table = (store: StoreDb) => store.db.withTables<{ deployments: DeploymentsTable }>() as Kysely<DeploymentsDatabase>;

export type NewDeployment = Omit<Deployment, 'id' | 'rolledOutAt' | 'finishedAt' | 'outcome' | 'rolledBackBy'>;

export async function insertDeployment(store: StoreDb, deployment: NewDeployment): Promise<Deployment> {
  const row = await table(store)
    .insertInto('deployments')
    .values({
      release_id: deployment.releaseId,
      component: deployment.component,
      environment: deployment.environment,
      version: deployment.version,
      release_type: deployment.releaseType,
      kind: deployment.kind,
      previous_version: deployment.previousVersion,
      phase: deployment.phase,
      pipeline: deployment.pipeline ? 1 : 0,
      actor: deployment.actor,
      reason: deployment.reason,
      started_at: deployment.startedAt,
      bump: deployment.releaseId === null ? null : sql<string | null>`(SELECT bump FROM releases WHERE id = ${deployment.releaseId})`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeDeployRecords(store.db, store.dialect, row.id);
  return toDeployment(row);
}

/**
 * A rollback's row, and the deploy it replaces (the one running there, if a deploy) marked rolled back
 * by it, finished at `now` if it was still under way: the pair of rows every rollback leaves.
 */
export async function insertRollback(tx: StoreDb, rollback: NewDeployment & { readonly kind: 'rollback' }, replaced: Deployment | undefined, now: string): Promise<Deployment> {
  const row = await insertDeployment(tx, rollback);
  if (replaced !== undefined && replaced.kind === 'deploy') await updateDeployment(tx, replaced.id, { rolledBackBy: row.id, ...(replaced.phase === 'done' ? { outcome: 'rolled-back' as const } : { phase: 'done' as const, outcome: 'rolled-back' as const, finishedAt: now }) });
  return row;
}

export type DeploymentChanges = Partial<Pick<Deployment, 'phase' | 'rolledOutAt' | 'finishedAt' | 'outcome' | 'rolledBackBy' | 'previousVersion' | 'pipeline'>>;

export async function updateDeployment(store: StoreDb, id: number, changes: DeploymentChanges): Promise<Deployment> {
  const set: Partial<Omit<DeploymentsTable, 'id'>> = {
    ...(changes.phase === undefined ? {} : { phase: changes.phase }),
    ...(changes.rolledOutAt === undefined ? {} : { rolled_out_at: changes.rolledOutAt }),
    ...(changes.finishedAt === undefined ? {} : { finished_at: changes.finishedAt }),
    ...(changes.outcome === undefined ? {} : { outcome: changes.outcome }),
    ...(changes.rolledBackBy === undefined ? {} : { rolled_back_by: changes.rolledBackBy }),
    ...(changes.previousVersion === undefined ? {} : { previous_version: changes.previousVersion }),
    ...(changes.pipeline === undefined ? {} : { pipeline: changes.pipeline ? 1 : 0 }),
  };
  // No column to change is a read: an empty SET is not SQL.
  if (Object.keys(set).length === 0) {
    const row = await table(store).selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toDeployment(row);
  }
  const row = await table(store).updateTable('deployments').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  await writeDeployRecords(store.db, store.dialect, id);
  // Rolling out is when a deploy's commits reach the environment: their first deploys are written with it.
  if (changes.rolledOutAt !== undefined && row.rolled_out_at !== null && row.kind === 'deploy' && row.release_id !== null) {
    await writeFirstDeploys(store, { releaseId: row.release_id, environment: row.environment, component: row.component, rolledOutAt: row.rolled_out_at });
  }
  return toDeployment(row);
}

export async function getDeployment(store: StoreDb, id: number): Promise<Deployment | undefined> {
  const row = await table(store).selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDeployment(row);
}

/** The deploy of a release to an environment: there is at most one. */
export async function findDeploy(store: StoreDb, releaseId: string, environment: string): Promise<Deployment | undefined> {
  const row = await table(store).selectFrom('deployments').selectAll().where('release_id', '=', releaseId).where('environment', '=', environment).where('kind', '=', 'deploy').executeTakeFirst();
  return row && toDeployment(row);
}

/** Deployments newest first, filtered. */
export async function listDeployments(store: StoreDb, filter: { releaseId?: string; component?: string; environment?: string; limit?: number } = {}): Promise<Deployment[]> {
  let query = table(store).selectFrom('deployments').selectAll();
  if (filter.releaseId !== undefined) query = query.where('release_id', '=', filter.releaseId);
  if (filter.component !== undefined) query = query.where('component', '=', filter.component);
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map(toDeployment);
}

/** What shipgate last put in the environment: the newest deployment that rolled out (a deploy or a rollback). */
export async function runningDeployment(store: StoreDb, component: string, environment: string): Promise<Deployment | undefined> {
  const row = await table(store)
    .selectFrom('deployments')
    .selectAll()
    .where('component', '=', component)
    .where('environment', '=', environment)
    .where('rolled_out_at', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toDeployment(row);
}

/** The last version that passed in the environment before deployment `before`: a deploy that succeeded and was not undone. */
export async function lastPassed(store: StoreDb, component: string, environment: string, before: number, except: string): Promise<Deployment | undefined> {
  const row = await table(store)
    .selectFrom('deployments')
    .selectAll()
    .where('component', '=', component)
    .where('environment', '=', environment)
    .where('kind', '=', 'deploy')
    .where('outcome', '=', 'succeeded')
    .where('id', '<', before)
    .where('version', '!=', except)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toDeployment(row);
}

function toDeployment(row: Selectable<DeploymentsTable>): Deployment {
  return {
    id: Number(row.id),
    releaseId: row.release_id,
    component: row.component,
    environment: row.environment,
    version: row.version,
    releaseType: row.release_type,
    kind: row.kind,
    previousVersion: row.previous_version,
    phase: row.phase,
    pipeline: Number(row.pipeline) === 1,
    actor: row.actor,
    reason: row.reason,
    startedAt: row.started_at,
    rolledOutAt: row.rolled_out_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    rolledBackBy: row.rolled_back_by === null ? null : Number(row.rolled_back_by),
  };
}
