import { finalEnvironments } from '../pipeline/environments.js';
import { postReleaseItems } from '../policy/post-release-items.js';
import type { Policy } from '../policy/schema.js';
import type { Judgement } from './judge-evidence.js';
import type { EventData, LoggedEvent, ReleaseRecord, ReleaseState } from './types.js';

export interface StagedJudgement extends Judgement {
  /** Its evidence comes from a later step that has not happened yet. */
  readonly pending?: boolean;
}

export interface PostReleaseDraft extends StagedJudgement {
  readonly id: string;
  readonly title: string;
}

const SHIPPED: readonly ReleaseState[] = ['production', 'verified', 'rolled-back'];
type Deploy = Extract<EventData, { kind: 'deploy' }>;
type Analysis = Extract<EventData, { kind: 'analysis' }>;

/**
 * The post-release checklist as the release's last gates: pending until the release runs in its last
 * environment, then proven by what shipgate measured there (the deployment's health, its analysis)
 * or signed off by a person. Pure: everything is in the release's log.
 */
export function postReleaseDrafts(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[]): PostReleaseDraft[] {
  const finals = new Set(finalEnvironments(policy));
  const deploys = events.filter((event): event is LoggedEvent & { data: Deploy } => event.data.kind === 'deploy' && finals.has(event.data.environment));
  const succeeded = deploys.filter((event) => event.data.step === 'succeeded').at(-1);
  const verdict = succeeded === undefined ? undefined : events.filter((event): event is LoggedEvent & { data: Analysis } => event.data.kind === 'analysis' && event.data.deployment === succeeded.data.deployment);
  return postReleaseItems(policy).map((item) => {
    const gate = `postRelease.${item.id}`;
    const base = { id: gate, title: item.title };
    const signoff = events.filter((event) => event.data.kind === 'signoff' && event.data.gate === gate).at(-1);
    if (signoff?.data.kind === 'signoff') return { ...base, pass: true, evidence: [`signed off by ${signoff.actor} at ${signoff.at}${signoff.data.comment ? `: ${signoff.data.comment}` : ''}`], next: null };
    if (!SHIPPED.includes(release.state)) {
      return { ...base, pass: false, pending: true, evidence: [`required before the release is verified: checked once it runs in ${[...finals].join(' or ')}`], next: null };
    }
    const signNext = { action: 'signoff' as const, args: { release: release.id, gate, role: item.role } };
    if (item.evidence === null) return { ...base, pass: false, evidence: ['not signed off yet'], next: signNext };
    if (succeeded === undefined) return { ...base, pass: false, evidence: [`no successful deployment to ${[...finals].join(' or ')} is recorded`], next: signNext };
    const where = `${succeeded.data.environment} deployment #${succeeded.data.deployment}`;
    const rounds = (verdict ?? []).filter((event) => event.data.round !== null);
    const final = (verdict ?? []).filter((event) => event.data.round === null).at(-1);
    if (item.evidence === 'deployment-health') {
      const health = rounds.flatMap((event) => event.data.measurements.filter((m) => m.metric === 'health'));
      const bad = health.filter((m) => m.phase !== 'successful');
      if (bad.length > 0) return { ...base, pass: false, evidence: bad.map((m) => m.message), next: signNext };
      const checks = health.length === 0 ? 'no health checks configured' : `${health.length} health check${health.length === 1 ? '' : 's'} successful`;
      return { ...base, pass: true, evidence: [`${where} rolled out and passed its smoke tests at ${succeeded.at}; ${checks}`], next: null };
    }
    if (final === undefined) return { ...base, pass: false, evidence: [`${where} had no analysis (no environments.<name>.analysis in the policy)`], next: signNext };
    if (final.data.phase === 'successful') return { ...base, pass: true, evidence: [`${where}: analysis successful: ${final.data.reason ?? ''}`], next: null };
    return { ...base, pass: false, evidence: [`${where}: analysis ${final.data.phase}: ${final.data.reason ?? ''}`], next: signNext };
  });
}

/**
 * The smoke tests as a gate: the result a deploy recorded (the latest), else the JUnit reports CI
 * wrote, else pending: required before production, not before staging, since only a deploy runs them.
 */
export function smokeTestsJudgement(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[], fromReports: () => Judgement, hasReports: boolean): StagedJudgement {
  const recorded = events.filter((event): event is LoggedEvent & { data: Deploy } => event.data.kind === 'deploy' && (event.data.step === 'smoke-passed' || event.data.step === 'smoke-failed')).at(-1);
  if (recorded !== undefined) {
    const line = `smoke tests in ${recorded.data.environment} (deployment #${recorded.data.deployment}) ${recorded.data.step === 'smoke-passed' ? 'passed' : 'failed'} at ${recorded.at}${recorded.data.detail ? `: ${recorded.data.detail}` : ''}`;
    return recorded.data.step === 'smoke-passed' ? { pass: true, evidence: [line], next: null } : { pass: false, evidence: [line], next: { action: 'candidate', args: { release: release.id } } };
  }
  if (hasReports || SHIPPED.includes(release.state)) return fromReports();
  const first = Object.entries(policy.environments).find(([, environment]) => environment.after == null)?.[0] ?? 'staging';
  return { pass: false, pending: true, evidence: [`required before production: run by the deploy to ${first}, or reported by CI as JUnit`], next: { action: 'deploy', args: { release: release.id, environment: first } } };
}
