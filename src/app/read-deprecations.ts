import { cacheDirFor, cacheName, readCache, writeCache } from '../fs/repo-cache.js';
import type { TagRef } from '../git/read-tags.js';
import { gitRecords } from '../git/run-git.js';
import { collectDeprecations, type HistoryEntry } from '../notes/deprecations.js';
import type { Deprecation } from '../notes/types.js';
import type { CommitInfo, Component } from '../versioning/types.js';
import semver from '../versioning/semver.js';

export interface DeprecationSource {
  readonly root: string;
  readonly commonDir: string;
  readonly component: Component;
  /** Reads the version out of one of the component's tags. */
  readonly match: (tag: string) => string | undefined;
  readonly tags: readonly TagRef[];
}

/**
 * Every deprecation in a component's history up to a release, each with the release that first shipped
 * it. The notes of each later release list it again until its removal MAJOR, so the whole history
 * counts; but history below a release tag never changes, so what it holds is kept in a small index
 * under the tag's commit, and a release reads only its own range (`unreleased`: the plan's walk).
 */
export async function deprecationsUpTo(source: DeprecationSource, release: { version: string; tagCommit: string | null; unreleased: readonly CommitInfo[] }): Promise<Deprecation[]> {
  const released = releasedAt(source.tags, source.match);
  let current = release.version;
  const range: HistoryEntry[] = release.unreleased.map((commit) => {
    current = released.get(commit.sha) ?? current;
    return { body: commit.body, release: current };
  });
  const older = release.tagCommit === null ? [] : await deprecationsAtTag(source, release.tagCommit, released);
  return [...older, ...collectDeprecations(range)];
}

/** For each commit a final release of the component is tagged on, the lowest such version. */
function releasedAt(tags: readonly TagRef[], match: (tag: string) => string | undefined): Map<string, string> {
  const released = new Map<string, string>();
  for (const tag of tags) {
    const raw = match(tag.name);
    if (raw === undefined) continue;
    const version = semver.valid(raw);
    if (version && semver.prerelease(version) === null && (!released.has(tag.commit) || semver.lt(version, released.get(tag.commit)!))) released.set(tag.commit, version);
  }
  return released;
}

/** The deprecations in the history below (and at) a tagged commit, from the index or, once, from git. */
async function deprecationsAtTag(source: DeprecationSource, commit: string, released: ReadonlyMap<string, string>): Promise<Deprecation[]> {
  const { component } = source;
  // Everything the answer depends on: the commit (its history is fixed by it), where the component
  // lives, and which of its commits carry which release.
  const key = ['deprecations/1', component.path, commit, ...[...released].map(([sha, version]) => `${sha}=${version}`).sort()].join('\n');
  const dir = cacheDirFor(source.commonDir);
  const name = cacheName('deprecations', key);
  const cached = readCache<Deprecation[]>(dir, name, key);
  if (cached !== undefined) return cached;
  const found = await readDeprecations(source.root, component.path, commit, released);
  await writeCache(dir, name, key, found);
  return found;
}

/**
 * One pass over the history below `commit`, newest first: each commit's id (which release it belongs
 * to) and its message, of which only the few that mention a deprecation are parsed. Git formats the
 * bodies for barely more than the ids alone (a second `--grep` pass to pick them out cost as much again).
 */
async function readDeprecations(root: string, dir: string, commit: string, released: ReadonlyMap<string, string>): Promise<Deprecation[]> {
  const RECORD = '\u001e';
  // A component at the root owns every commit: no pathspec, which would make git compare trees (5x the cost).
  const paths = dir === '' ? [] : [dir];
  const history: HistoryEntry[] = [];
  let current = released.get(commit) ?? '0.0.0';
  const mentions = /deprecated/i;
  await gitRecords(['log', '--topo-order', `--format=${RECORD}%H%n%B`, '--end-of-options', commit, '--', ...paths], { cwd: root }, RECORD, (record) => {
    const newline = record.indexOf('\n');
    current = released.get(record.slice(0, newline)) ?? current;
    if (mentions.test(record)) history.push({ body: record.slice(newline + 1).trimEnd(), release: current });
  });
  return collectDeprecations(history);
}
