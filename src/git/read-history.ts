import type { CommitInfo } from '../versioning/types.js';
import { git, gitRecords } from './run-git.js';

export interface HistoryQuery {
  readonly cwd: string;
  /** Component directories relative to the root ('' for a component at the root). */
  readonly paths: readonly string[];
  /** For each component (same index as paths), the commit of its last release, if any. */
  readonly releasedAt: readonly (string | null)[];
  /** Committer dates of those commits (seconds), to guess the walk's lower bound without a merge-base. */
  readonly releasedDates?: readonly (number | null)[];
  /** Commits to report as reachable when the walk meets them (tag commits whose reachability is in doubt). */
  readonly watch?: readonly string[];
  readonly head?: string;
}

export interface History {
  /** For each component, its unreleased commits touching its directory, newest first. */
  readonly commits: readonly CommitInfo[][];
  /** How many commits the single pass read. */
  readonly walked: number;
  /** The watched commits the walk proved reachable from HEAD. */
  readonly reachable: ReadonlySet<string>;
}

const RECORD = '\u001e';
const FIELD = '\u001f';
export const FORMAT = `--format=${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%B${FIELD}`;
/**
 * FORMAT with the commit's tree where the file list would be, then `-` for a boundary commit (a parent
 * below the range, listed by --boundary only for its tree).
 */
const TREE_FORMAT = `${FORMAT}%T${FIELD}%m`;
const BOUNDARY_END = `${FIELD}-`;

/**
 * Reads every component's unreleased commits in ONE `git log` over the commits that any component has
 * not released yet. Walking in topological order (children first), each commit learns which components
 * have already released it from its children, so attribution costs O(commits + files), not
 * O(commits x components) as one `git log` per component would.
 */
export async function readHistory(query: HistoryQuery): Promise<History> {
  const count = query.paths.length;
  const words = Math.max(1, Math.ceil(count / 32));
  const tagBits = new Map<string, Uint32Array>();
  query.releasedAt.forEach((sha, index) => {
    if (sha === null) return;
    const bits = tagBits.get(sha) ?? new Uint32Array(words);
    bits[index >>> 5]! |= 1 << (index & 31);
    tagBits.set(sha, bits);
  });
  let base = guessBase(query);
  let result = await walk(query, base, words, tagBits);
  if (base !== undefined && !coversEveryRelease(query, base, result.boundary, tagBits)) {
    // A release is not on the line above the oldest one (parallel branches): walk from the true merge base.
    base = await commonBase(query);
    result = await walk(query, base, words, tagBits);
  }
  return { commits: result.commits, walked: result.walked, reachable: result.reachable };
}

interface Walk {
  commits: CommitInfo[][];
  walked: number;
  boundary: Uint32Array | undefined;
  reachable: Set<string>;
}

