import { buildCalendar } from '../calendar/build-calendar.js';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from '../git/run-git.js';
import { ownEntry } from '../gates/own-entry.js';
import type { EventData, ReleaseRecord } from '../gates/types.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { createRelease as insertRelease, getRelease, releaseId, type NewRelease } from '../store/releases.js';
import { planRelease } from './plan-release.js';
import { headCarriesCandidate } from './release-commits.js';
import type { ComponentPlan } from '../versioning/types.js';
import { RELEASE_TYPES } from '../policy/release-kinds.js';

const DAY = 86_400_000;

/** A release type given by a person (a flag, a request field). */
export function parseReleaseType(value: string): ReleaseType {
  if (!(RELEASE_TYPES as readonly string[]).includes(value)) throw new ShipgateError('EUSAGE', `unknown release type "${value}"`, { category: 'usage', hint: `use one of: ${RELEASE_TYPES.join(', ')}` });
  return value as ReleaseType;
}

/**
 * The release record a plan opens, or why it may not be opened. Pure: the plan, the candidate
 * commit, the caller and the clock are given. A scheduled release rides the next date of its
 * component kind's train; hotfixes and emergencies are on demand and carry only the bumps their
 * type allows (a hotfix is PATCH only).
 */
export function releaseFromPlan(options: { policy: Policy; plan: ComponentPlan; type: ReleaseType; commit: string; actor: string; now: Date }): NewRelease {
  const { policy, plan, type, now } = options;
  const name = plan.component.name;
  if (plan.bump === null || plan.nextVersion === null) {
    throw new ShipgateError('ENOTHING', `nothing to release for ${name}: no releasable commits since ${plan.lastTag ?? 'the first commit'}`, { category: 'conflict', hint: 'land a fix or feature (Conventional Commits) first' });
  }
  const releaseType = policy.releaseTypes[type];
  if (!releaseType.allowedBumps.includes(plan.bump)) {
    throw errors.refused('EBUMP', `a ${type} release may not bump ${plan.bump.toUpperCase()} (allowed: ${releaseType.allowedBumps.map((bump) => bump.toUpperCase()).join(', ')}); the plan for ${name} is ${plan.nextVersion}`, {
      hint: type === 'hotfix' ? 'cut the hotfix branch from the production tag with only the fix, or release on the train' : 'choose another release type',
    });
  }
  // The planner's own objections (e.g. a feature inside a hotfix) stop the release as well.
  const [problem, ...more] = plan.problems;
  if (problem !== undefined) {
    throw errors.refused('EPLAN', `${name}: ${problem}${more.length > 0 ? ` (and ${more.length} more)` : ''}`, { hint: `see the whole plan with \`shipgate plan --type ${type}\`` });
  }
  return {
    component: name,
    kind: plan.component.kind,
    path: plan.component.path,
    version: plan.nextVersion,
    tag: plan.nextTag,
    lastTag: plan.lastTag,
    bump: plan.bump,
    type,
    breaking: plan.breaking,
    state: 'candidate',
    trainDate: releaseType.onDemand ? null : trainDate(policy, plan.component.kind, now),
    commit: options.commit,
    createdBy: options.actor,
  };
}

/** The first event of a release: why it was opened and the commits it carries (sha, author time, type), for lead time. Pure. */
export function createdEvent(plan: ComponentPlan, commit: string): EventData & { kind: 'created' } {
  const commits = plan.commits.map((carried) => ({
    sha: carried.sha,
    authoredAt: new Date(carried.date).toISOString(),
    type: carried.conventional ? (carried.changes[0]?.type ?? null) : null,
  }));
  return { kind: 'created', commit, reasons: plan.reasons, commits };
}

function trainDate(policy: Policy, kind: string, now: Date): string | null {
  const train = ownEntry(policy.components, kind)?.train;
  if (train === undefined) return null;
  const next = buildCalendar(policy, { from: now, to: new Date(now.getTime() + 400 * DAY), trains: [train] }).events[0];
  return next?.date ?? null;
}

/**
 * Opens a release from the plan of one component at HEAD. When `shipgate version` has already made and
 * tagged that release (the README's "version first" flow), the record is opened for the tagged version
 * at its tagged commit, from the plan as it was before the tag.
 */
export async function createRelease(options: { store: Store; policy: Policy; cwd: string; component: string; type: ReleaseType; actor: string; tokenId?: string | undefined; now: Date }): Promise<ReleaseRecord> {
  const { store, policy, cwd, type } = options;
  const planned = await planRelease({ cwd, policy, type });
  let plan = planned.components.find((candidate) => candidate.component.name === options.component);
  if (!plan) throw errors.unknownComponent(options.component, planned.components.map((c) => c.component.name));
  let commit = (await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd })).stdout.trim();
  const tagged = plan.nextVersion === null && plan.lastTag !== null && plan.lastVersion !== null ? planned.tags.find((tag) => tag.name === plan!.lastTag) : undefined;
  if (tagged && !(await getRelease(store, releaseId(plan.component.name, plan.lastVersion as string))) && (await headCarriesCandidate(cwd, policy, tagged.commit))) {
    const before = (await planRelease({ cwd, policy, type, ignoreTags: [tagged.name] })).components.find((candidate) => candidate.component.name === options.component);
    if (before?.nextVersion === plan.lastVersion) {
      plan = before;
      commit = tagged.commit;
    }
  }
  const record = releaseFromPlan({ policy, plan, type, commit, actor: options.actor, now: options.now });
  return insertRelease(store, record, createdEvent(plan, record.commit), options.tokenId);
}
