import { ownEntry } from '../gates/own-entry.js';
import type { EventData } from '../gates/types.js';
import { decideDeploy, parseRequirements } from '../pipeline/decide-deploy.js';
import { environmentOf } from '../pipeline/environments.js';
import type { Policy } from '../policy/schema.js';
import { findDeploy, insertDeployment, runningDeployment, type Deployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import { releaseTransaction } from '../store/releases.js';
import { findRelease } from './resolve-release.js';

export interface StartedDeployment {
  readonly deployment: Deployment;
  /** False when the release had already been deployed to the environment: that deployment is returned, never a second one. */
  readonly created: boolean;
}

/**
 * Opens the deployment of a release to an environment, under the release's lock: refused unless it
 * passed its gates (or is an emergency), the environment before it ran this version for its soak,
 * and the environment runs what the release requires; else one deployments row and a `deploy
 * started` event in one transaction. A release is deployed to an environment once: asking again
 * returns the deployment it already has. The effect runs afterwards (advance-deployment.ts).
 */
export async function startDeployment(options: { store: Store; policy: Policy; ref: string; environment: string; actor: string; tokenId?: string | undefined; pipeline: boolean }): Promise<StartedDeployment> {
  const { store, policy, environment } = options;
  const env = environmentOf(policy, environment);
  const found = await findRelease(store, options.ref);
  return releaseTransaction(store, found.id, async ({ tx, release, now, write }) => {
    const existing = await findDeploy(tx, release.id, environment);
    if (existing !== undefined) return { deployment: existing, created: false };
    const after = env.after == null ? undefined : await findDeploy(tx, release.id, env.after);
    const requirements = parseRequirements(ownEntry(policy.notes.dependencies, release.component) ?? []);
    const running: Record<string, string | null> = {};
    for (const requirement of requirements) running[requirement.component] = (await runningDeployment(tx, requirement.component, environment))?.version ?? null;
    const decision = decideDeploy({ policy, release, environment, now, after, requirements, running });
    const detail = decision.notes.length > 0 ? decision.notes.join('; ') : null;
    const deployment = await insertDeployment(tx, {
      releaseId: release.id,
      component: release.component,
      environment,
      version: release.version,
      releaseType: release.type,
      kind: 'deploy',
      previousVersion: null,
      phase: 'deploy',
      pipeline: options.pipeline,
      actor: options.actor,
      reason: detail,
      startedAt: now.toISOString(),
    });
    const events: EventData[] = [{ kind: 'deploy', environment, deployment: deployment.id, version: release.version, step: 'started', detail }];
    if (decision.startState !== null) events.push({ kind: 'transition', from: release.state, to: decision.startState, reason: `deploying to ${environment}` });
    await write({ actor: options.actor, tokenId: options.tokenId, events, ...(decision.startState === null ? {} : { patch: { state: decision.startState } }) });
    return { deployment, created: true };
  });
}
