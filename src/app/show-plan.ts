import { errors } from '../errors/catalog.js';
import { ownEntry } from '../gates/own-entry.js';
import type { Policy, ReleaseType } from '../policy/schema.js';
import { planRelease, type PlannedRelease } from './plan-release.js';

/** `plan` and `status`: the release plan at HEAD, of one train or all. */
export async function showPlan(options: { cwd: string; policy: Policy; type: ReleaseType; train?: string | undefined; prerelease?: boolean }): Promise<PlannedRelease> {
  const { policy, train } = options;
  if (train !== undefined && ownEntry(policy.trains, train) === undefined) throw errors.unknownTrain(train, Object.keys(policy.trains));
  return planRelease({
    cwd: options.cwd,
    policy,
    type: options.type,
    ...(train === undefined ? {} : { train }),
    ...(options.prerelease ? { prerelease: true } : {}),
  });
}

/** Whether a component may not be released as planned (a hotfix with a feature, a range it cannot rewrite): `plan` then exits 1. */
export function planHasProblems(plan: PlannedRelease): boolean {
  return plan.components.some((c) => c.problems.length > 0);
}

/** What `plan --json` and `status --json` print and the server answers. */
export function planJson(plan: PlannedRelease) {
  return {
    type: plan.type,
    head: plan.head,
    components: plan.components.map((c) => ({
      name: c.component.name,
      kind: c.component.kind,
      path: c.component.path,
      manifest: c.component.manifest,
      currentVersion: c.lastVersion ?? c.component.version,
      lastTag: c.lastTag,
      unreleasedCommits: c.commits.length,
      bump: c.bump,
      nextVersion: c.nextVersion,
      nextTag: c.nextTag,
      breaking: c.breaking,
      reasons: c.reasons,
      warnings: c.warnings,
      problems: c.problems,
      /** The ranges on other components this release rewrites in its manifest. */
      rangeUpdates: (c.rangeUpdates ?? []).map((u) => ({ dependency: u.component, field: [...u.table, u.key].join('.'), from: u.from, to: u.to })),
      commits: c.commits.map((commit) => ({ sha: commit.sha, subject: commit.subject, bump: commit.bump, conventional: commit.conventional })),
    })),
    bundles: plan.bundles,
    warnings: plan.warnings,
  };
}

/** The plan's warnings and problems as lines for people, each with its component. */
export function planNotes(plan: PlannedRelease): { warnings: string[]; problems: string[] } {
  return {
    warnings: [...plan.warnings, ...plan.components.flatMap((c) => c.warnings.map((w) => `${c.component.name}: ${w}`))],
    problems: plan.components.flatMap((c) => c.problems.map((problem) => `${c.component.name}: ${problem}`)),
  };
}
