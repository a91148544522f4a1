import { isUnderGlob } from '../policy/glob.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import { freezeStatus, type TrainFreeze } from './freeze-status.js';
import { RELEASE_TYPES } from '../policy/release-kinds.js';

export interface ChangeToCheck {
  /** A pull request title or commit message (its first line is read as a Conventional Commit). */
  readonly message?: string;
  /** A Conventional Commit type (feat, fix…) or a release type (scheduled, hotfix, emergency). */
  readonly type?: string;
  /** The source branch: hotfix/… branches follow the hotfix release type. */
  readonly branch?: string;
  /** Files the change touches; they decide which trains' freezes apply. */
  readonly paths?: readonly string[];
  /** The branch the change merges into: a release branch takes only what a freeze allows, at any time. */
  readonly target?: string;
  readonly at: Date;
}

export interface ChangeVerdict {
  readonly allowed: boolean;
  /** One sentence: why it may or may not merge. */
  readonly reason: string;
  /** What to do next when it may not. */
  readonly next: string | null;
  readonly changeType: string | null;
  readonly releaseType: ReleaseType;
  readonly frozen: readonly TrainFreeze[];
  /** The release branch the change targets, locked since its code freeze; null for any other target. */
  readonly lockedBranch: string | null;
}

/** Decides whether a change may merge now under the policy's code freeze. Pure. */
export function checkChange(policy: Policy, change: ChangeToCheck): ChangeVerdict {
  const releaseType = releaseTypeOf(policy, change);
  const header = change.message === undefined ? undefined : parseHeader(change.message);
  const changeType = change.type !== undefined && !RELEASE_TYPES.includes(change.type as ReleaseType) ? change.type.toLowerCase() : (header?.type ?? null);
  const trains = trainsFor(policy, change.paths);
  const frozen = freezeStatus(policy, change.at, trains).filter((train) => train.frozen);
  const lockedBranch = change.target !== undefined && isReleaseBranch(policy, change.target) ? change.target : null;
  const base = { changeType, releaseType, frozen, lockedBranch };
  if (frozen.length === 0 && lockedBranch === null) {
    const scope = trains === undefined ? 'no train' : `none of the affected trains (${trains.join(', ')})`;
    return { ...base, allowed: true, reason: `${scope} is in a code freeze`, next: null };
  }
  const names = [
    ...frozen.map((train) => `${train.title.toLowerCase()} (until ${train.release?.freeze.end})`),
    // A release branch is cut at its freeze and only ever takes fixes after that.
    ...(lockedBranch === null ? [] : [`the release branch ${lockedBranch}`]),
  ].join(', ');
  if (!policy.releaseTypes[releaseType].respectsFreeze) {
    return { ...base, allowed: true, reason: `${releaseType} changes are exempt from the code freeze (frozen: ${names})`, next: null };
  }
  const allowed = policy.freeze.allow;
  const allowedText = allowed.map((type) => `${type}:`).join(', ');
  if (changeType === null) {
    return {
      ...base,
      allowed: false,
      reason: `code freeze on ${names}, and this change does not say what it is${change.message === undefined ? '' : ' (its title is not a Conventional Commit)'}`,
      next: `only ${allowedText} changes may merge during the freeze: if this is a bug fix, title it "fix: …"; otherwise wait until the freeze ends`,
    };
  }
  if (header?.breaking) {
    return {
      ...base,
      allowed: false,
      reason: `code freeze on ${names}, and this change is marked breaking (!)`,
      next: 'breaking changes wait for the next release; if production is down, release it as an emergency from a hotfix/… branch',
    };
  }
  if (allowed.includes(changeType)) {
    return { ...base, allowed: true, reason: `code freeze on ${names}, but ${changeType}: changes are allowed during a freeze`, next: null };
  }
  return {
    ...base,
    allowed: false,
    reason: `code freeze on ${names}: ${changeType}: changes may not merge (${policy.freeze.rules.join('; ')})`,
    next:
      frozen.length === 0
        ? `a release branch takes only ${allowedText} changes: merge this into ${policy.branches.main.name} for a later release`
        : `wait until the freeze ends, or, if this fixes a critical bug, release it as a hotfix from a ${policy.releaseTypes.hotfix.branch ?? 'hotfix'} branch`,
  };
}

/** Whether a branch name is one the policy's release branch template makes ({name}, {version} filled). */
export function isReleaseBranch(policy: Policy, branch: string): boolean {
  const pattern = policy.branches.release
    .split(/(\{name\}|\{version\})/)
    .map((part) => (part === '{name}' ? '[^\\s]+?' : part === '{version}' ? '\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(branch.replace(/^refs\/heads\//, ''));
}

function releaseTypeOf(policy: Policy, change: ChangeToCheck): ReleaseType {
  if (change.type !== undefined && RELEASE_TYPES.includes(change.type as ReleaseType)) return change.type as ReleaseType;
  const branch = change.branch ?? '';
  if (branch.startsWith('emergency/')) return 'emergency';
  const hotfixPrefix = policy.releaseTypes.hotfix.branch?.split('{')[0];
  return hotfixPrefix && branch.startsWith(hotfixPrefix) ? 'hotfix' : 'scheduled';
}

/** The trains whose freezes apply to these paths; undefined (all trains) when the paths are unknown or outside every component. */
export function trainsFor(policy: Policy, paths: readonly string[] | undefined): string[] | undefined {
  if (paths === undefined || paths.length === 0) return undefined;
  const trains = new Set<string>();
  for (const file of paths) {
    const normalized = file.replace(/^\.\//, '');
    const kinds = Object.entries(policy.components).filter(([, kind]) => kind.paths.some((glob) => isUnderGlob(normalized, glob)));
    // A file outside every component (CI config, a root lockfile) can affect any release.
    if (kinds.length === 0) return undefined;
    for (const [name, kind] of kinds) {
      trains.add(kind.train);
      for (const bundle of Object.values(policy.bundles)) if (bundle.members.includes(name)) trains.add(bundle.train);
    }
  }
  return [...trains].sort();
}

export function parseHeader(message: string): { type: string; scope: string | null; breaking: boolean } | undefined {
  const first = message.split(/\r?\n/)[0]?.trim() ?? '';
  const match = /^([a-zA-Z]+)(?:\(([^)]*)\))?(!)?: \S/.exec(first);
  if (!match) return undefined;
  return { type: (match[1] as string).toLowerCase(), scope: match[2] ?? null, breaking: match[3] === '!' || /^BREAKING[ -]CHANGE: /m.test(message) };
}
