import semver from 'semver';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { Policy } from '../policy/schema.js';
import { findDeploy, insertDeployment, listDeployments, runningDeployment, updateDeployment, type Deployment } from '../store/deployments.js';
import { getIncident, insertIncident, setIncidentResolved, type Incident } from '../store/incidents.js';
import type { StoreDb } from '../store/open-store.js';
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
export interface DeployFact {
  readonly ref: string;
  readonly environment: string;
  readonly at?: Date | undefined;
  readonly failed: boolean;
  readonly actor: string;
  readonly source: string;
}

export async function recordDeploy(options: DeployFact & { store: StoreDb; policy: Policy }): Promise<RecordedDeploy> {
  parseDeployRef(options.ref);
  checkEnvironment(options.policy, options.environment);
  return writeTransaction(options.store.db, options.store.dialect, async (db) => recordDeployIn({ db, dialect: options.store.dialect }, options.policy, options));
}

/** recordDeploy inside a write transaction the caller holds (a webhook takes its delivery id in the same one). */
export async function recordDeployIn(tx: StoreDb, policy: Policy, fact: DeployFact): Promise<RecordedDeploy> {
  const { component, version } = parseDeployRef(fact.ref);
  checkEnvironment(policy, fact.environment);
  const now = await databaseNow(tx.db, tx.dialect);
  checkPast(fact.at, now, 'the deploy time');
  const at = fact.at?.toISOString() ?? now;
  const release = await tx.db.selectFrom('releases').select(['id', 'type']).where('id', '=', releaseId(component, version)).executeTakeFirst();
  const existing = release === undefined ? (await listDeployments(tx, { component, environment: fact.environment, limit: 1000 })).find((row) => row.version === version && row.startedAt === at) : await findDeploy(tx, release.id, fact.environment);
  if (existing !== undefined) return { deployment: existing, recorded: false };
  const running = await runningDeployment(tx, component, fact.environment);
  const inserted = await insertDeployment(tx, {
    releaseId: release?.id ?? null,
    component,
    environment: fact.environment,
    version,
    releaseType: release?.type ?? null,
    kind: 'deploy',
    previousVersion: running?.version ?? null,
    phase: 'done',
    pipeline: false,
    actor: fact.actor,
    reason: `recorded (${fact.source})`,
    startedAt: at,
  });
  // A deploy someone reports happened: it ran in the environment at that time, and failed or not.
  const deployment = await updateDeployment(tx, inserted.id, { rolledOutAt: at, finishedAt: at, outcome: fact.failed ? 'failed' : 'succeeded' });
  return { deployment, recorded: true };
}

export interface RecordedIncident {
  readonly incident: Incident;
  readonly recorded: boolean;
}

export interface IncidentFact {
  readonly id: string;
  readonly component?: string | undefined;
  readonly at?: Date | undefined;
  readonly actor: string;
  readonly source: string;
  /** An incident already on record is left as it is instead of refused (a webhook's "labeled" after "opened"). */
  readonly ifAbsent?: boolean;
}

export async function recordIncident(options: IncidentFact & { store: StoreDb }): Promise<RecordedIncident> {
  checkIncident(options);
  return writeTransaction(options.store.db, options.store.dialect, async (db) => recordIncidentIn({ db, dialect: options.store.dialect }, options));
}

function checkIncident(fact: IncidentFact): void {
  if (!INCIDENT.test(fact.id)) throw errors.badOption(`"${fact.id}" is not an incident id`, 'use letters, digits and . _ : # / - (e.g. INC-42), at most 200');
  if (fact.component !== undefined && !COMPONENT.test(fact.component)) throw errors.badOption(`"${fact.component}" is not a component name`, 'e.g. --component billing');
}

export async function recordIncidentIn(tx: StoreDb, fact: IncidentFact): Promise<RecordedIncident> {
  checkIncident(fact);
  const now = await databaseNow(tx.db, tx.dialect);
  checkPast(fact.at, now, 'the incident time');
  const existing = await getIncident(tx, fact.id);
  if (existing !== undefined) {
    if (fact.ifAbsent) return { incident: existing, recorded: false };
    throw new ShipgateError('EEXISTS', `incident ${fact.id} is already recorded (opened ${existing.openedAt})`, { category: 'conflict', hint: `resolve it with \`shipgate record resolve ${fact.id}\`, or give a new id` });
  }
  const incident: Incident = { id: fact.id, component: fact.component ?? null, openedAt: fact.at?.toISOString() ?? now, resolvedAt: null, source: fact.source, actor: fact.actor, recordedAt: now };
  await insertIncident(tx, incident);
  return { incident, recorded: true };
}

export interface ResolveFact {
  readonly id: string;
  readonly at?: Date | undefined;
  /** An incident already resolved is left as it is instead of refused (a redelivered "closed"). */
  readonly ifOpen?: boolean;
}

export async function resolveIncident(options: ResolveFact & { store: StoreDb }): Promise<RecordedIncident> {
  return writeTransaction(options.store.db, options.store.dialect, async (db) => resolveIncidentIn({ db, dialect: options.store.dialect }, options));
}

export async function resolveIncidentIn(tx: StoreDb, fact: ResolveFact): Promise<RecordedIncident> {
  const now = await databaseNow(tx.db, tx.dialect);
  checkPast(fact.at, now, 'the resolve time');
  const existing = await getIncident(tx, fact.id);
  if (existing === undefined) throw new ShipgateError('EINCIDENT', `unknown incident ${fact.id}`, { category: 'not-found', hint: `record it first: shipgate record incident ${fact.id} --at <when it began>` });
  if (existing.resolvedAt !== null) {
    if (fact.ifOpen) return { incident: existing, recorded: false };
    throw new ShipgateError('ERESOLVED', `incident ${fact.id} was already resolved at ${existing.resolvedAt}`, { category: 'conflict', hint: 'nothing to do' });
  }
  const resolvedAt = fact.at?.toISOString() ?? now;
  if (resolvedAt < existing.openedAt) throw errors.badOption(`incident ${fact.id} cannot be resolved at ${resolvedAt}, before it opened (${existing.openedAt})`, 'give a time after it began');
  await setIncidentResolved(tx, fact.id, resolvedAt);
  return { incident: { ...existing, resolvedAt }, recorded: true };
}
