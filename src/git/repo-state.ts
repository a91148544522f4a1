import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from './run-git.js';

export interface GitDirs {
  /** The work tree's top directory. */
  readonly root: string;
  /** This work tree's git directory (`.git`, or `.git/worktrees/<name>` in a linked work tree). */
  readonly gitDir: string;
  /** The directory refs and objects live in, shared by every work tree of the repository. */
  readonly commonDir: string;
}

export interface RepoState extends GitDirs {
  /** null before the first commit. */
  readonly head: string | null;
  /** null on a detached HEAD. */
  readonly branch: string | null;
  readonly shallow: boolean;
  /** Tracked files with uncommitted changes (untracked files do not count). */
  readonly dirty: readonly string[];
}

/** Where the repository is, in one `git rev-parse`, as absolute paths. */
export async function readGitDirs(cwd: string): Promise<GitDirs> {
  const { stdout } = await git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir'], { cwd });
  const [root = '', gitDir = '', commonDir = ''] = stdout.split('\n');
  return { root, gitDir, commonDir };
}

/** The repository's state; `dirty` is only read when asked (it costs a status scan). */
export async function readRepoState(cwd: string, options: { withStatus?: boolean } = { withStatus: true }): Promise<RepoState> {
  // Everything but the status in one git process; an unborn HEAD (or anything unusual) fails it, and
  // then each question is asked on its own.
  const [dirs, status] = await Promise.all([
    git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir', '--is-shallow-repository', 'HEAD', '--symbolic-full-name', 'HEAD', '--'], { cwd, okCodes: [128] }),
    options.withStatus ? git(['-c', 'core.quotePath=false', 'status', '--porcelain', '--untracked-files=no'], { cwd }) : Promise.resolve({ stdout: '' }),
  ]);
  const [root = '', gitDir = '', commonDir = '', shallow = '', head = '', ref = '', dashes] = dirs.stdout.split('\n');
  if (dirs.code !== 0 || dashes !== '--' || !/^[0-9a-f]{40,64}$/.test(head)) return readRepoStateSlowly(cwd, status.stdout);
  return {
    root,
    gitDir,
    commonDir,
    head,
    branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null,
    shallow: shallow === 'true',
    dirty: parseStatus(status.stdout),
  };
}

function parseStatus(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => line.slice(3));
}

async function readRepoStateSlowly(cwd: string, status: string): Promise<RepoState> {
  const dirs = await readGitDirs(cwd);
  const root = dirs.root;
  const [head, branch, shallow] = await Promise.all([
    git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: root, okCodes: [1, 128] }),
    git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root, okCodes: [1, 128] }),
    git(['rev-parse', '--is-shallow-repository'], { cwd: root }),
  ]);
  return {
    ...dirs,
    head: head.code === 0 ? head.stdout.trim() : null,
    branch: branch.code === 0 ? branch.stdout.trim() : null,
    shallow: shallow.stdout.trim() === 'true',
    dirty: parseStatus(status),
  };
}

/** Refuses what would make a version or tag wrong: a shallow clone hides tags and commits. */
export function assertFullHistory(state: RepoState): void {
  if (state.shallow) {
    throw new ShipgateError('ESHALLOW', 'this is a shallow clone, so release tags and commits are missing', {
      category: 'input',
      hint: 'run `git fetch --unshallow --tags` (in CI: actions/checkout with fetch-depth: 0)',
    });
  }
}

/** Refuses to write on top of uncommitted work, or without a branch to commit to. */
export function assertWritable(state: RepoState, allowDirty: boolean): void {
  assertFullHistory(state);
  if (state.head === null) throw new ShipgateError('ENOCOMMITS', 'the repository has no commits yet', { category: 'conflict', hint: 'commit something first' });
  if (state.branch === null) {
    throw new ShipgateError('EDETACHED', 'HEAD is detached, so the release commit would belong to no branch', {
      category: 'conflict',
      hint: 'check out a branch first, e.g. `git switch main`',
    });
  }
  if (state.dirty.length > 0 && !allowDirty) {
    const shown = state.dirty.slice(0, 3).join(', ') + (state.dirty.length > 3 ? `, and ${state.dirty.length - 3} more` : '');
    throw new ShipgateError('EDIRTY', `the work tree has uncommitted changes (${shown})`, {
      category: 'conflict',
      hint: 'commit or stash them, or pass --allow-dirty',
    });
  }
}
