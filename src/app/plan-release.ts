import { readHistory } from '../git/read-history.js';
import { readRepoState, assertFullHistory, type RepoState } from '../git/repo-state.js';
import { readCommitDates, readTags, type TagRef } from '../git/read-tags.js';
import { ownEntry } from '../gates/own-entry.js';
import { discoverComponents } from '../manifests/discover-components.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import { planBundles } from '../versioning/plan-bundles.js';
import { planComponent } from '../versioning/plan-components.js';
import { planDependents, planRangeUpdates } from '../versioning/plan-dependents.js';
import { findLastRelease, tagMatcher } from '../versioning/tag-template.js';
import type { CommitInfo, Component, ReleasePlan } from '../versioning/types.js';

export interface PlanReleaseOptions {
  readonly cwd: string;
  readonly policy: Policy;
  readonly type: ReleaseType;
  /** Only the components and bundles of this train. */
  readonly train?: string;
  readonly prerelease?: boolean;
  /** Also read uncommitted changes into state.dirty (for commands that write). */
  readonly withStatus?: boolean;
  /** Plan as if these tags were not there: the plan that made a release `version` has already tagged. */
  readonly ignoreTags?: readonly string[];
}

export interface PlannedRelease extends ReleasePlan {
  readonly state: RepoState;
  readonly walked: number;
  /** Every tag of the repository, as read for the plan. */
  readonly tags: readonly TagRef[];
  /** Each component's unreleased commits as git gave them (reverts and release commits included), by unreleasedKey. */
  readonly unreleased: ReadonlyMap<string, readonly CommitInfo[]>;
}

export function unreleasedKey(component: Component): string {
  return `${component.kind}\u0000${component.name}`;
}

/** Reads the repository (manifests, tags, one pass of history) and plans every component's release. */
export async function planRelease(options: PlanReleaseOptions): Promise<PlannedRelease> {
  // The tags do not depend on what rev-parse answers, so both gits run at once. Outside a repository
  // both fail, and readRepoState's error is the one to show.
  const tagsRead = readTags(options.cwd);
  tagsRead.catch(() => undefined);
  const state = await readRepoState(options.cwd, { withStatus: options.withStatus ?? false });
  assertFullHistory(state);
  const { policy } = options;
  const [discovery, tags] = await Promise.all([discoverComponents(state.root, policy), tagsRead]);
  const all = options.ignoreTags === undefined ? tags : tags.filter((tag) => !options.ignoreTags!.includes(tag.name));
  const components = discovery.components;
  const lastTagOf = (names: readonly string[]) =>
    components.map((component) => findLastRelease(names, tagMatcher(ownEntry(policy.components, component.kind)!.tag, component.name)).lastTag);
  const byName = new Map(all.map((tag) => [tag.name, tag]));
  const commitOf = (name: string | null) => (name === null ? null : (byName.get(name)?.commit ?? null));
  const bundleTags = (names: readonly string[]) => Object.entries(policy.bundles).map(([name, bundle]) => findLastRelease(names, tagMatcher(bundle.tag, name)).lastTag);
  const walk = async (lastTags: readonly (string | null)[], watch: readonly (string | null)[]) => {
    if (state.head === null) return { commits: components.map(() => []), walked: 0, reachable: new Set<string>() };
    const releasedAt = lastTags.map(commitOf);
    // The dates only pick the oldest of several last releases (the walk's lower bound).
    const distinct = new Set(releasedAt);
    const dates = distinct.size > 1 && !distinct.has(null) ? await readCommitDates(state.root, releasedAt as string[]) : undefined;
    return readHistory({
      cwd: state.root,
      paths: components.map((c) => c.path),
      releasedAt,
      ...(dates === undefined ? {} : { releasedDates: releasedAt.map((sha) => (sha === null ? null : (dates.get(sha) ?? null))) }),
      watch: watch.map(commitOf).filter((sha): sha is string => sha !== null),
    });
  };
  // The last release is the highest tag reachable from HEAD. Asking git which tags are reachable costs a
  // walk of its own, so walk the history for the highest tags overall and let the walk prove them
  // reachable; only when one is not (a release made on a branch not merged here) ask git.
  const allNames = all.map((tag) => tag.name);
  const guess = lastTagOf(allNames);
  const guessedBundles = bundleTags(allNames);
  const guessed = await walk(guess, [...guess, ...guessedBundles]);
  const proven = (name: string | null) => name === null || commitOf(name) === state.head || guessed.reachable.has(commitOf(name) as string);
  let reachableNames = allNames;
  let history = guessed;
  if (![...guess, ...guessedBundles].every(proven)) {
    reachableNames = (await readTags(state.root, { mergedInto: 'HEAD' })).map((tag) => tag.name).filter((name) => !options.ignoreTags?.includes(name));
    const actual = lastTagOf(reachableNames);
    if (!actual.every((tag, index) => tag === guess[index])) history = await walk(actual, []);
  }
  const planned = components.map((component, index) =>
    planComponent(policy, { component, commits: history.commits[index] ?? [] }, { type: options.type, reachableTags: reachableNames, allTags: allNames, ...(options.prerelease ? { prerelease: true } : {}) }),
  );
  // Dependents first (a crate released for its dependency is a platform member too), then the bundles
  // (a product carries its modules' bumps), then the range edits of whatever is released in the end.
  const withDependents = planDependents(policy, planned, { allTags: allNames, ...(options.prerelease ? { prerelease: true } : {}) });
  const bundled = planBundles(policy, withDependents, reachableNames);
  const { bundles } = bundled;
  const plans = planRangeUpdates(policy, bundled.plans);
  const inTrain = (kind: string) => options.train === undefined || ownEntry(policy.components, kind)?.train === options.train;
  return {
    type: options.type,
    head: state.head ?? '',
    components: plans.filter((plan) => inTrain(plan.component.kind)),
    bundles: bundles.filter((bundle) => options.train === undefined || bundle.train === options.train),
    warnings: [...discovery.warnings, ...unmatchedTagWarnings(policy, reachableNames, components.map((c) => c.name))],
    state,
    walked: history.walked,
    tags: all,
    unreleased: new Map(components.map((component, index) => [unreleasedKey(component), history.commits[index] ?? []])),
  };
}

/** Tags that look like releases of a known kind but match no component: typos and renamed components. */
function unmatchedTagWarnings(policy: Policy, tags: readonly string[], names: readonly string[]): string[] {
  const matchers = [
    ...Object.values(policy.components).flatMap((kind) => names.map((name) => tagMatcher(kind.tag, name))),
    ...Object.entries(policy.bundles).map(([name, bundle]) => tagMatcher(bundle.tag, name)),
  ];
  return tags.filter((tag) => /v\d/.test(tag) && !matchers.some((match) => match(tag) !== undefined)).slice(0, 5).map((tag) => `tag ${tag} matches no component`);
}
