import type { DeployTarget } from '../deploy-targets/types.js';
import { makeTarget } from '../deploy-targets/make-target.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { canTransition } from '../gates/lifecycle.js';
import { rollbackRefusal } from '../gates/rollback-roles.js';
import { normalizePerson } from '../gates/roles.js';
import type { EventData } from '../gates/types.js';
import { environmentOf } from '../pipeline/environments.js';
import type { Policy } from '../policy/schema.js';
import { insertRollback, lastPassed, runningDeployment, type Deployment } from '../store/deployments.js';
import type { Store, StoreDb } from '../store/open-store.js';
import { getRelease, releaseTransaction } from '../store/releases.js';
import { databaseNow, writeTransaction } from '../store/write-transaction.js';
import { advanceDeployment, type DeployContext } from './advance-deployment.js';
import { componentOwners, type CodeownersSource } from './read-codeowners.js';
import { rollbackSafety } from './rollback-safety.js';

export interface RollbackResult {
  readonly deployment: Deployment;
  readonly from: string | null;
  readonly to: string;
  readonly forced: boolean;
  readonly evidence: readonly string[];
}

/**
 * `shipgate rollback <component> --env E [--to V] --reason R`: puts an older version back by hand.
 * By default the last version that passed there before the one running. Refused when a migration
 * since that version is not rollback-safe (the migration guard), unless forced, and then the force
 * and the reason are on the record. The rollback is a deployments row and events in the history of
 * the release it undoes, written before the effect runs. Only the policy's rollback roles may
 * (rollback.manual.roles): the CLI, the API and the dashboard all come through here.
 */
export async function rollbackComponent(options: {
  store: Store;
  policy: Policy;
  cwd: string;
  component: string;
  environment: string;
  to?: string | undefined;
  reason: string;
  force: boolean;
  actor: string;
  tokenId?: string | undefined;
  /** Where CODEOWNERS is read for roles drawn from it (module owners); without it only the policy's members count. */
  codeowners?: CodeownersSource | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  target?: ((component: string, environment: string) => DeployTarget) | undefined;
  progress?: ((line: string) => void) | undefined;
}): Promise<RollbackResult> {
  const { store, policy, component, environment } = options;
  environmentOf(policy, environment);
  // A form or a request can send an empty reason the CLI's --reason never allows.
  if (options.reason.trim() === '') throw new ShipgateError('EUSAGE', 'a rollback needs a reason', { category: 'usage', hint: 'say why on the record: --reason "customers see failed invoices"' });
  if (!policy.rollback.manual.allowed) throw new ShipgateError('EROLLBACK', 'the policy does not allow manual rollbacks', { category: 'rule', hint: 'set rollback.manual.allowed: true in the policy' });
  const running = await runningDeployment(store, component, environment);
  await assertMayRollBack({ store, policy, cwd: options.cwd, codeowners: options.codeowners, component, releaseId: running?.releaseId ?? null, actor: options.actor });
  const target = options.target?.(component, environment) ?? makeTarget(policy, component, environment, { cwd: options.cwd, ...(options.env ? { env: options.env } : {}) });
  const from = (await target.current().catch(() => null)) ?? running?.version ?? null;
  const to = options.to ?? (await lastPassed(store, component, environment, (running?.id ?? 0) + 1, from ?? ''))?.version;
  if (to === undefined) throw new ShipgateError('EROLLBACK', `no earlier version of ${component} passed in ${environment}`, { category: 'not-found', hint: 'name the version: --to <version>' });
  if (to === from) throw new ShipgateError('EROLLBACK', `${environment} already runs ${component} ${to}`, { category: 'conflict', hint: 'nothing to roll back' });
  const safety = await rollbackSafety({ store, policy, cwd: options.cwd, component, to, from });
  if (!safety.safe && !options.force) {
    throw new ShipgateError('EROLLBACK', `rolling ${component} back to ${to} is not rollback-safe: a migration since ${to} is not additive (${safety.evidence.slice(1).filter((line) => /^\S+:\d+ /.test(line)).join('; ') || safety.evidence.at(-1) || ''})`, {
      category: 'rule',
      hint: 'restore the schema first, or roll back anyway with --force (the reason is recorded)',
    });
  }
  const forced = !safety.safe;
  const releaseId = running?.releaseId ?? null;
  const write = async (tx: StoreDb, now: Date): Promise<{ row: Deployment; events: EventData[] }> => {
    const rollback = { releaseId, component, environment, version: to, releaseType: running?.releaseType ?? null, kind: 'rollback' as const, previousVersion: from, phase: 'deploy' as const, pipeline: false, actor: options.actor, reason: options.reason, startedAt: now.toISOString() };
    const row = await insertRollback(tx, rollback, running, now.toISOString());
    const evidence = [...(forced ? [`forced: ${options.reason}`] : []), ...safety.evidence];
    return { row, events: [{ kind: 'rollback', environment, deployment: row.id, rolledBack: running?.kind === 'deploy' ? running.id : null, from, to, reason: options.reason, automatic: false, forced, evidence }] };
  };
  const row =
    releaseId === null
      ? await writeTransaction(store.db, store.dialect, async (db) => (await write({ db, dialect: store.dialect }, new Date(await databaseNow(db, store.dialect)))).row)
      : await releaseTransaction(store, releaseId, async ({ tx, release, now, write: record }) => {
          const { row, events } = await write(tx, now);
          const moves = canTransition(release.state, 'rolled-back');
          await record({ actor: options.actor, tokenId: options.tokenId, events: [...events, ...(moves ? [{ kind: 'transition' as const, from: release.state, to: 'rolled-back' as const, reason: `rolled back by hand in ${environment}: ${options.reason}` }] : [])], ...(moves ? { patch: { state: 'rolled-back' as const } } : {}) });
          return row;
        });
  const context: DeployContext = {
    store,
    policy,
    cwd: options.cwd,
    env: options.env,
    target: () => target,
    progress: options.progress,
    later: async () => 'slept',
  };
  const ended = await advanceDeployment(context, row.id);
  return { deployment: ended, from, to, forced, evidence: safety.evidence };
}

