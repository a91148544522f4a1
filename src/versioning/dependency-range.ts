import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import type { DependencyRange } from './types.js';

/**
 * The node-semver range a written range means, or null when it is not a version range shipgate reads
 * (npm's `file:`, `link:`, `npm:` aliases, git URLs, dist-tags such as `latest`: they do not follow
 * the workspace copy's version). `current` is the dependency's version before this release.
 *
 * `workspace:*`, `workspace:^` and `workspace:~` mean what pnpm and yarn publish them as: the exact
 * current version, `^current`, `~current` (changesets reads them the same way). Cargo's bare "1.2"
 * means ^1.2; a Cargo requirement's comparators are separated by commas.
 */
export function effectiveRange(dependency: DependencyRange, current: string | null): string | null {
  if (dependency.ecosystem === 'cargo') return cargoRange(dependency.range);
  const written = dependency.range.trim();
  if (written.startsWith('workspace:')) {
    const inner = written.slice('workspace:'.length).trim();
    if (inner === '*' || inner === '^' || inner === '~') return current === null ? null : `${inner === '*' ? '=' : inner}${current}`;
    return validRange(inner) === null ? null : inner;
  }
  return validRange(written) === null ? null : written;
}

/** Whether the range admits the version, as npm and cargo match (a pre-release only where a comparator asks for one). */
export function admits(range: string, version: string): boolean {
  return satisfies(version, range);
}

const SIMPLE = /^(\^|~|>=|=)?\s*(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/**
 * The range rewritten to ask for `version`, keeping its form as changesets does (`^1.2.0` -> `^1.3.0`,
 * `~1.2` -> `~1.3.0`, `1.2.0` -> `1.3.0`, `>=1.2` -> `>=1.3.0`, `workspace:^1.2.0` -> `workspace:^1.3.0`);
 * `workspace:*`, `workspace:^` and `workspace:~` stay as they are (the package manager writes the
 * version when it publishes). Null for a form that cannot be rewritten without changing what it
 * means: X-ranges (`1.x`, `1.2`, Cargo's `1.*`), `<`, `>`, hyphen ranges, `||`, several comparators
 * (`>=1 <2`, Cargo's `>=1, <2`). changesets rewrites those too (`>=1 <2` becomes `>=1.3.0`, `1.x`
 * becomes `1.3.0`); shipgate does not guess.
 */
export function rewriteRange(dependency: DependencyRange, version: string): string | null {
  let prefix = '';
  let range = dependency.range.trim();
  if (dependency.ecosystem === 'npm' && range.startsWith('workspace:')) {
    prefix = 'workspace:';
    range = range.slice(prefix.length).trim();
    if (range === '*' || range === '^' || range === '~') return dependency.range;
  }
  const match = SIMPLE.exec(range);
  if (!match) return null;
  const operator = match[1] ?? '';
  const parts = (match[2] as string).split(/[-+]/)[0]!.split('.').length;
  // A bare or "=" partial version is an X-range (npm's "1.2" is 1.2.x, Cargo's "=1.2" too); Cargo's
  // bare partial is a caret requirement and keeps its meaning when written out in full.
  const caretLike = operator === '^' || operator === '~' || operator === '>=' || (dependency.ecosystem === 'cargo' && operator === '');
  if (parts < 3 && !caretLike) return null;
  return `${prefix}${operator}${version}`;
}

/** Where a range is written, as a user finds it in the manifest: `dependencies.@7d/billing`, `target.cfg(unix).dependencies.crypto`. */
export function rangeLocation(dependency: DependencyRange): string {
  return [...dependency.table, dependency.key].join('.');
}

/** A Cargo requirement as a node-semver range: bare comparators are carets, commas separate them. */
function cargoRange(requirement: string): string | null {
  const comparators: string[] = [];
  for (const part of requirement.split(',').map((p) => p.trim())) {
    const match = /^(=|\^|~|>=|<=|>|<)?\s*(\*|\d+(?:\.(?:\d+|\*)){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/.exec(part);
    if (!match) return null;
    const [, operator = '', version = ''] = match;
    comparators.push(operator === '' && !version.includes('*') ? `^${version}` : `${operator}${version}`);
  }
  const range = comparators.join(' ');
  return validRange(range) === null ? null : range;
}