async function walk(query: HistoryQuery, base: string | undefined, words: number, tagBits: Map<string, Uint32Array>): Promise<Walk> {
  const count = query.paths.length;
  const watch = new Set(query.watch ?? []);
  const reachable = new Set<string>();
  // Components at the root own every change: no file list is needed to tell them apart, and git's
  // --name-only costs 4x the log itself. A commit then counts when git would have listed files for it.
  const rootOnly = query.paths.every((p) => p === '');
  const attribute = pathIndex(query.paths);
  const commits: CommitInfo[][] = Array.from({ length: count }, () => []);
  const trees = rootOnly ? new Map<string, string>() : undefined;
  const pending = new Map<string, Uint32Array>();
  let walked = 0;

  const onCommit = (record: string) => {
    if (trees && record.endsWith(BOUNDARY_END, record.endsWith('\n') ? record.length - 1 : record.length)) {
      const { sha, fileText } = parseRecord(record);
      trees.set(sha, fileText.trim());
      return;
    }
    walked += 1;
    const { sha, parents, authorName, authorEmail, date, body, fileText } = parseRecord(record);
    let released = pending.get(sha);
    pending.delete(sha);
    const own = tagBits.get(sha);
    if (own) released = released ? or(released, own) : own.slice();
    if (watch.has(sha)) reachable.add(sha);
    // The base is reachable when a walked commit has it as a parent.
    if (base !== undefined && watch.has(base) && parents.includes(base)) reachable.add(base);
    if (released) for (const parent of parents) pending.set(parent, pending.has(parent) ? or(pending.get(parent)!, released) : released);
    const subject = body.split('\n', 1)[0] ?? '';
    if (trees) {
      trees.set(sha, fileText.trim());
      // Merges list no files in git log (without -m), so they belong to no component.
      if (parents.length > 1) return;
      for (let index = 0; index < count; index += 1) {
        if (released && (released[index >>> 5]! & (1 << (index & 31))) !== 0) continue;
        commits[index]!.push({ sha, parents, authorName, authorEmail, date, subject, body: body.trimEnd(), files: [] });
      }
      return;
    }
    const files = fileText.split('\n').filter((line) => line !== '');
    const touched = new Map<number, string[]>();
    for (const file of files) {
      for (const index of attribute(file)) {
        if (released && (released[index >>> 5]! & (1 << (index & 31))) !== 0) continue;
        const list = touched.get(index);
        if (list) list.push(file);
        else touched.set(index, [file]);
      }
    }
    if (touched.size === 0) return;
    for (const [index, own] of touched) commits[index]!.push({ sha, parents, authorName, authorEmail, date, subject, body: body.trimEnd(), files: own });
  };

  // At the root, the parents below the range (the lower bound) come with --boundary, for their trees:
  // whether the oldest commits walked change anything, without another git process.
  const listing = rootOnly ? ['--boundary', TREE_FORMAT] : ['--name-only', FORMAT];
  const args = ['-c', 'core.quotePath=false', 'log', '--topo-order', '--no-renames', ...listing, '--end-of-options', query.head ?? 'HEAD', ...(base ? [`^${base}`] : []), '--'];
  await gitRecords(args, { cwd: query.cwd }, RECORD, onCommit);
  const changed = trees ? await changedCommits(query.cwd, commits, trees) : undefined;
  return { commits: changed ? commits.map((list) => list.filter((commit) => changed.has(commit.sha))) : commits, walked, boundary: base === undefined ? undefined : pending.get(base), reachable };
}

// The empty tree, in SHA-1 and SHA-256 repositories: a root commit of nothing lists no files.
const EMPTY_TREES = new Set(['4b825dc642cb6eb9a060e54bf8d69288fbee4904', '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321']);

/**
 * The commits that change something: a root commit with files, or one whose tree differs from its
 * parent's (an empty commit lists no files). Parents below the walk are asked of git in one call.
 */
async function changedCommits(cwd: string, lists: readonly CommitInfo[][], trees: Map<string, string>): Promise<Set<string>> {
  const candidates = new Map(lists.flat().map((commit) => [commit.sha, commit]));
  const unknown = [...new Set([...candidates.values()].flatMap((commit) => commit.parents.filter((parent) => !trees.has(parent))))];
  if (unknown.length > 0) for (const [sha, tree] of await commitTrees(cwd, unknown)) trees.set(sha, tree);
  const changed = new Set<string>();
  for (const commit of candidates.values()) {
    const tree = trees.get(commit.sha);
    const parent = commit.parents[0];
    if (parent === undefined ? !EMPTY_TREES.has(tree ?? '') : trees.get(parent) !== tree) changed.add(commit.sha);
  }
  return changed;
}

async function commitTrees(cwd: string, commits: readonly string[]): Promise<Map<string, string>> {
  const { stdout } = await git(['log', '--no-walk=unsorted', '--format=%H %T', '--end-of-options', ...commits, '--'], { cwd });
  const trees = new Map<string, string>();
  for (const line of stdout.split('\n')) if (line !== '') trees.set(line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1));
  return trees;
}

/**
 * The walk's lower bound: the oldest last-release commit. On a line of history it is an ancestor of
 * every other release, which makes it the merge base without asking git for one (which costs a walk).
 */