/**
 * Whether a person may roll a component back by hand (the dashboard shows its form by this, and
 * rollbackComponent refuses by it): the refusal to throw, or null. Roles drawn from CODEOWNERS are
 * read for the directory of the release that runs there, when one does.
 */
export async function rollbackForbidden(options: { store: Store; policy: Policy; cwd: string; codeowners?: CodeownersSource | undefined; component: string; releaseId: string | null; actor: string }): Promise<ShipgateError | null> {
  const { policy } = options;
  const person = normalizePerson(options.actor);
  const release = options.codeowners === undefined || options.releaseId === null ? undefined : await getRelease(options.store, options.releaseId);
  const owners = release === undefined || options.codeowners === undefined ? [] : await componentOwners(options.cwd, policy, release.path, options.codeowners);
  const refusal = rollbackRefusal(policy, person, owners);
  if (refusal === null) return null;
  const who = refusal.members.length === 0 ? 'nobody holds it' : `held by ${refusal.members.join(', ')}`;
  const roles = refusal.roles.join(' or ');
  return new ShipgateError('EROLLBACK', `${person} may not roll back ${options.component}: manual rollbacks are for ${roles} (${who})`, {
    category: 'forbidden',
    // With nobody in the role (the built-in policy names no one) there is no one to ask: say where people are named.
    hint: refusal.members.length === 0 ? `name them in the policy (${refusal.roles.map((role) => `roles.${role}.members`).join(', ')}), or list a role you hold under rollback.manual.roles` : `ask one of them, or list your role under rollback.manual.roles in the policy`,
  });
}

async function assertMayRollBack(options: Parameters<typeof rollbackForbidden>[0]): Promise<void> {
  const refusal = await rollbackForbidden(options);
  if (refusal !== null) throw refusal;
}
