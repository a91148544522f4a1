import semver from './semver.js';
import type { Bump } from '../policy/release-kinds.js';

/** A policy tag template ("{name}/v{version}", "platform-{name}-v{version}", "v{version}"). */
export function renderTag(template: string, values: { name: string; version: string }): string {
  return template.replaceAll('{name}', values.name).replaceAll('{version}', values.version);
}

/** A matcher that reads the version out of a tag made from the template for this name. */
export function tagMatcher(template: string, name: string): (tag: string) => string | undefined {
  const [before = '', after = ''] = renderTag(template, { name, version: '\u0000' }).split('\u0000');
  return (tag) => (tag.length > before.length + after.length && tag.startsWith(before) && tag.endsWith(after) ? tag.slice(before.length, tag.length - after.length) : undefined);
}

/**
 * Whether a commit subject is one shipgate's `version` writes (a kind's commitMessage template with a
 * SemVer version, for one of `names` or, without names, for any component): such a commit changes
 * versions and CHANGELOGs only.
 */
export function isReleaseCommit(subject: string, templates: readonly string[], names?: readonly string[]): boolean {
  return releaseCommitMatcher(templates, names)(subject);
}

/** isReleaseCommit for many subjects: the templates are compiled once. */
export function releaseCommitMatcher(templates: readonly string[], names?: readonly string[]): (subject: string) => boolean {
  if (names === undefined) {
    const patterns = templates.map(templateRegExp);
    return (subject) => patterns.some((pattern) => pattern.test(subject));
  }
  const matchers = templates.flatMap((template) => names.map((name) => tagMatcher(template, name)));
  // Most subjects match no template; semver's parser (which throws on what is not a version) runs on the rest.
  return (subject) =>
    matchers.some((match) => {
      const version = match(subject);
      return version !== undefined && semver.valid(version) !== null;
    });
}

function templateRegExp(template: string): RegExp {
  const source = template
    .split(/(\{name\}|\{version\})/)
    .map((part) => (part === '{name}' ? '\\S.*?' : part === '{version}' ? '\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]+)?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

export type { Bump };
const ORDER: Record<Bump, number> = { patch: 1, minor: 2, major: 3 };

export function maxBump(a: Bump | null, b: Bump | null): Bump | null {
  if (a === null) return b;
  if (b === null) return a;
  return ORDER[a] >= ORDER[b] ? a : b;
}

export function bumpRank(bump: Bump | null): number {
  return bump === null ? 0 : ORDER[bump];
}

/** The next version; before 1.0.0 a breaking change bumps minor when the policy says so (as npm and Cargo treat 0.x). */
export function nextVersion(current: string, bump: Bump, zeroMajorBreaking: 'minor' | 'major'): string {
  const parsed = semver.parse(current);
  if (!parsed) throw new Error(`not a semver version: ${current}`);
  const effective = parsed.major === 0 && bump === 'major' && zeroMajorBreaking === 'minor' ? 'minor' : bump;
  return semver.inc(parsed.version, effective) as string;
}

/** The bump that takes `from` to `to` (for Release-As and checks). */
export function bumpBetween(from: string, to: string): Bump | null {
  const a = semver.parse(from);
  const b = semver.parse(to);
  if (!a || !b || semver.lte(b, a)) return null;
  if (b.major !== a.major) return 'major';
  if (b.minor !== a.minor) return 'minor';
  return 'patch';
}

export interface LastRelease {
  readonly lastTag: string | null;
  readonly lastVersion: string | null;
  /** Tags of this component that are not SemVer: ignored, but worth telling. */
  readonly ignored: readonly string[];
}

/** The highest final (non-pre-release) SemVer tag among those the matcher recognises. */
export function findLastRelease(tags: readonly string[], match: (tag: string) => string | undefined): LastRelease {
  let lastTag: string | null = null;
  let best: readonly [number, number, number] | null = null;
  const ignored: string[] = [];
  for (const tag of tags) {
    const raw = match(tag);
    if (raw === undefined) continue;
    const version = finalVersion(raw);
    if (version === 'invalid') {
      ignored.push(tag);
      continue;
    }
    if (version === 'prerelease') continue;
    if (best === null || compareTriples(version, best) > 0) [lastTag, best] = [tag, version];
  }
  return { lastTag, lastVersion: best === null ? null : best.join('.'), ignored };
}

// A plain MAJOR.MINOR.PATCH, as nearly every release tag is; semver's parser (a regular expression and an
// object per tag) costs 40 ms over 12,000 tags and is left for the rest.
const PLAIN = /^(0|[1-9]\d{0,15})\.(0|[1-9]\d{0,15})\.(0|[1-9]\d{0,15})$/;

/** What semver.valid makes of a tag's version: a final version's numbers, a pre-release, or not SemVer. */
function finalVersion(raw: string): readonly [number, number, number] | 'prerelease' | 'invalid' {
  const plain = PLAIN.exec(raw);
  if (plain) {
    const triple = [Number(plain[1]), Number(plain[2]), Number(plain[3])] as const;
    if (triple.every(Number.isSafeInteger)) return triple;
  }
  const parsed = semver.parse(raw);
  if (parsed === null) return 'invalid';
  return parsed.prerelease.length > 0 ? 'prerelease' : [parsed.major, parsed.minor, parsed.patch];
}

function compareTriples(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
