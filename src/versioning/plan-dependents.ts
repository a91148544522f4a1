import type { Policy } from '../policy/schema.js';
import { admits, effectiveRange, rangeLocation, rewriteRange } from './dependency-range.js';
import { nextCandidate } from './plan-components.js';
import { nextVersion, renderTag, tagMatcher } from './tag-template.js';
import type { ComponentPlan, DependencyRange, RangeUpdate } from './types.js';

export interface DependentsOptions {
  readonly prerelease?: boolean;
  /** All tags, for numbering a dependent's release candidate. */
  readonly allTags: readonly string[];
}

/** One range a component holds that the version its dependency will have no longer admits. */
interface LeftRange {
  readonly dependency: DependencyRange;
  readonly version: string;
}

/**
 * Dependents as changesets releases them: a component holding a range on another component of the
 * repository that the other's version after this release leaves (`^1.2.0` and 2.0.0) is released as
 * well, with `versioning.dependents` (a PATCH; `none` releases nothing and `planRangeUpdates` warns),
 * and so on through its own dependents. The check is against the version each dependency will have,
 * released now or before, so a range an earlier partial release left behind is caught too.
 * Every kind of dependency counts, devDependencies and Cargo dev-dependencies too: changesets makes
 * those a "none" release that edits the manifest without a version, but shipgate writes a manifest
 * only in its component's own release (a tagged version's files are what was released), and a range
 * the workspace copy leaves breaks `npm install` linking and `cargo` resolution.
 * Pure: the plans in, the plans with dependents raised and their reasons out.
 */
export function planDependents(policy: Policy, plans: readonly ComponentPlan[], options: DependentsOptions): ComponentPlan[] {
  if (policy.versioning.dependents === 'none') return [...plans];
  const state = new Map(plans.map((plan) => [plan.component.name, plan]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const plan of state.values()) {
      if (plan.nextVersion !== null || plan.lastVersion === null) continue;
      if (leftRanges(plan, state).length === 0) continue;
      state.set(plan.component.name, releaseAsDependent(policy, plan, options));
      changed = true;
    }
  }
  return plans.map((original) => {
    const plan = state.get(original.component.name) as ComponentPlan;
    const left = leftRanges(plan, state);
    if (left.length === 0 || plan.nextVersion === null) return plan;
    const reasons = left.map(({ dependency, version }) => `depends on ${dependency.component} ${dependency.range}, which ${version} leaves -> patch`);
    return { ...plan, reasons: [...plan.reasons, ...reasons], leftBy: [...new Set(left.map((l) => l.dependency.component))] };
  });
}

/**
 * The range edits each released component makes in its own manifest, after bundles have raised the
 * products: every range the new version leaves, and (as changesets' default
 * `updateInternalDependencies: patch`) every range on a dependency released now, so the manifest asks
 * for what it was released with. Two exceptions: a peerDependencies range that still admits the new
 * version stays (narrowing it would ask the package's users for a newer peer without cause), and a
 * form `rewriteRange` cannot rewrite stays while it admits, and is a plan problem once it does not.
 * A component that is not released keeps its manifest untouched; a range of its that the new version
 * leaves (only with `dependents: none`) is a warning.
 */
export function planRangeUpdates(policy: Policy, plans: readonly ComponentPlan[]): ComponentPlan[] {
  const state = new Map(plans.map((plan) => [plan.component.name, plan]));
  return plans.map((plan) => {
    const updates: RangeUpdate[] = [];
    const warnings: string[] = [];
    const problems: string[] = [];
    const released = plan.nextVersion !== null;
    const file = plan.component.manifest ?? plan.component.path;
    for (const dependency of plan.component.dependencyRanges ?? []) {
      const other = state.get(dependency.component);
      const version = other && versionOf(other);
      const range = other && effectiveRange(dependency, currentOf(other));
      if (!other || !version || !range) continue;
      const left = !admits(range, version);
      const rewritten = rewriteRange(dependency, version);
      const at = `${file}: ${rangeLocation(dependency)} is "${dependency.range}"`;
      if (left && !released) {
        warnings.push(`${at}, which ${dependency.component} ${version} leaves; versioning.dependents is ${policy.versioning.dependents}, so ${plan.component.name} is not released with it and the range stays: update it by hand`);
      } else if (left && rewritten === null) {
        problems.push(`${at}, which ${dependency.component} ${version} leaves, and shipgate rewrites only ^, ~, >= and exact versions: write it in one of those forms or change it by hand`);
      } else if (released && rewritten !== null && rewritten !== dependency.range && (left || (other.nextVersion !== null && dependency.table[0] !== 'peerDependencies'))) {
        updates.push({ component: dependency.component, table: dependency.table, key: dependency.key, from: dependency.range, to: rewritten, toNewVersion: other.nextVersion !== null });
      }
    }
    if (updates.length === 0 && warnings.length === 0 && problems.length === 0) return plan;
    return { ...plan, warnings: [...plan.warnings, ...warnings], problems: [...plan.problems, ...problems], ...(released ? { rangeUpdates: updates } : {}) };
  });
}

/** The named components and every component released because one of them leaves its ranges, transitively. */
export function withDependents(plans: readonly ComponentPlan[], names: ReadonlySet<string>): Set<string> {
  const selected = new Set(names);
  for (let changed = true; changed; ) {
    changed = false;
    for (const plan of plans) {
      if (selected.has(plan.component.name) || !(plan.leftBy ?? []).some((name) => selected.has(name))) continue;
      selected.add(plan.component.name);
      changed = true;
    }
  }
  return selected;
}

/**
 * A release's range edits when only some of the planned releases are made (`shipgate version billing`):
 * none towards a planned version that is not made now, or the manifest would ask for a version the
 * repository does not have.
 */
export function rangeUpdatesAmong(plan: ComponentPlan, releasing: ReadonlySet<string>): RangeUpdate[] {
  return (plan.rangeUpdates ?? []).filter((update) => !update.toNewVersion || releasing.has(update.component));
}

function leftRanges(plan: ComponentPlan, state: ReadonlyMap<string, ComponentPlan>): LeftRange[] {
  return (plan.component.dependencyRanges ?? []).flatMap((dependency) => {
    const other = state.get(dependency.component);
    const version = other && versionOf(other);
    const range = other && effectiveRange(dependency, currentOf(other));
    return other && version && range && !admits(range, version) ? [{ dependency, version }] : [];
  });
}

/** The version a component has after this release: its next one, or the one it has. */
function versionOf(plan: ComponentPlan): string | null {
  return plan.nextVersion ?? currentOf(plan);
}

function currentOf(plan: ComponentPlan): string | null {
  return plan.lastVersion ?? plan.component.version;
}

function releaseAsDependent(policy: Policy, plan: ComponentPlan, options: DependentsOptions): ComponentPlan {
  const kind = policy.components[plan.component.kind]!;
  let next = nextVersion(plan.lastVersion as string, 'patch', policy.versioning.zeroMajorBreakingBumps);
  if (options.prerelease) next = nextCandidate(next, policy.versioning.prerelease, options.allTags, tagMatcher(kind.tag, plan.component.name));
  // "no releasable commits" no longer says why it is (not) released; its commits' own lines stay.
  const reasons = plan.reasons.filter((reason) => !reason.startsWith('no '));
  return { ...plan, bump: 'patch', nextVersion: next, nextTag: renderTag(kind.tag, { name: plan.component.name, version: next }), reasons };
}
