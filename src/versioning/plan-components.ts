import semver from './semver.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import { parseCommitMessage, type ParsedMessage } from './parse-commit.js';
import { bumpBetween, bumpRank, findLastRelease, maxBump, nextVersion, releaseCommitMatcher, renderTag, tagMatcher, type Bump } from './tag-template.js';
import type { CommitInfo, Component, ComponentPlan, PlannedCommit } from './types.js';

export interface ComponentInput {
  readonly component: Component;
  /** Unreleased commits touching the component, newest first. */
  readonly commits: readonly CommitInfo[];
}

export interface PlanOptions {
  readonly type: ReleaseType;
  /** Tags reachable from HEAD (for the last release) and all tags (for pre-release numbering). */
  readonly reachableTags: readonly string[];
  readonly allTags: readonly string[];
  /** Make pre-release candidates (2.1.0-rc.N) instead of final versions. */
  readonly prerelease?: boolean;
}

/** The next version of each component from its unreleased commits. Pure: no git, no files. */
export function planComponent(policy: Policy, input: ComponentInput, options: PlanOptions): ComponentPlan {
  const { component } = input;
  const kind = policy.components[component.kind]!;
  const warnings: string[] = [];
  const problems: string[] = [];
  const match = tagMatcher(kind.tag, component.name);
  const { lastTag, lastVersion, ignored } = findLastRelease(options.reachableTags, match);
  for (const tag of ignored) warnings.push(`tag ${tag} is not a SemVer version: ignored`);
  // A placeholder disagrees with nothing: semantic-release keeps one in the manifest and the versions in tags.
  if (lastVersion !== null && component.version !== null && semver.valid(component.version) && !isPlaceholderVersion(component.version) && component.version !== lastVersion) {
    warnings.push(`${component.manifest} says ${component.version} but the last tag is ${lastTag}`);
  }

  // shipgate's own release commits ("Release billing v2.0.1") carry no change of their own.
  const isRelease = releaseCommitMatcher([kind.commitMessage], [component.name]);
  const changes = input.commits.filter((commit) => !isRelease(commit.subject));
  const commits = cancelReverts(changes.map((commit) => ({ commit, message: parseCommitMessage(commit.body || commit.subject) })));
  const planned: PlannedCommit[] = [];
  const reasons: string[] = [];
  let bump: Bump | null = null;
  let releaseAs: string | null = null;
  let breaking = false;
  for (const { commit, message } of commits) {
    let own: Bump | null = null;
    for (const change of message.changes) {
      // Own keys only: a commit typed "constructor:" or "toString:" is not a policy entry.
      const mapped = Object.hasOwn(policy.versioning.commitTypes, change.type) ? policy.versioning.commitTypes[change.type] : undefined;
      own = maxBump(own, change.breaking ? 'major' : mapped === undefined || mapped === 'none' ? null : mapped);
      breaking ||= change.breaking;
    }
    if (!message.conventional && message.changes.length === 0) {
      if (policy.versioning.nonConventional === 'patch') own = maxBump(own, 'patch');
      else if (policy.versioning.nonConventional === 'error') problems.push(`${short(commit.sha)} "${commit.subject}" is not a Conventional Commit`);
      warnings.push(`${short(commit.sha)} "${commit.subject}" is not a Conventional Commit (${policy.versioning.nonConventional === 'patch' ? 'counted as a patch' : policy.versioning.nonConventional === 'error' ? 'not allowed' : 'ignored'})`);
    }
    if (message.releaseAs !== null) {
      if (!semver.valid(message.releaseAs)) warnings.push(`${short(commit.sha)} has Release-As: ${message.releaseAs}, which is not a SemVer version: ignored`);
      else if (releaseAs === null || semver.gt(message.releaseAs, releaseAs)) releaseAs = message.releaseAs;
    }
    if (own !== null) reasons.push(`${short(commit.sha)} ${commit.subject} -> ${own}`);
    bump = maxBump(bump, own);
    planned.push({ sha: commit.sha, subject: commit.subject, date: commit.date, authorEmail: commit.authorEmail, changes: message.changes, bump: own, conventional: message.conventional, files: commit.files });
  }

  const base = lastVersion ?? null;
  let next: string | null = null;
  if (base === null) {
    const first = firstVersion(component, policy.versioning.initialVersion);
    next = first.version;
    bump = bump ?? 'minor';
    reasons.unshift(first.reason);
  } else if (releaseAs !== null && semver.gt(releaseAs, base)) {
    next = releaseAs;
    bump = bumpBetween(base, releaseAs);
    reasons.unshift(`Release-As: ${releaseAs}`);
  } else if (bump !== null) {
    if (releaseAs !== null) warnings.push(`Release-As: ${releaseAs} is not above ${base}: ignored`);
    next = nextVersion(base, bump, policy.versioning.zeroMajorBreakingBumps);
  } else {
    reasons.push(commits.length === 0 ? 'no commits since the last release' : 'no releasable commits (only types that bump nothing)');
  }

  const allowed = policy.releaseTypes[options.type].allowedBumps;
  if (bump !== null && next !== null && !allowed.includes(bump)) {
    const culprits = planned.filter((c) => c.bump !== null && bumpRank(c.bump) > Math.max(...allowed.map((b) => bumpRank(b))));
    problems.push(`a ${options.type} release may only bump ${allowed.join('/')}, but ${culprits.map((c) => `${short(c.sha)} "${c.subject}" (${c.bump})`).join(', ') || `Release-As asks for ${bump}`} ${culprits.length === 1 ? 'asks' : 'ask'} for more`);
  }
  if (next !== null && options.prerelease) next = nextCandidate(next, policy.versioning.prerelease, options.allTags, match);
  return {
    component,
    lastTag,
    lastVersion,
    commits: planned,
    bump: next === null ? null : bump,
    nextVersion: next,
    nextTag: next === null ? null : renderTag(kind.tag, { name: component.name, version: next }),
    breaking,
    reasons,
    warnings,
    problems,
  };
}

