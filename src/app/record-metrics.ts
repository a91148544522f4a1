import semver from 'semver';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { Policy } from '../policy/schema.js';
import { findDeploy, insertDeployment, listDeployments, runningDeployment, updateDeployment, type Deployment } from '../store/deployments.js';
import { getIncident, insertIncident, setIncidentResolved, type Incident, type StoreDb } from '../store/incidents.js';
import { releaseId } from '../store/releases.js';
import { databaseNow, writeTransaction } from '../store/write-transaction.js';

const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INCIDENT = /^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,199}$/;

export interface RecordedDeploy {
  readonly deployment: Deployment;
  /** false: this deploy was already on record (a redelivery, or shipgate ran it), nothing was added. */
  readonly recorded: boolean;
}

/** `component@version` as typed; a bad one is a usage error naming what is wrong. */
export function parseDeployRef(ref: string): { component: string; version: string } {
  const at = ref.lastIndexOf('@');
  const component = at > 0 ? ref.slice(0, at) : ref;
  const version = at > 0 ? ref.slice(at + 1).replace(/^v(?=\d)/, '') : '';
  if (!COMPONENT.test(component) || version === '') throw errors.badOption(`"${ref}" is not <component>@<version>`, 'e.g. shipgate record deploy billing@2.1.0 --env production');
  if (semver.valid(version) === null) throw errors.badOption(`"${version}" is not a SemVer version`, 'give the version deployed, e.g. billing@2.1.0');
  return { component, version };
}

export function checkEnvironment(policy: Policy, environment: string): void {
  if (!Object.hasOwn(policy.environments, environment)) {
    throw errors.badOption(`unknown environment "${environment}"`, `environments in the policy: ${Object.keys(policy.environments).join(', ') || '(none)'}`);
  }
}

/** A time someone tells shipgate about must have happened: the future is refused. */
function checkPast(at: Date | undefined, now: string, what: string): void {
  if (at !== undefined && at.getTime() > Date.parse(now) + 60_000) throw errors.badOption(`${what} ${at.toISOString()} is in the future`, 'give the time it happened, or leave --at out for now');
}

/**
 * Records a deploy shipgate did not run (`shipgate record deploy`, a deployment_status webhook): a
 * finished deployment row like the ones shipgate writes, tied to the release of that version when
 * shipgate made one, so the metrics count it with the commits it carried. Recording the same deploy
 * twice records it once.
 */
export async function recordDeploy(options: { store: StoreDb; policy: Policy; ref: string; environment: string; at?: Date | undefined; failed: boolean; actor: string; source: string }): Promise<RecordedDeploy> {
  const { component, version } = parseDeployRef(options.ref);
  checkEnvironment(options.policy, options.environment);
  return writeTransaction(options.store.db, options.store.dialect, async (db) => {
    const tx = { db, dialect: options.store.dialect };
    const now = await databaseNow(db, tx.dialect);
    checkPast(options.at, now, 'the deploy time');
    const at = options.at?.toISOString() ?? now;
    const release = await db.selectFrom('releases').select(['id', 'type']).where('id', '=', releaseId(component, version)).executeTakeFirst();
    const existing = release === undefined ? (await listDeployments(tx, { component, environment: options.environment, limit: 1000 })).find((row) => row.version === version && row.startedAt === at) : await findDeploy(tx, release.id, options.environment);
    if (existing !== undefined) return { deployment: existing, recorded: false };
    const running = await runningDeployment(tx, component, options.environment);
    const inserted = await insertDeployment(tx, {
      releaseId: release?.id ?? null,
      component,
      environment: options.environment,
      version,
      releaseType: release?.type ?? null,
      kind: 'deploy',
      previousVersion: running?.version ?? null,
      phase: 'done',
      pipeline: false,
      actor: options.actor,
      reason: `recorded (${options.source})`,
      startedAt: at,
    });
    // A deploy someone reports happened: it ran in the environment at that time, and failed or not.
    const deployment = await updateDeployment(tx, inserted.id, { rolledOutAt: at, finishedAt: at, outcome: options.failed ? 'failed' : 'succeeded' });
    return { deployment, recorded: true };
  });
}

export interface RecordedIncident {
  readonly incident: Incident;
  readonly recorded: boolean;
}

export async function recordIncident(options: { store: StoreDb; id: string; component?: string | undefined; at?: Date | undefined; actor: string; source: string; ifAbsent?: boolean }): Promise<RecordedIncident> {
  if (!INCIDENT.test(options.id)) throw errors.badOption(`"${options.id}" is not an incident id`, 'use letters, digits and . _ : # / - (e.g. INC-42), at most 200');
  if (options.component !== undefined && !COMPONENT.test(options.component)) throw errors.badOption(`"${options.component}" is not a component name`, 'e.g. --component billing');
  return writeTransaction(options.store.db, options.store.dialect, async (db) => {
    const tx = { db, dialect: options.store.dialect };
    const now = await databaseNow(db, tx.dialect);
    checkPast(options.at, now, 'the incident time');
    const existing = await getIncident(tx, options.id);
    if (existing !== undefined) {
      if (options.ifAbsent) return { incident: existing, recorded: false };
      throw new ShipgateError('EEXISTS', `incident ${options.id} is already recorded (opened ${existing.openedAt})`, { category: 'conflict', hint: `resolve it with \`shipgate record resolve ${options.id}\`, or give a new id` });
    }
    const incident: Incident = { id: options.id, component: options.component ?? null, openedAt: options.at?.toISOString() ?? now, resolvedAt: null, source: options.source, actor: options.actor, recordedAt: now };
    await insertIncident(tx, incident);
    return { incident, recorded: true };
  });
}

export async function resolveIncident(options: { store: StoreDb; id: string; at?: Date | undefined; ifOpen?: boolean }): Promise<RecordedIncident> {
  return writeTransaction(options.store.db, options.store.dialect, async (db) => {
    const tx = { db, dialect: options.store.dialect };
    const now = await databaseNow(db, tx.dialect);
    checkPast(options.at, now, 'the resolve time');
    const existing = await getIncident(tx, options.id);
    if (existing === undefined) throw new ShipgateError('EINCIDENT', `unknown incident ${options.id}`, { category: 'not-found', hint: `record it first: shipgate record incident ${options.id} --at <when it began>` });
    if (existing.resolvedAt !== null) {
      if (options.ifOpen) return { incident: existing, recorded: false };
      throw new ShipgateError('ERESOLVED', `incident ${options.id} was already resolved at ${existing.resolvedAt}`, { category: 'conflict', hint: 'nothing to do' });
    }
    const resolvedAt = options.at?.toISOString() ?? now;
    if (resolvedAt < existing.openedAt) throw errors.badOption(`incident ${options.id} cannot be resolved at ${resolvedAt}, before it opened (${existing.openedAt})`, 'give a time after it began');
    await setIncidentResolved(tx, options.id, resolvedAt);
    return { incident: { ...existing, resolvedAt }, recorded: true };
  });
}
