import type { Measurement } from '../analysis/types.js';
import type { EventData, ReleaseEvent, ReleaseRecord } from '../gates/types.js';
import { soakEnds } from '../pipeline/decide-deploy.js';
import type { Policy } from '../policy/schema.js';
import { listDeployments, runningDeployment, type Deployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import type { CodeownersSource } from './read-codeowners.js';
import { rollbackForbidden } from './rollback-component.js';

type Analysis = Extract<EventData, { kind: 'analysis' }>;

export interface SoakShown {
  /** The environment that waits for the soak, and the one the release soaks in. */
  readonly environment: string;
  readonly after: string;
  readonly endsAt: string;
  /** Milliseconds left at `now`; 0 once the soak ended. */
  readonly leftMs: number;
}

export interface AnalysisShown {
  readonly deployment: number;
  readonly environment: string;
  /** The run's verdict (successful, failed, inconclusive, error); null while it runs. */
  readonly phase: Analysis['phase'] | null;
  readonly reason: string | null;
  readonly measurements: readonly (Measurement & { readonly round: number })[];
}

export interface PausedShown {
  readonly environment: string;
  readonly deployment: number;
  /** Why, as the pipeline recorded it when it paused. */
  readonly reason: string;
  readonly at: string;
}

export interface RollbackChoice {
  /** Environments where the component runs now, with the version running. */
  readonly environments: readonly { readonly name: string; readonly running: string }[];
  /** Versions of the component that ran somewhere: what the form suggests rolling back to. */
  readonly versions: readonly string[];
}

export interface DeploymentsShown {
  /** The release's deployments and the rollbacks that undid them, newest first. */
  readonly deployments: readonly Deployment[];
  readonly soaks: readonly SoakShown[];
  readonly analyses: readonly AnalysisShown[];
  readonly paused: readonly PausedShown[];
  /** What a manual rollback may choose from, when this person may roll back and something runs; else null. */
  readonly rollback: RollbackChoice | null;
  /** Why this person sees no rollback form (the refusal rollbackComponent would give them); null when they may. */
  readonly rollbackRefused: string | null;
}

/**
 * The release page's deployments: its rows, the soak each next environment waits for, the analysis
 * measurements, why the pipeline paused, and whether `user` may roll the component back (by the
 * same rule rollbackComponent applies). Time is passed in: the countdown is judged at `now`.
 */
export async function showDeployments(options: { store: Store; policy: Policy; cwd: string; codeowners: CodeownersSource; release: ReleaseRecord; events: readonly ReleaseEvent[]; user: string; now: Date }): Promise<DeploymentsShown> {
  const { store, policy, release, events, now } = options;
  const deployments = await listDeployments(store, { releaseId: release.id });
  const deployOf = (environment: string) => deployments.find((row) => row.kind === 'deploy' && row.environment === environment);
  const soaks = Object.entries(policy.environments).flatMap(([environment, env]): SoakShown[] => {
    const earlier = env.after == null ? undefined : deployOf(env.after);
    if (env.after == null || deployOf(environment) !== undefined || earlier?.outcome !== 'succeeded' || earlier.rolledOutAt === null) return [];
    const ends = soakEnds(policy, release, environment, earlier.rolledOutAt);
    return ends === null ? [] : [{ environment, after: env.after, endsAt: ends.toISOString(), leftMs: Math.max(0, ends.getTime() - now.getTime()) }];
  });
  return { deployments, soaks, analyses: analysesOf(events), paused: pausedOf(deployments, events), ...(await rollbackOf(options)) };
}

function analysesOf(events: readonly ReleaseEvent[]): AnalysisShown[] {
  const byDeployment = new Map<number, { environment: string; phase: Analysis['phase'] | null; reason: string | null; measurements: (Measurement & { round: number })[] }>();
  for (const event of events) {
    if (event.data.kind !== 'analysis') continue;
    const { deployment, environment, round } = event.data;
    const entry = byDeployment.get(deployment) ?? { environment, phase: null, reason: null, measurements: [] };
    if (round === null) Object.assign(entry, { phase: event.data.phase, reason: event.data.reason });
    else entry.measurements.push(...event.data.measurements.map((measurement) => ({ ...measurement, round })));
    byDeployment.set(deployment, entry);
  }
  return [...byDeployment].map(([deployment, entry]) => ({ deployment, ...entry })).reverse();
}

function pausedOf(deployments: readonly Deployment[], events: readonly ReleaseEvent[]): PausedShown[] {
  return deployments.flatMap((row) => {
    if (row.outcome !== 'paused') return [];
    const paused = events.filter((event) => event.data.kind === 'pipeline' && event.data.step === 'paused' && event.data.environment === row.environment).at(-1);
    const reason = paused?.data.kind === 'pipeline' ? (paused.data.detail ?? 'paused') : 'paused';
    return [{ environment: row.environment, deployment: row.id, reason, at: paused?.at ?? row.finishedAt ?? row.startedAt }];
  });
}

async function rollbackOf(options: Parameters<typeof showDeployments>[0]): Promise<Pick<DeploymentsShown, 'rollback' | 'rollbackRefused'>> {
  const { store, policy, release } = options;
  if (!policy.rollback.manual.allowed) return { rollback: null, rollbackRefused: 'the policy does not allow manual rollbacks' };
  const refusal = await rollbackForbidden({ store, policy, cwd: options.cwd, codeowners: options.codeowners, component: release.component, releaseId: release.id, actor: options.user });
  if (refusal !== null) return { rollback: null, rollbackRefused: refusal.message };
  const environments = [];
  for (const name of Object.keys(policy.environments)) {
    const running = await runningDeployment(store, release.component, name);
    if (running !== undefined) environments.push({ name, running: running.version });
  }
  if (environments.length === 0) return { rollback: null, rollbackRefused: `${release.component} runs nowhere yet: there is nothing to roll back` };
  const ran = await listDeployments(store, { component: release.component });
  const versions = [...new Set(ran.filter((row) => row.rolledOutAt !== null).map((row) => row.version))];
  return { rollback: { environments, versions }, rollbackRefused: null };
}
