import { git } from '../git/run-git.js';

export interface FetchResult {
  /** False when the clone has no origin remote: it is its own authority and there is nothing to fetch. */
  readonly fetched: boolean;
  /** The branch checked out, and whether it was fast-forwarded to origin's copy. */
  readonly branch: string | null;
  readonly head: string | null;
  readonly fastForwarded: boolean;
  /** Why the checkout was left where it was, when it was (diverged, local changes). */
  readonly note: string | null;
}

/**
 * Keeps the server's clone current: fetches origin (tags too, so versions are planned from every
 * release), then moves the checked-out branch to origin's copy when that is a fast-forward and the
 * tracked files are unchanged. Decisions read origin's main anyway (serverPolicy); the checkout is what
 * a release is created from. Never resets or merges: a clone someone changed by hand is left alone.
 */
export async function fetchClone(cwd: string, signal?: AbortSignal): Promise<FetchResult> {
  const remotes = (await git(['remote'], { cwd })).stdout.split('\n');
  const head = async () => (await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd, okCodes: [1] })).stdout.trim() || null;
  const branchOut = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd, okCodes: [1] });
  const branch = branchOut.stdout.trim() || null;
  if (!remotes.includes('origin')) return { fetched: false, branch, head: await head(), fastForwarded: false, note: 'no origin remote' };
  await git(['fetch', '--quiet', '--prune', '--tags', 'origin'], { cwd, ...(signal === undefined ? {} : { signal }) });
  const before = await head();
  if (branch === null) return { fetched: true, branch, head: before, fastForwarded: false, note: 'HEAD is detached' };
  const upstream = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/remotes/origin/${branch}`], { cwd, okCodes: [1] })).stdout.trim();
  if (upstream === '' || upstream === before) return { fetched: true, branch, head: before, fastForwarded: false, note: null };
  const ancestor = before === null ? 0 : (await git(['merge-base', '--is-ancestor', '--end-of-options', before, upstream], { cwd, okCodes: [1] })).code;
  if (ancestor !== 0) return { fetched: true, branch, head: before, fastForwarded: false, note: `${branch} has diverged from origin/${branch}` };
  const changed = (await git(['status', '--porcelain', '--untracked-files=no'], { cwd })).stdout.trim();
  if (changed !== '') return { fetched: true, branch, head: before, fastForwarded: false, note: 'the checkout has local changes' };
  signal?.throwIfAborted();
  await git(['merge', '--ff-only', '--quiet', upstream], { cwd });
  return { fetched: true, branch, head: await head(), fastForwarded: true, note: null };
}
