import { ShipgateError } from '../errors/shipgate-error.js';
import { readGitDirs, type GitDirs } from '../git/repo-state.js';
import { withRepoLock, type LockHolder } from '../git/repo-lock.js';
import { readJournal, removeJournal, writeJournal, type Journal } from './journal-file.js';
import { undoCherryPick } from './undo-cherry-pick.js';
import { assertFilesAsLeft, finishVersion, readVersionProgress, undoVersion } from './version-journal.js';

/** What a command did with a run that was cut short before it could begin its own. */
export interface Recovery {
  readonly command: Journal['kind'];
  readonly action: 'finished' | 'undone';
  readonly startedAt: string;
  readonly branch: string;
  /** Tags it made (finished) or removed (undone). */
  readonly tags: readonly string[];
}

export interface WriteOptions {
  readonly command: string;
  /** How long to wait for another shipgate writing the same repository, in milliseconds. */
  readonly waitMs: number;
  readonly onWait?: (holder: LockHolder) => void;
  readonly now?: () => Date;
  /** An interrupted `version` is finished unless asked to undo it (`version --abort`). */
  readonly interrupted?: 'finish' | 'undo';
}

export interface WriteSession {
  readonly dirs: GitDirs;
  readonly recovered: Recovery | undefined;
}

/**
 * The one way a command writes the repository: under its lock, after finishing (or undoing) whatever
 * run was cut short, so no command ever plans on top of half a release.
 */
export async function withRepositoryWrite<T>(cwd: string, options: WriteOptions, fn: (session: WriteSession) => Promise<T>): Promise<T> {
  const dirs = await readGitDirs(cwd);
  return withRepoLock(dirs.commonDir, options, async () => {
    const recovered = await recoverInterrupted(dirs, options.interrupted ?? 'finish');
    return fn({ dirs, recovered });
  });
}

/** Completes the journal's run (a `version`) or puts it back (a `cherry-pick`, or `version --abort`), then drops the journal. */
async function recoverInterrupted(dirs: GitDirs, mode: 'finish' | 'undo'): Promise<Recovery | undefined> {
  const journal = await readJournal(dirs.gitDir);
  if (journal === undefined) return undefined;
  const base = { command: journal.kind, startedAt: journal.startedAt, branch: journal.branch };
  if (journal.kind === 'cherry-pick') {
    await undoCherryPick(dirs.root, journal);
    await removeJournal(dirs.gitDir);
    return { ...base, action: 'undone', tags: [] };
  }
  const progress = await readVersionProgress(dirs.root, journal);
  await assertFilesAsLeft(dirs.root, journal);
  let tags: string[];
  if (mode === 'undo' || journal.direction === 'undo') {
    // Recorded first, so that an undo cut short is completed by the next run, not turned into a release.
    if (journal.direction !== 'undo') await writeJournal(dirs.gitDir, { ...journal, direction: 'undo' });
    tags = await undoVersion(dirs.root, journal, progress);
  } else {
    tags = await finishVersion(dirs.root, journal, progress);
  }
  await removeJournal(dirs.gitDir);
  return { ...base, action: mode === 'undo' || journal.direction === 'undo' ? 'undone' : 'finished', tags };
}

/** A preview (`--dry-run`) over half a release would show a plan that no run will make. */
export async function assertNotInterrupted(cwd: string): Promise<void> {
  const dirs = await readGitDirs(cwd);
  const journal = await readJournal(dirs.gitDir);
  if (journal === undefined) return;
  throw new ShipgateError('EINTERRUPTED', `a \`shipgate ${journal.kind}\` started ${journal.startedAt} was interrupted`, {
    category: 'conflict',
    hint: journal.kind === 'version' ? 'run `shipgate version` to finish it (or `shipgate version --abort` to undo it) first' : 'run the command again: it puts the branch back first',
  });
}

/** One line saying what was done with an interrupted run. */
export function describeRecovery(recovery: Recovery): string {
  const run = `the \`shipgate ${recovery.command}\` interrupted on ${recovery.branch} (started ${recovery.startedAt})`;
  if (recovery.command === 'cherry-pick') return `undid ${run}: the branch is back where it started`;
  const tags = recovery.tags.length > 0 ? recovery.tags.join(', ') : 'none';
  return recovery.action === 'finished' ? `finished ${run}; tags made: ${tags}` : `undid ${run}; tags removed: ${tags}`;
}
