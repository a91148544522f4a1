import semver from 'semver';
import { fillPlaceholders } from '../policy/placeholders.js';

export interface TagPlan {
  readonly tag: string;
  /** Does not name one version: it moves to newer releases (`2`, `2.1`, `latest`). */
  readonly floating: boolean;
  /** Whether this release should carry the tag. */
  readonly move: boolean;
  readonly reason: string;
}

/**
 * The tags of a release from artifacts.tags, and which floating ones it takes, SemVer-aware: a tag
 * with `{major}` goes only to the highest release of that major, one with `{major}` and `{minor}` to
 * the highest of that minor line, any other (latest) to the highest release of all. So a hotfix on
 * an old line never moves `latest`, and a pre-release moves nothing. `existing` are the tags the
 * registry has (non-version tags are ignored). Pure.
 */
export function planTags(templates: readonly string[], version: string, existing: readonly string[], values: Readonly<Record<string, string>>): TagPlan[] {
  const own = semver.parse(version);
  const released = existing.map((tag) => semver.parse(tag.replace(/^v/, ''))).filter((parsed): parsed is semver.SemVer => parsed !== null && parsed.prerelease.length === 0);
  const seen = new Set<string>();
  const plans: TagPlan[] = [];
  for (const template of templates) {
    const tag = fillPlaceholders(template, { ...values, version });
    if (seen.has(tag)) continue;
    seen.add(tag);
    if (template.includes('{version}')) {
      plans.push({ tag, floating: false, move: true, reason: `the release's own tag` });
      continue;
    }
    if (own === null) {
      plans.push({ tag, floating: true, move: false, reason: `${version} is not a SemVer version` });
      continue;
    }
    if (own.prerelease.length > 0) {
      plans.push({ tag, floating: true, move: false, reason: `${version} is a pre-release: floating tags stay on releases` });
      continue;
    }
    const byMajor = template.includes('{major}');
    const byMinor = byMajor && template.includes('{minor}');
    const line = byMinor ? `${own.major}.${own.minor}.x` : byMajor ? `${own.major}.x.y` : 'release';
    const inScope = released.filter((other) => (!byMajor || other.major === own.major) && (!byMinor || other.minor === own.minor));
    const higher = inScope.filter((other) => semver.gt(other, own)).sort(semver.rcompare)[0];
    plans.push(
      higher === undefined
        ? { tag, floating: true, move: true, reason: `${version} is the highest ${line}` }
        : { tag, floating: true, move: false, reason: `${higher.version} is a higher ${line}: ${tag} stays where it is` },
    );
  }
  return plans;
}
