import { ShipgateError } from '../errors/shipgate-error.js';
import { canTransition } from '../gates/lifecycle.js';
import type { EventData, ReleaseRecord, ReleaseState } from '../gates/types.js';
import { plantJob } from '../jobs/job-store.js';
import { decideDeploy } from '../pipeline/decide-deploy.js';
import { environmentOf, firstEnvironments, nextEnvironments } from '../pipeline/environments.js';
import { releaseTime } from '../pipeline/release-time.js';
import { durationMs } from '../policy/duration.js';
import type { Policy } from '../policy/schema.js';
import { findDeploy, listDeployments, updateDeployment, type Deployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import { releaseTransaction } from '../store/releases.js';
import { ARTIFACTS_JOB, DEPLOY_JOB } from './advance-deployment.js';
import { findRelease } from './resolve-release.js';

export interface PipelineStart {
  readonly release: ReleaseRecord;
  /** The deploy jobs planted now (the first environments); the later ones are planted as each one succeeds. */
  readonly planted: readonly { readonly environment: string; readonly runAt: string; readonly key: string; readonly new: boolean }[];
}

/**
 * `pipeline start`: plants the release's path as jobs for the server's runner: a deploy to each first
 * environment now (a release on a train: at its release time); each success plants the next environment's deploy for when its soak ends. Refused
 * (as a deploy would be) when the release may not go yet. Starting twice plants nothing new.
 */
export async function startPipeline(options: { store: Store; policy: Policy; ref: string; actor: string; tokenId?: string | undefined }): Promise<PipelineStart> {
  const { store, policy } = options;
  const found = await findRelease(store, options.ref);
  const firsts = firstEnvironments(policy);
  if (firsts.length === 0) throw new ShipgateError('EPIPELINE', 'the policy has no environments', { category: 'input', hint: 'add environments (staging, production) with their targets to the policy' });
  return releaseTransaction(store, found.id, async ({ tx, release, now, write }) => {
    // The same refusal the deploy job would meet, said now (gates, targets); requirements are checked when it runs.
    for (const environment of firsts) decideDeploy({ policy, release, environment, now, after: undefined, requirements: [], running: {} });
    const planted = [];
    // A release on a train goes to staging at the train's release time; any other at once.
    const runAt = releaseTime(policy, release, now);
    for (const environment of firsts) {
      const key = `deploy:${release.id}:${environment}`;
      const { job, planted: isNew } = await plantJob(tx, { kind: DEPLOY_JOB, key, runAt, payload: { release: release.id, environment } });
      planted.push({ environment, runAt: job.runAt, key, new: isNew });
    }
    const fresh = planted.filter((entry) => entry.new);
    if (fresh.length > 0) await write({ actor: options.actor, tokenId: options.tokenId, events: [{ kind: 'pipeline', step: 'started', environment: null, detail: `deploy to ${fresh.map((entry) => entry.environment).join(', ')} ${runAt === now ? 'now' : `at ${runAt.toISOString()} (the train's release time)`}; then ${pathAfter(policy, firsts)}` }] });
    return { release, planted };
  });
}

function pathAfter(policy: Policy, firsts: readonly string[]): string {
  const steps: string[] = [];
  const walk = (name: string) => {
    for (const next of nextEnvironments(policy, name)) {
      const soak = environmentOf(policy, next).soak;
      steps.push(`${next}${soak === null ? '' : ` after a ${soak} soak in ${name}`}`);
      walk(next);
    }
  };
  for (const first of firsts) walk(first);
  return steps.length === 0 ? 'nothing more' : steps.join(', ');
}

/**
 * `pipeline resume`: a person decides that a deployment whose analysis was inconclusive may stand.
 * It becomes succeeded on the record (who and why), and the pipeline goes on as if it had passed.
 */
export async function resumePipeline(options: { store: Store; policy: Policy; ref: string; environment: string; reason: string; actor: string; tokenId?: string | undefined }): Promise<Deployment> {
  const { store, policy, environment } = options;
  environmentOf(policy, environment);
  const found = await findRelease(store, options.ref);
  return releaseTransaction(store, found.id, async ({ tx, release, now, write }) => {
    const deployment = await findDeploy(tx, release.id, environment);
    if (deployment === undefined || deployment.outcome !== 'paused') {
      const what = deployment === undefined ? 'has no deployment there' : `deployment #${deployment.id} is ${deployment.outcome ?? deployment.phase}, not paused`;
      throw new ShipgateError('EPIPELINE', `${release.id} in ${environment} ${what}`, { category: 'conflict', hint: `see its deployments: shipgate release show ${release.id}` });
    }
    const updated = await updateDeployment(tx, deployment.id, { outcome: 'succeeded' });
    const events: EventData[] = [{ kind: 'deploy' as const, environment, deployment: deployment.id, version: deployment.version, step: 'resumed' as const, detail: options.reason }, { kind: 'pipeline' as const, step: 'resumed' as const, environment, detail: options.reason }];
    const planted: string[] = [];
    if (deployment.pipeline) {
      for (const next of nextEnvironments(policy, environment)) {
        const soak = environmentOf(policy, next).soak;
        const ends = soak === null || !policy.releaseTypes[release.type].requiresSoak ? now : new Date(Date.parse(deployment.rolledOutAt ?? now.toISOString()) + durationMs(soak));
        await plantJob(tx, { kind: DEPLOY_JOB, key: `deploy:${release.id}:${next}`, runAt: ends > now ? ends : now, payload: { release: release.id, environment: next } });
        planted.push(next);
      }
      if (planted.length === 0 && policy.artifacts.promote === 'after-production') await plantJob(tx, { kind: ARTIFACTS_JOB, key: `artifacts:${release.id}`, runAt: now, payload: { release: release.id } });
    }
    const state: ReleaseState | null = planted.length === 0 ? 'production' : release.type !== 'emergency' && policy.releaseTypes[release.type].requiresSoak ? 'soaking' : null;
    const moves = state !== null && state !== release.state && canTransition(release.state, state);
    await write({ actor: options.actor, tokenId: options.tokenId, events: [...events, ...(moves && state !== null ? [{ kind: 'transition' as const, from: release.state, to: state, reason: `resumed in ${environment}` }] : [])], ...(moves && state !== null ? { patch: { state } } : {}) });
    return updated;
  });
}

/** The deployments of a release (deploys and the rollbacks that undid them), newest first: the release page's table. */
export async function releaseDeployments(store: Store, ref: string): Promise<{ release: ReleaseRecord; deployments: Deployment[] }> {
  const release = await findRelease(store, ref);
  return { release, deployments: await listDeployments(store, { releaseId: release.id }) };
}
