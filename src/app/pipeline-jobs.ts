import { isShipgateError } from '../errors/shipgate-error.js';
import type { DeployTarget } from '../deploy-targets/types.js';
import { plantJob } from '../jobs/job-store.js';
import type { JobHandlers } from '../jobs/run-jobs.js';
import type { Policy } from '../policy/schema.js';
import type { Deployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { advanceDeployment, ARTIFACTS_JOB, DEPLOY_JOB, DEPLOYMENT_STEP_JOB, type DeployContext } from './advance-deployment.js';
import { startDeployment } from './deploy-release.js';
import { promoteArtifacts } from './promote-artifacts.js';
import { SYSTEM_ACTOR } from './settle-approval.js';

export interface PipelineDeps {
  readonly store: Store;
  readonly cwd: string;
  /** The policy that decides (on a server: main's, read when each job runs). */
  readonly policy: () => Promise<Policy>;
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly target?: ((component: string, environment: string) => DeployTarget) | undefined;
  readonly log?: ((line: string) => void) | undefined;
}

/** A job's wait: the next analysis round is a job planted for its time, keyed by deployment and round, so it is planted once. */
export function plantLater(store: Store): DeployContext['later'] {
  return async (deployment: Deployment, at: Date, round: number) => {
    await plantJob(store, { kind: DEPLOYMENT_STEP_JOB, key: `deployment:${deployment.id}:round:${round}`, runAt: at, payload: { deployment: deployment.id } });
    return 'planted';
  };
}

const payloadOf = (payload: unknown) => (payload ?? {}) as { release?: string; environment?: string; deployment?: number };

/**
 * The pipeline's job handlers by kind, for the runner `shipgate serve` hosts: a deploy (started when
 * its release may go there, else planted again for when its soak ends, else refused on the record),
 * the next step of a deployment (an analysis round), and the promotion of the tags. Each may run
 * again after a crash: a deploy finds its deployments row, a step finds its recorded rounds, the
 * effect asks the target what runs first.
 */
export function pipelineHandlers(deps: PipelineDeps): JobHandlers {
  const { store } = deps;
  const context = async (signal: AbortSignal): Promise<DeployContext> => ({
    store,
    policy: await deps.policy(),
    cwd: deps.cwd,
    env: deps.env,
    signal,
    later: plantLater(store),
    target: deps.target,
    progress: deps.log,
  });
  return {
    [DEPLOY_JOB]: {
      timeoutMs: 60 * 60_000,
      async run({ payload, key, signal }) {
        const { release, environment } = payloadOf(payload);
        if (release === undefined || environment === undefined) return { skipped: 'no release or environment in the payload' };
        const ctx = await context(signal);
        let started;
        try {
          started = await startDeployment({ store, policy: ctx.policy, cwd: ctx.cwd, ref: release, environment, actor: SYSTEM_ACTOR, pipeline: true });
        } catch (error) {
          if (!isShipgateError(error) || error.category === 'internal' || error.category === 'unavailable') throw error;
          const next = error.next;
          if (next?.action === 'wait') {
            // The soak ends later than this job ran (another clock, a soak changed): try again then.
            await plantJob(store, { kind: DEPLOY_JOB, key: `${key.replace(/:retry:.*$/, '')}:retry:${next.args.until}`, runAt: new Date(next.args.until), payload });
            return { waiting: next.args.until };
          }
          await mutateRelease(store, release, () => ({ actor: SYSTEM_ACTOR, events: [{ kind: 'pipeline', step: 'refused', environment, detail: error.message }] })).catch(() => undefined);
          return { refused: error.message };
        }
        const ended = await advanceDeployment(ctx, started.deployment.id);
        return { deployment: ended.id, phase: ended.phase, outcome: ended.outcome };
      },
    },
    [DEPLOYMENT_STEP_JOB]: {
      timeoutMs: 60 * 60_000,
      async run({ payload, signal }) {
        const { deployment } = payloadOf(payload);
        if (deployment === undefined) return { skipped: 'no deployment in the payload' };
        const ended = await advanceDeployment(await context(signal), deployment);
        return { deployment: ended.id, phase: ended.phase, outcome: ended.outcome };
      },
    },
    [ARTIFACTS_JOB]: {
      timeoutMs: 10 * 60_000,
      async run({ payload }) {
        const { release } = payloadOf(payload);
        if (release === undefined) return { skipped: 'no release in the payload' };
        try {
          const result = await promoteArtifacts({ store, policy: await deps.policy(), cwd: deps.cwd, ref: release, push: true, actor: SYSTEM_ACTOR, env: deps.env ?? process.env });
          return { image: result.image, tags: result.tags };
        } catch (error) {
          // A registry that does not answer is tried again; an image that is not there is said once, on the record.
          if (!isShipgateError(error) || error.category === 'internal' || error.category === 'unavailable') throw error;
          await mutateRelease(store, release, () => ({ actor: SYSTEM_ACTOR, events: [{ kind: 'pipeline', step: 'refused', environment: null, detail: `tag promotion: ${error.message}` }] }));
          return { refused: error.message };
        }
      },
    },
  };
}
