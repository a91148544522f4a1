import type { Bump, ReleaseType } from '../policy/schema.js';

/** A commit as the planner reads it: one pass of `git log`, attributed to components by path. */
export interface CommitInfo {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly authorName: string;
  readonly authorEmail: string;
  /** Author date, ISO 8601. */
  readonly date: string;
  readonly subject: string;
  readonly body: string;
  /** The component's files it changed; empty where no path told components apart (every component at the root). */
  readonly files: readonly string[];
}

/** One Conventional Commit change (a squash commit may carry several). */
export interface ParsedChange {
  readonly type: string;
  readonly scope: string | null;
  readonly breaking: boolean;
  readonly description: string;
  readonly body: string;
  readonly footers: readonly { readonly key: string; readonly value: string }[];
  /** "BREAKING CHANGE:" texts, for notes and migration guides. */
  readonly breakingNotes: readonly string[];
  /** The PR number from "(#123)" in the subject. */
  readonly pr: number | null;
}

/** What a manifest declares for the release notes: `shipgate` in package.json, `package.metadata.shipgate` in Cargo.toml. */
export interface DeclaredDependencies {
  readonly requires?: Readonly<Record<string, string>>;
  readonly compatible?: Readonly<Record<string, string>>;
}

/** One version range a manifest holds on another component of the repository. */
export interface DependencyRange {
  /** The component depended on. */
  readonly component: string;
  /** How the range reads: npm's node-semver, or Cargo's requirement syntax ("1.2" means ^1.2). */
  readonly ecosystem: 'npm' | 'cargo';
  /** The table it is written in: ['dependencies'], ['peerDependencies'], ['target', 'cfg(unix)', 'dev-dependencies']. */
  readonly table: readonly string[];
  /** Its key in that table: the npm package name, or the crate's key (a renamed crate's own key). */
  readonly key: string;
  readonly range: string;
}

/** A range that a release rewrites to its dependency's new version, as the package manager would. */
export interface RangeUpdate {
  readonly component: string;
  readonly table: readonly string[];
  readonly key: string;
  readonly from: string;
  readonly to: string;
  /** `to` asks for the version the dependency is released at in this plan (not one it already has). */
  readonly toNewVersion: boolean;
}

export interface Component {
  readonly name: string;
  readonly kind: string;
  /** Directory relative to the repository root ('' for a single-package repository). */
  readonly path: string;
  readonly manifest: string | null;
  /** The name in the manifest (an npm package or a crate name), when it has one. */
  readonly packageName: string | null;
  readonly version: string | null;
  /** Names of the components this one depends on inside the repository (path dependencies). */
  readonly localDependencies: readonly string[];
  /** The version ranges its manifest holds on those components, where each is written. */
  readonly dependencyRanges?: readonly DependencyRange[];
  /** What its manifest declares for the release notes' dependency lines. */
  readonly declared?: DeclaredDependencies;
}

export interface PlannedCommit {
  readonly sha: string;
  readonly subject: string;
  readonly date: string;
  readonly authorEmail: string;
  readonly changes: readonly ParsedChange[];
  /** What this commit asks for on its own. */
  readonly bump: Bump | null;
  readonly conventional: boolean;
  readonly files: readonly string[];
}

export interface ComponentPlan {
  readonly component: Component;
  readonly lastTag: string | null;
  readonly lastVersion: string | null;
  readonly commits: readonly PlannedCommit[];
  readonly bump: Bump | null;
  readonly nextVersion: string | null;
  readonly nextTag: string | null;
  readonly breaking: boolean;
  /** Why: "feat: recurring invoices (abc1234) -> minor", "Release-As: 3.0.0", "no releasable commits". */
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  /** Why this release may not be made as asked (e.g. a hotfix with a feature in it); empty when it may. */
  readonly problems: readonly string[];
  /** Ranges on other components this release rewrites in its manifest (see plan-dependents). */
  readonly rangeUpdates?: readonly RangeUpdate[];
  /** Components whose new versions leave a range of this one: it is released because of them. */
  readonly leftBy?: readonly string[];
}

export interface BundlePlan {
  readonly name: string;
  readonly train: string;
  /** The bundle's component (a product) or the policy bundle (the platform release). */
  readonly kind: 'product' | 'bundle';
  readonly lastTag: string | null;
  readonly lastVersion: string | null;
  readonly bump: Bump | null;
  readonly nextVersion: string | null;
  readonly nextTag: string | null;
  readonly reasons: readonly string[];
  /** Bill of materials: each member at the version this release carries. */
  readonly members: readonly { readonly name: string; readonly kind: string; readonly version: string | null }[];
}

export interface ReleasePlan {
  readonly type: ReleaseType;
  readonly head: string;
  readonly components: readonly ComponentPlan[];
  readonly bundles: readonly BundlePlan[];
  readonly warnings: readonly string[];
}
