import { decideAnalysis } from '../analysis/decide-analysis.js';
import type { Measurement } from '../analysis/types.js';
import { makeTarget } from '../deploy-targets/make-target.js';
import { runSmokeTests } from '../deploy-targets/run-smoke-tests.js';
import { DeployEffectError, type DeployTarget } from '../deploy-targets/types.js';
import type { EventData, LoggedEvent } from '../gates/types.js';
import { plantJob } from '../jobs/job-store.js';
import { soakEnds } from '../pipeline/decide-deploy.js';
import { environmentOf, finalEnvironments, nextEnvironments } from '../pipeline/environments.js';
import { durationMs } from '../policy/duration.js';
import { deployPlaceholders } from '../policy/placeholders.js';
import type { Policy } from '../policy/schema.js';
import { getDeployment, insertDeployment, lastPassed, updateDeployment, type Deployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import { listEvents } from '../store/releases.js';
import { databaseNow } from '../store/write-transaction.js';
import { measureRound } from './measure-analysis.js';
import { recordStep, type StepDecision } from './deployment-step.js';
import { SYSTEM_ACTOR, verificationStep } from './settle-approval.js';

/** The job kinds of the pipeline (pipeline-jobs.ts runs them). */
export const DEPLOY_JOB = 'deploy';
export const DEPLOYMENT_STEP_JOB = 'deployment-step';
export const ARTIFACTS_JOB = 'artifacts-promote';

export interface DeployContext {
  readonly store: Store;
  readonly policy: Policy;
  /** Where commands run. */
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * How the next analysis round waits for its time: the CLI sleeps ('slept': go on), a job plants a
   * job for that time and returns ('planted': the deployment is left where it is, durably).
   */
  readonly later: (deployment: Deployment, at: Date, round: number) => Promise<'slept' | 'planted'>;
  /** The target of a component in an environment; the policy's by default. */
  readonly target?: ((component: string, environment: string) => DeployTarget) | undefined;
  /** Progress lines for a person watching. */
  readonly progress?: ((line: string) => void) | undefined;
}

/**
 * Drives a deployment from where its row says it is to its end: the effect (after asking the target
 * what runs, so a repeated step never deploys twice), the smoke tests, the analysis rounds, then
 * success (and the pipeline's next steps), an automatic rollback on failure, or a pause when the
 * analysis is inconclusive. Every step is recorded before the next begins, so a process killed at any
 * point and run again continues from the last recorded step. Returns the row as it ends (or waits).
 */
export async function advanceDeployment(context: DeployContext, id: number): Promise<Deployment> {
  for (;;) {
    const row = await getDeployment(context.store, id);
    if (row === undefined) throw new Error(`deployment #${id} does not exist`);
    if (row.phase === 'done') {
      // A rollback that a crash left half done is finished by whoever looks at what it undid.
      if (row.rolledBackBy !== null) {
        const rollback = await getDeployment(context.store, row.rolledBackBy);
        if (rollback !== undefined && rollback.phase !== 'done') await advanceDeployment(context, rollback.id);
      }
      return row;
    }
    context.signal?.throwIfAborted();
    if (row.phase === 'deploy') await rollOut(context, row);
    else if (row.phase === 'smoke') await smoke(context, row);
    else if ((await analyse(context, row)) === 'waiting') return row;
  }
}

function targetOf(context: DeployContext, row: Deployment): DeployTarget {
  return context.target?.(row.component, row.environment) ?? makeTarget(context.policy, row.component, row.environment, { cwd: context.cwd, ...(context.env ? { env: context.env } : {}) });
}

async function rollOut(context: DeployContext, row: Deployment): Promise<void> {
  const target = targetOf(context, row);
  const verb = row.kind === 'rollback' ? 'rolling back' : 'deploying';
  context.progress?.(`${verb} ${row.component} ${row.version} to ${row.environment} (${target.description})`);
  let current: string | null = null;
  let detail: string;
  let already = false;
  try {
    current = await target.current(context.signal);
    if (current === row.version) {
      already = true;
      detail = `${target.description} already runs ${row.version}: not deployed again`;
    } else {
      // What ran before is kept before the effect: a repeat after a crash finds the new version running.
      if (row.previousVersion === null && current !== null && row.kind === 'deploy') await updateDeployment(context.store, row.id, { previousVersion: current });
      detail = row.kind === 'rollback' ? await target.rollback(row.version, context.signal) : await target.deploy(row.version, context.signal);
    }
  } catch (error) {
    if (!(error instanceof DeployEffectError)) throw error;
    return failDeployment(context, row, error.message, []);
  }
  const next = row.kind === 'rollback' ? 'done' : 'smoke';
  await recordStep(context.store, row.id, 'deploy', (_current, now) => ({
    changes: { phase: next, rolledOutAt: now.toISOString(), ...(next === 'done' ? { finishedAt: now.toISOString(), outcome: 'succeeded' as const } : {}) },
    events: [{ kind: 'deploy', environment: row.environment, deployment: row.id, version: row.version, step: already ? 'already-running' : 'rolled-out', detail }],
  }));
}

async function smoke(context: DeployContext, row: Deployment): Promise<void> {
  const env = environmentOf(context.policy, row.environment);
  const values = deployPlaceholders(context.policy, row.component, row.version, row.environment);
  context.progress?.(`smoke tests in ${row.environment}`);
  const result = await runSmokeTests(env, values, { cwd: context.cwd, timeoutMs: 10 * 60_000, ...(context.env ? { env: context.env } : {}), ...(context.signal ? { signal: context.signal } : {}) });
  if (result !== null && !result.passed) {
    const failed: EventData = { kind: 'deploy', environment: row.environment, deployment: row.id, version: row.version, step: 'smoke-failed', detail: result.detail };
    return failDeployment(context, row, `smoke tests failed: ${result.detail}`, [result.detail], [failed]);
  }
  await recordStep(context.store, row.id, 'smoke', () => ({
    changes: { phase: 'analysis' },
    events: [{ kind: 'deploy', environment: row.environment, deployment: row.id, version: row.version, step: 'smoke-passed', detail: result === null ? 'no smoke tests configured' : result.detail }],
  }));
}

type Analysis = Extract<EventData, { kind: 'analysis' }>;
type Deploy = Extract<EventData, { kind: 'deploy' }>;

async function analyse(context: DeployContext, row: Deployment): Promise<'waiting' | 'went-on'> {
  const { policy, store } = context;
  const spec = environmentOf(policy, row.environment).analysis;
  if (spec === null || row.releaseId === null) {
    await succeed(context, row, 'no analysis configured');
    return 'went-on';
  }
  const events = await listEvents(store, row.releaseId);
  const rounds = analysisRounds(events, row.id);
  const began = events.filter((event): event is (typeof events)[number] & { data: Deploy } => event.data.kind === 'deploy' && event.data.deployment === row.id && (event.data.step === 'smoke-passed' || event.data.step === 'smoke-failed')).at(-1)?.at ?? row.rolledOutAt ?? row.startedAt;
  const round = rounds.length + 1;
  const due = new Date(Date.parse(began) + round * durationMs(spec.interval));
  const now = new Date(await databaseNow(store.db, store.dialect));
  if (now < due) return (await context.later(row, due, round)) === 'planted' ? 'waiting' : 'went-on';
  const values = deployPlaceholders(policy, row.component, row.version, row.environment);
  const { measurements, notes } = await measureRound({ policy, spec, values, previousVersion: row.previousVersion, startedAt: new Date(row.startedAt), now, signal: context.signal });
  const limits = { count: spec.count, failureLimit: spec.failureLimit, inconclusiveLimit: spec.inconclusiveLimit, consecutiveErrorLimit: spec.consecutiveErrorLimit, healthFailures: policy.rollback.automatic.healthChecks.failures };
  const verdict = decideAnalysis(limits, [...rounds.map((event) => event.data.measurements), measurements]);
  context.progress?.(`analysis round ${round} of ${spec.count} in ${row.environment}: ${verdict.phase}: ${verdict.reason}`);
  const roundReason = [measurements.map((m) => `${m.metric} ${m.phase}: ${m.message}`).join('; '), ...notes].filter((line) => line !== '').join('; ') || null;
  const recorded = await recordStep(store, row.id, 'analysis', async (_current, _now, tx): Promise<StepDecision | null> => {
    // Another worker may have recorded this round meanwhile: then this one is dropped.
    const seen = analysisRounds(row.releaseId === null ? [] : await listEvents(tx, row.releaseId), row.id);
    if (seen.length !== rounds.length) return null;
    const base = { kind: 'analysis' as const, environment: row.environment, deployment: row.id };
    const out: EventData[] = [{ ...base, round, phase: verdict.phase === 'running' ? 'running' : verdict.phase, measurements, reason: roundReason }];
    if (verdict.phase !== 'running') out.push({ ...base, round: null, phase: verdict.phase, measurements: [...verdict.evidence], reason: verdict.reason });
    if (verdict.phase === 'inconclusive') {
      out.push({ kind: 'deploy', environment: row.environment, deployment: row.id, version: row.version, step: 'paused', detail: `analysis inconclusive: ${verdict.reason}` });
      out.push({ kind: 'pipeline', step: 'paused', environment: row.environment, detail: `the analysis of deployment #${row.id} was inconclusive (${verdict.reason}): resume it (shipgate pipeline resume) or roll it back` });
      return { changes: { phase: 'done', outcome: 'paused', finishedAt: _now.toISOString() }, events: out };
    }
    return { changes: {}, events: out };
  });
  if (recorded === null || verdict.phase === 'running' || verdict.phase === 'inconclusive') return 'went-on';
  if (verdict.phase === 'failed') {
    await failDeployment(context, row, `analysis failed: ${verdict.reason}`, verdict.evidence.map(evidenceLine));
    return 'went-on';
  }
  await succeed(context, row, `analysis successful: ${verdict.reason}`);
  return 'went-on';
}

function analysisRounds(events: readonly LoggedEvent[], deployment: number): (LoggedEvent & { data: Analysis })[] {
  return events.filter((event): event is LoggedEvent & { data: Analysis } => event.data.kind === 'analysis' && event.data.deployment === deployment && event.data.round !== null);
}

/** The evidence of a failed measurement as one line: what was asked, what came back, the limit, when. */
export function evidenceLine(m: Measurement): string {
  const limit = m.threshold === null ? '' : `, threshold ${m.threshold}`;
  const baseline = m.baseline === null ? '' : `, baseline ${m.baseline}`;
  return `${m.metric} ${m.phase} at ${m.at}: ${m.query} = ${m.value === null ? 'none' : m.value}${baseline}${limit}: ${m.message}`;
}

/** The deployment succeeded: the release moves on (soaking, production, verified) and a pipeline plants its next steps in the same transaction. */
async function succeed(context: DeployContext, row: Deployment, detail: string): Promise<void> {
  const { policy } = context;
  const final = finalEnvironments(policy).includes(row.environment);
  await recordStep(context.store, row.id, row.phase, async (_current, now, tx): Promise<StepDecision> => {
    const release = row.releaseId === null ? undefined : await (await import('../store/releases.js')).getRelease(tx, row.releaseId);
    const events: EventData[] = [{ kind: 'deploy', environment: row.environment, deployment: row.id, version: row.version, step: 'succeeded', detail }];
    const planted: { kind: string; key: string; runAt: Date; payload: unknown }[] = [];
    if (row.pipeline && release !== undefined) {
      for (const next of nextEnvironments(policy, row.environment)) {
        const ends = soakEnds(policy, release, next, row.rolledOutAt ?? now.toISOString());
        const runAt = ends !== null && ends > now ? ends : now;
        planted.push({ kind: DEPLOY_JOB, key: `deploy:${release.id}:${next}`, runAt, payload: { release: release.id, environment: next } });
        events.push({ kind: 'pipeline', step: 'planted', environment: next, detail: `deploy to ${next} at ${runAt.toISOString()}${ends !== null ? ` (the ${environmentOf(policy, next).soak ?? ''} soak in ${row.environment} ends then)` : ''}` });
      }
      if (final && policy.artifacts.promote === 'after-production') {
        planted.push({ kind: ARTIFACTS_JOB, key: `artifacts:${release.id}`, runAt: now, payload: { release: release.id } });
        events.push({ kind: 'pipeline', step: 'planted', environment: null, detail: `promote the tags of ${release.version} (${policy.artifacts.tags.join(', ')})` });
      }
    }
    const soak = release !== undefined && policy.releaseTypes[release.type].requiresSoak && nextEnvironments(policy, row.environment).length > 0;
    return {
      changes: { phase: 'done', outcome: 'succeeded', finishedAt: now.toISOString() },
      events,
      ...(final ? { state: 'production' as const } : soak ? { state: 'soaking' as const } : {}),
      settle: (after, log, at) => {
        const verified = final ? verificationStep(policy, after, log, at) : null;
        return verified === null ? [] : [verified];
      },
      also: async (db) => {
        for (const job of planted) await plantJob(db, job);
      },
    };
  });
  context.progress?.(`${row.component} ${row.version} succeeded in ${row.environment}`);
}

/**
 * The deployment failed (its effect, its smoke tests or its analysis): recorded with the evidence,
 * and rolled back to the last version that passed in the environment (else to what ran before), in
 * the same transaction as the rollback's own row; then the rollback's effect runs.
 */
async function failDeployment(context: DeployContext, row: Deployment, reason: string, evidence: readonly string[], before: readonly EventData[] = []): Promise<void> {
  const { store } = context;
  const passed = await lastPassed(store, row.component, row.environment, row.id, row.version);
  const to = passed?.version ?? (row.previousVersion !== row.version ? row.previousVersion : null);
  let rollbackId: number | null = null;
  await recordStep(store, row.id, row.phase, async (_current, now, tx): Promise<StepDecision> => {
    const events: EventData[] = [...before, { kind: 'deploy', environment: row.environment, deployment: row.id, version: row.version, step: 'failed', detail: reason }];
    if (to === null || row.kind === 'rollback') {
      if (row.kind === 'deploy') events.push({ kind: 'pipeline', step: 'paused', environment: row.environment, detail: `no earlier version in ${row.environment} to roll back to: ${reason}` });
      return { changes: { phase: 'done', outcome: 'failed', finishedAt: now.toISOString() }, events };
    }
    const rollback = await insertDeployment(tx, {
      releaseId: row.releaseId,
      component: row.component,
      environment: row.environment,
      version: to,
      releaseType: row.releaseType,
      kind: 'rollback',
      previousVersion: row.version,
      phase: 'deploy',
      pipeline: false,
      actor: SYSTEM_ACTOR,
      reason,
      startedAt: now.toISOString(),
    });
    rollbackId = rollback.id;
    events.push({ kind: 'rollback', environment: row.environment, deployment: rollback.id, rolledBack: row.id, from: row.version, to, reason, automatic: true, forced: false, evidence: [...evidence] });
    return { changes: { phase: 'done', outcome: 'rolled-back', finishedAt: now.toISOString(), rolledBackBy: rollback.id }, events, state: 'rolled-back' };
  });
  context.progress?.(`${row.component} ${row.version} failed in ${row.environment}: ${reason}${to === null ? '' : `; rolling back to ${to}`}`);
  if (rollbackId !== null) await advanceDeployment(context, rollbackId);
}