/**
 * A revert cancels the commit it reverts when both are unreleased; the pair then counts for nothing. A
 * revert of a commit an earlier release shipped stays: it is a change of its own (a patch by default, as
 * in semantic-release's release rules).
 */
function cancelReverts(entries: { commit: CommitInfo; message: ParsedMessage }[]): { commit: CommitInfo; message: ParsedMessage }[] {
  const cancelled = new Set<string>();
  for (const entry of entries) {
    const { reverts, revertsHeader } = entry.message;
    if (reverts === null && revertsHeader === null) continue;
    const target = entries.find((other) => other !== entry && !cancelled.has(other.commit.sha) && (reverts !== null ? other.commit.sha.startsWith(reverts) : other.commit.subject === revertsHeader));
    if (target) {
      cancelled.add(target.commit.sha);
      cancelled.add(entry.commit.sha);
    }
  }
  return entries.filter((entry) => !cancelled.has(entry.commit.sha));
}

/**
 * No release tag yet: the first release is the version the manifest carries, unless it carries none
 * or a placeholder that only stands in until a tool sets the real one (`0.0.0`,
 * `0.0.0-semantic-release`, `0.0.0-development`: any 0.0.0): then `versioning.initialVersion`, 1.0.0
 * by default as semantic-release makes it.
 */
function firstVersion(component: Component, initialVersion: string): { version: string; reason: string } {
  const written = component.version;
  const manifest = component.manifest ?? 'no manifest';
  if (written === null) return { version: initialVersion, reason: `first release: ${component.manifest === null ? 'no manifest' : `${manifest} has no version`}: versioning.initialVersion ${initialVersion}` };
  if (isPlaceholderVersion(written)) {
    return { version: initialVersion, reason: `first release: ${manifest} says ${written}, a placeholder: versioning.initialVersion ${initialVersion}` };
  }
  return { version: written, reason: `first release: ${manifest} version ${written}` };
}

/** A version that only stands in for the real one (semantic-release's `0.0.0-development`): any 0.0.0. */
export function isPlaceholderVersion(version: string): boolean {
  const parsed = semver.parse(version);
  return parsed !== null && parsed.major === 0 && parsed.minor === 0 && parsed.patch === 0;
}

/** The next release candidate of a version: rc.N after the highest existing candidate tag of it. */
export function nextCandidate(version: string, identifier: string, tags: readonly string[], match: (tag: string) => string | undefined): string {
  let highest = 0;
  for (const tag of tags) {
    const candidate = semver.parse(match(tag) ?? '');
    if (!candidate || `${candidate.major}.${candidate.minor}.${candidate.patch}` !== version) continue;
    const [id, number] = candidate.prerelease;
    if (id === identifier && typeof number === 'number') highest = Math.max(highest, number);
  }
  return `${version}-${identifier}.${highest + 1}`;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