function guessBase(query: HistoryQuery): string | undefined {
  if (query.releasedAt.length === 0 || query.releasedAt.some((sha) => sha === null)) return undefined;
  let oldest: { sha: string; date: number } | undefined;
  query.releasedAt.forEach((sha, index) => {
    const date = query.releasedDates?.[index] ?? 0;
    if (sha !== null && (oldest === undefined || date < oldest.date)) oldest = { sha, date };
  });
  return oldest?.sha;
}

/** Whether every release reached the base through the walked commits (or is the base): then the walk saw all it must. */
function coversEveryRelease(query: HistoryQuery, base: string, boundary: Uint32Array | undefined, tagBits: Map<string, Uint32Array>): boolean {
  const atBase = tagBits.get(base);
  return query.releasedAt.every((sha, index) => {
    if (sha === null || sha === base) return true;
    const bit = 1 << (index & 31);
    return ((boundary?.[index >>> 5] ?? 0) & bit) !== 0 || ((atBase?.[index >>> 5] ?? 0) & bit) !== 0;
  });
}

/** One `git log` record in FORMAT: the commit's fields, then (with --name-only) its files. */
export function parseRecord(record: string): { sha: string; parents: string[]; authorName: string; authorEmail: string; date: string; body: string; fileText: string } {
  const [sha = '', parentText = '', authorName = '', authorEmail = '', date = '', body = '', fileText = ''] = record.split(FIELD);
  return { sha, parents: parentText === '' ? [] : parentText.split(' '), authorName, authorEmail, date, body, fileText };
}

/** Commits of a revision range that touch a path, newest first, without their file lists. */
export async function readCommits(cwd: string, revisions: readonly string[], paths: readonly string[]): Promise<CommitInfo[]> {
  const commits: CommitInfo[] = [];
  await gitRecords(['log', '--topo-order', FORMAT, '--end-of-options', ...revisions, '--', ...(paths.length > 0 ? paths : ['.'])], { cwd }, RECORD, (record) => {
    const { sha, parents, authorName, authorEmail, date, body } = parseRecord(record);
    commits.push({ sha, parents, authorName, authorEmail, date, subject: body.split('\n', 1)[0] ?? '', body: body.trimEnd(), files: [] });
  });
  return commits;
}

/** Commits below the merge base of every last release are released by every component: skip them. */
async function commonBase(query: HistoryQuery): Promise<string | undefined> {
  if (query.releasedAt.length === 0 || query.releasedAt.some((sha) => sha === null)) return undefined;
  const unique = [...new Set(query.releasedAt as string[])];
  if (unique.length === 1) return unique[0];
  const result = await git(['merge-base', '--octopus', '--end-of-options', ...unique], { cwd: query.cwd, okCodes: [1] });
  return result.code === 0 ? result.stdout.trim().split('\n')[0] : undefined;
}

/** Maps a file path to the components whose directory holds it (a prefix lookup per path depth). */
function pathIndex(paths: readonly string[]): (file: string) => number[] {
  const byPath = new Map<string, number[]>();
  paths.forEach((p, index) => byPath.set(p, [...(byPath.get(p) ?? []), index]));
  const root = byPath.get('') ?? [];
  const depths = [...new Set(paths.filter((p) => p !== '').map((p) => p.split('/').length))].sort((a, b) => a - b);
  return (file) => {
    const found: number[] = [...root];
    let end = -1;
    let depth = 0;
    for (const wanted of depths) {
      while (depth < wanted) {
        end = file.indexOf('/', end + 1);
        if (end < 0) return found;
        depth += 1;
      }
      const hit = byPath.get(file.slice(0, end));
      if (hit) found.push(...hit);
    }
    return found;
  };
}

function or(a: Uint32Array, b: Uint32Array): Uint32Array {
  const result = a.slice();
  for (let i = 0; i < b.length; i += 1) result[i]! |= b[i]!;
  return result;
}
