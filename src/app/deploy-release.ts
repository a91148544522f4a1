import { judgeEvidence } from '../gates/judge-evidence.js';
import { ownEntry } from '../gates/own-entry.js';
import { smokeTestsJudgement } from '../gates/post-release-gates.js';
import type { EventData, EvidenceSummary, LoggedEvent, ReleaseRecord } from '../gates/types.js';
import { decideDeploy, parseRequirements } from '../pipeline/decide-deploy.js';
import { environmentOf } from '../pipeline/environments.js';
import type { Policy } from '../policy/schema.js';
import { findDeploy, insertDeployment, runningDeployment, type Deployment } from '../store/deployments.js';
import type { Store } from '../store/open-store.js';
import { releaseTransaction } from '../store/releases.js';
import { collectSmokeReports } from './collect-evidence.js';
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
export async function startDeployment(options: { store: Store; policy: Policy; ref: string; environment: string; actor: string; tokenId?: string | undefined; pipeline: boolean; cwd?: string | undefined }): Promise<StartedDeployment> {
  const { store, policy, environment } = options;
  const env = environmentOf(policy, environment);
  const found = await findRelease(store, options.ref);
  // CI's smoke-test reports count for a later environment too (as they do for the gate); read before the lock.
  const reports = env.after != null && options.cwd !== undefined && smokeRule(policy, found) !== undefined ? await collectSmokeReports({ cwd: options.cwd, policy, release: found }) : undefined;
  return releaseTransaction(store, found.id, async ({ tx, release, events: log, now, write }) => {
    const existing = await findDeploy(tx, release.id, environment);
    if (existing !== undefined) return { deployment: existing, created: false };
    const after = env.after == null ? undefined : await findDeploy(tx, release.id, env.after);
    const requirements = parseRequirements(ownEntry(policy.notes.dependencies, release.component) ?? []);
    const running: Record<string, string | null> = {};
    for (const requirement of requirements) running[requirement.component] = (await runningDeployment(tx, requirement.component, environment))?.version ?? null;
    const decision = decideDeploy({ policy, release, environment, now, after, requirements, running, smoke: smokeGate(policy, release, log, reports) });
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

function smokeRule(policy: Policy, release: ReleaseRecord) {
  return policy.approvals[release.bump].find((rule) => rule.kind === 'check' && rule.evidence === 'smoke-tests');
}

/** The release's smoke-tests gate as `shipgate check` judges it: the latest result a deploy recorded, else CI's JUnit. */
function smokeGate(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[], reports: EvidenceSummary | undefined) {
  const rule = smokeRule(policy, release);
  if (rule === undefined) return undefined;
  const hasReports = reports?.kind === 'junit' && reports.reports.length > 0;
  const judged = smokeTestsJudgement(policy, release, events, () => judgeEvidence(reports, `"${rule.title}"`), hasReports);
  return { title: rule.title, pass: judged.pass, evidence: judged.evidence };
}
