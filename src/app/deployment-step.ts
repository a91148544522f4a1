import type { Kysely } from 'kysely';
import { canTransition } from '../gates/lifecycle.js';
import type { EventData, LoggedEvent, ReleaseRecord, ReleaseState } from '../gates/types.js';
import { getDeployment, updateDeployment, type Deployment, type DeploymentChanges } from '../store/deployments.js';
import type { Store, StoreDb } from '../store/open-store.js';
import { applyMutation, releaseTransaction, type Mutation } from '../store/releases.js';
import type { Database } from '../store/schema.js';
import { databaseNow, writeTransaction } from '../store/write-transaction.js';
import { SYSTEM_ACTOR } from './settle-approval.js';

/** What one step of a deployment decides, seen under the release's lock. */
export interface StepDecision {
  readonly changes: DeploymentChanges;
  readonly events?: readonly EventData[];
  /** The state the release moves to, when the lifecycle allows it (else it stays). */
  readonly state?: ReleaseState;
  /** Steps after these (the verification the release's gates decide), given the release and log as these leave them. */
  readonly settle?: (release: ReleaseRecord, events: readonly LoggedEvent[], now: Date) => Mutation[];
  /** Other rows the step writes in the same transaction (the next jobs, a rollback row). */
  readonly also?: (tx: StoreDb, now: Date) => Promise<void>;
}

/**
 * Records a step of deployment `id` in one transaction under its release's lock: only if the row is
 * still in `phase` (another worker may have recorded it meanwhile: then nothing is written and null
 * is returned). The events carry the database clock's time.
 */
export async function recordStep(store: Store, id: number, phase: Deployment['phase'], decide: (row: Deployment, now: Date, tx: StoreDb) => Promise<StepDecision | null> | StepDecision | null): Promise<Deployment | null> {
  const first = await getDeployment(store, id);
  if (first === undefined) throw new Error(`deployment #${id} does not exist`);
  if (first.releaseId === null) {
    return writeTransaction(store.db, store.dialect, async (db: Kysely<Database>) => {
      const tx = { db, dialect: store.dialect };
      const row = await getDeployment(tx, id);
      if (row === undefined || row.phase !== phase) return null;
      const now = new Date(await databaseNow(db, store.dialect));
      const decided = await decide(row, now, tx);
      if (decided === null) return null;
      await decided.also?.(tx, now);
      return updateDeployment(tx, id, decided.changes);
    });
  }
  return releaseTransaction(store, first.releaseId, async ({ tx, release, events, now, write }) => {
    const row = await getDeployment(tx, id);
    if (row === undefined || row.phase !== phase) return null;
    const decided = await decide(row, now, tx);
    if (decided === null) return null;
    await decided.also?.(tx, now);
    const updated = await updateDeployment(tx, id, decided.changes);
    const moves = decided.state !== undefined && decided.state !== release.state && canTransition(release.state, decided.state);
    const transition: EventData[] = moves ? [{ kind: 'transition', from: release.state, to: decided.state as ReleaseState, reason: transitionReason(row, decided.state as ReleaseState) }] : [];
    const step: Mutation = { actor: SYSTEM_ACTOR, events: [...(decided.events ?? []), ...transition], ...(moves ? { patch: { state: decided.state as ReleaseState } } : {}) };
    const after = applyMutation(release, events, step, now);
    const later = decided.settle?.(after.release, after.events, now) ?? [];
    await write([step, ...later]);
    return updated;
  });
}

function transitionReason(row: Deployment, to: ReleaseState): string {
  if (to === 'rolled-back') return `rolled back in ${row.environment} (deployment #${row.id})`;
  if (to === 'soaking') return `runs in ${row.environment}: soaking`;
  if (to === 'production') return `runs in ${row.environment}`;
  return `deployment #${row.id} to ${row.environment}`;
}
