import semver from 'semver';
import { ShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord, ReleaseState } from '../gates/types.js';
import { durationMs } from '../policy/duration.js';
import type { Policy } from '../policy/schema.js';
import { environmentOf } from './environments.js';

/** A dependency a release declares: "Requires platform v3.1.0+". */
export interface Requirement {
  readonly component: string;
  readonly version: string;
}

/** The deployment of this release to the environment it must reach first, as far as the pipeline needs it. */
export interface EarlierDeploy {
  readonly id: number;
  readonly outcome: string | null;
  readonly rolledOutAt: string | null;
}

export interface DeployInput {
  readonly policy: Policy;
  readonly release: ReleaseRecord;
  readonly environment: string;
  readonly now: Date;
  /** This release's deploy to the environment's `after` environment, if there is one. */
  readonly after: EarlierDeploy | undefined;
  readonly requirements: readonly Requirement[];
  /** The version of each required component running in the environment (null: none). */
  readonly running: Readonly<Record<string, string | null>>;
  /** The smoke-tests gate of the release's approval matrix as judged now (a deploy's recorded result, or CI's JUnit); undefined when it has none. */
  readonly smoke?: { readonly title: string; readonly pass: boolean; readonly evidence: readonly string[] } | undefined;
}

export interface DeployDecision {
  /** Lines for the record: why it may go (bypasses included). */
  readonly notes: readonly string[];
  /** The state the release moves to as the deploy starts, or null when it stays. */
  readonly startState: ReleaseState | null;
}

const GATES_PASSED: readonly ReleaseState[] = ['approved', 'staging', 'soaking', 'production', 'verified'];

/**
 * Whether a release may be deployed to an environment now: it passed its gates (an emergency may
 * go without), the environment before it ran this version for its soak (unless the release type
 * needs none), and the environment runs what the release requires. Throws the refusal, saying what
 * is missing and when a soak ends. Pure: decided again under the lock when the deploy runs.
 */
export function decideDeploy(input: DeployInput): DeployDecision {
  const { policy, release, environment, now } = input;
  const env = environmentOf(policy, environment);
  const type = policy.releaseTypes[release.type];
  const notes: string[] = [];
  if (env.target === null) {
    throw new ShipgateError('EDEPLOY', `environment ${environment} has no deploy target`, { category: 'input', hint: `add environments.${environment}.target (type command or kubernetes) to the policy` });
  }
  if (release.state === 'rolled-back' || release.state === 'abandoned') {
    throw new ShipgateError('EDEPLOY', `${release.id} is ${release.state}: it is not deployed again`, { category: 'conflict', hint: 'a fix needs a new release: shipgate release create <component> --type hotfix', next: { action: 'create-release', args: { component: release.component, type: 'hotfix' } } });
  }
  if (!GATES_PASSED.includes(release.state)) {
    if (type.requiresApprovals) {
      throw new ShipgateError('EDEPLOY', `${release.id} has not passed its gates (it is ${release.state})`, { category: 'rule', hint: `see what is missing: shipgate check ${release.id}`, next: { action: 'check', args: { release: release.id } } });
    }
    notes.push(`${release.type} release: deployed without passing its gates (recorded; it owes a post-mortem)`);
  }
  if (env.after != null) {
    if (!type.requiresSoak) notes.push(`${release.type} release: no ${env.after} run or soak required`);
    else refuseUntilSoaked(input, env.after, env.soak);
    // Gates only a deploy can prove (the smoke tests) are required before production, not before
    // staging: a release type that skips the soak still owes them, unless it bypasses approvals.
    const smoke = input.smoke;
    if (type.requiresApprovals && smoke !== undefined && !smoke.pass) {
      throw new ShipgateError('EDEPLOY', `${release.id} has no passing smoke tests: "${smoke.title}" is required before ${environment} (${smoke.evidence[0] ?? 'no result'})`, {
        category: 'rule',
        hint: `deploy it to ${env.after} first, where its smoke tests run${type.requiresSoak ? '' : ` (a ${release.type} release waits for no soak)`}, or have CI report them as JUnit`,
        next: { action: 'deploy', args: { release: release.id, environment: env.after } },
      });
    }
  }
  const missing = input.requirements.flatMap((requirement) => {
    const running = Object.hasOwn(input.running, requirement.component) ? input.running[requirement.component] : null;
    if (running == null) return [`${requirement.component} is not running in ${environment}`];
    const have = semver.valid(semver.coerce(running, { includePrerelease: true }));
    if (have === null || semver.lt(have, requirement.version)) return [`${environment} runs ${requirement.component} ${running}`];
    return [];
  });
  if (missing.length > 0) {
    const needs = input.requirements.map((r) => `${r.component} v${r.version}+`).join(', ');
    throw new ShipgateError('EDEPLOY', `${release.id} requires ${needs} in ${environment}: ${missing.join('; ')}`, { category: 'rule', hint: `deploy the required versions to ${environment} first` });
  }
  const startState = release.state === 'candidate' || release.state === 'approved' ? 'staging' : null;
  return { notes, startState };
}

function refuseUntilSoaked(input: DeployInput, after: string, soak: string | null): void {
  const { release, environment, now } = input;
  const earlier = input.after;
  if (earlier === undefined || earlier.rolledOutAt === null) {
    throw new ShipgateError('EDEPLOY', `${release.id} must run in ${after} before ${environment}`, { category: 'rule', hint: `deploy it there first: shipgate deploy ${release.id} --to ${after}`, next: { action: 'deploy', args: { release: release.id, environment: after } } });
  }
  if (earlier.outcome !== 'succeeded') {
    const state = earlier.outcome === null ? 'is still being deployed and analysed' : earlier.outcome === 'paused' ? 'is paused: its analysis was inconclusive' : `ended ${earlier.outcome}`;
    throw new ShipgateError('EDEPLOY', `${release.id} in ${after} (deployment #${earlier.id}) ${state}`, { category: 'rule', hint: `see its history: shipgate release show ${release.id}`, next: { action: 'show-release', args: { release: release.id } } });
  }
  if (soak === null) return;
  const ends = new Date(Date.parse(earlier.rolledOutAt) + durationMs(soak));
  if (now.getTime() < ends.getTime()) {
    const days = Math.ceil((ends.getTime() - now.getTime()) / 86_400_000);
    throw new ShipgateError('EDEPLOY', `${release.id} has run in ${after} since ${earlier.rolledOutAt}: its ${soak} soak ends at ${ends.toISOString()}`, {
      category: 'rule',
      hint: `deploy to ${environment} from ${ends.toISOString()}, or let the pipeline do it (shipgate pipeline start ${release.id})`,
      next: { action: 'wait', args: { until: ends.toISOString(), days } },
    });
  }
}

/** When the soak before `environment` ends for a deploy that rolled out at `rolledOutAt`; null when it needs none. */
export function soakEnds(policy: Policy, release: ReleaseRecord, environment: string, rolledOutAt: string): Date | null {
  const env = environmentOf(policy, environment);
  if (!policy.releaseTypes[release.type].requiresSoak || env.soak === null) return null;
  return new Date(Date.parse(rolledOutAt) + durationMs(env.soak));
}

/** "Requires platform v3.1.0+" lines (the notes' dependencies) as requirements; other lines are not checked here. */
export function parseRequirements(lines: readonly string[]): Requirement[] {
  return lines.flatMap((line) => {
    const match = /requires\s+(\S+)\s+v?(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)\+?/i.exec(line);
    const version = match ? semver.valid(semver.coerce(match[2], { includePrerelease: true })) : null;
    return match && version ? [{ component: match[1] as string, version }] : [];
  });
}
