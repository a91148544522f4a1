import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ShipgateError } from '../errors/shipgate-error.js';
import { removeTemporaries, writeFileAtomic } from '../fs/write-file-atomic.js';
import type { FileEdit } from '../manifests/plan-file-edits.js';
import { readTags } from '../git/read-tags.js';
import { git } from '../git/run-git.js';
import type { VersionJournal } from './journal-file.js';

/** How far a journal's run got, read from the repository itself rather than from a progress note. */
export interface VersionProgress {
  /** The release commits already made, in step order: always a prefix of the journal's steps. */
  readonly commits: readonly string[];
  /** Existing tags (name -> commit); a tag already at the right commit is not made again. */
  readonly tags: ReadonlyMap<string, string>;
}

/** A run that has not changed anything yet: no release commits, and git itself reports a taken tag name. */
export const NOTHING_DONE: VersionProgress = { commits: [], tags: new Map() };

/**
 * Makes what the journal records: every remaining release commit, and every tag that is missing.
 * Each step is repeatable (files are written whole, `git add` and a tag at a known commit are the same
 * the second time), so it can run again from wherever a killed run stopped. Returns the tags it made.
 *
 * An interrupted run is finished rather than undone because the journal holds everything the release
 * needs, and finishing gives exactly what the uninterrupted run would have: the same commits, files and
 * tags. Undoing instead could delete tags that CI has already seen or pushed.
 */
export async function finishVersion(root: string, journal: VersionJournal, progress: VersionProgress): Promise<string[]> {
  const made: string[] = [];
  const tag = async (name: string, message: string, commit: string) => {
    const at = progress.tags.get(name);
    if (at !== undefined && at === commit) return;
    if (at !== undefined) {
      throw new ShipgateError('ETAG', `cannot finish the interrupted \`shipgate version\`: tag ${name} already exists on another commit (${at.slice(0, 12)})`, {
        category: 'conflict',
        hint: 'run `shipgate version --abort` to undo the interrupted release, or delete that tag if it is a mistake',
      });
    }
    await git(['tag', '-a', '-m', message, '--end-of-options', name, commit], { cwd: root });
    made.push(name);
  };
  const { steps } = journal;
  for (const [index, commit] of progress.commits.entries()) await tag(steps[index]!.tag, steps[index]!.message, commit);
  let head = progress.commits.at(-1) ?? journal.originalHead;
  for (const step of steps.slice(progress.commits.length)) {
    for (const edit of step.edits) await writeFileAtomic(path.join(root, edit.file), edit.after);
    if (step.edits.length > 0) await git(['add', '--', ...step.edits.map((e) => e.file)], { cwd: root });
    await git(['commit', '--quiet', '--allow-empty', '--no-verify', '-m', step.message], { cwd: root });
    head = (await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: root })).stdout.trim();
    await tag(step.tag, step.message, head);
  }
  for (const bundle of journal.bundleTags) await tag(bundle.tag, bundle.message, head);
  await Promise.all(journalFiles(journal).map((edit) => removeTemporaries(path.join(root, edit.file))));
  return made;
}

/**
 * Puts the repository back as it was before the journal's run: its tags (only those on its own
 * commits: a tag of that name elsewhere was someone else's), its commits (keeping the index and work
 * tree), then its files. Each part is repeatable, so an undo cut short is completed by the next run.
 * Returns the tags it removed.
 */
export async function undoVersion(root: string, journal: VersionJournal, progress: VersionProgress): Promise<string[]> {
  const ours = new Set(progress.commits);
  const removed: string[] = [];
  const names = [...journal.steps.map((s) => s.tag), ...journal.bundleTags.map((b) => b.tag)].reverse();
  for (const name of names) {
    const at = progress.tags.get(name);
    if (at === undefined || !ours.has(at)) continue;
    await git(['tag', '-d', '--end-of-options', name], { cwd: root, okCodes: [1] });
    removed.push(name);
  }
  // `git reset` takes no --end-of-options (git 2.39); a full object id can never read as an option.
  if (progress.commits.length > 0) await git(['reset', '--quiet', '--soft', journal.originalHead, '--'], { cwd: root });
  const originals = journalFiles(journal);
  for (const edit of originals) {
    if (edit.created) await rm(path.join(root, edit.file), { force: true });
    else await writeFileAtomic(path.join(root, edit.file), edit.before);
  }
  if (originals.length > 0) await git(['reset', '--quiet', journal.originalHead, '--', ...originals.map((e) => e.file)], { cwd: root, okCodes: [1] });
  await Promise.all(originals.map((edit) => removeTemporaries(path.join(root, edit.file))));
  return removed;
}

const RECORD = '\u001e';
const FIELD = '\u001f';

/**
 * Reads how far the journal's run got: the branch must be the one it ran on, and the commits after
 * the original HEAD must be the journal's release commits, in order, and nothing else. Anything else
 * means someone changed the branch since, and neither finishing nor undoing would be safe.
 */
export async function readVersionProgress(root: string, journal: VersionJournal): Promise<VersionProgress> {
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root, okCodes: [1, 128] });
  if (branch.code !== 0 || branch.stdout.trim() !== journal.branch) {
    throw new ShipgateError('EJOURNAL', `an interrupted \`shipgate version\` (started ${journal.startedAt}) was releasing on ${journal.branch}, but HEAD is ${branch.code === 0 ? branch.stdout.trim() : 'detached'}`, {
      category: 'conflict',
      hint: `switch back with \`git switch ${journal.branch}\` and run it again`,
    });
  }
  const { stdout } = await git(['log', '--first-parent', '--reverse', `--format=${RECORD}%H${FIELD}%P${FIELD}%B`, '--end-of-options', `${journal.originalHead}..HEAD`, '--'], { cwd: root });
  const records = stdout.split(RECORD).slice(1).map((record) => record.split(FIELD));
  const commits: string[] = [];
  let parent = journal.originalHead;
  for (const [sha = '', parents = '', body = ''] of records) {
    const step = journal.steps[commits.length];
    if (step === undefined || parents.split(' ')[0] !== parent || cleanMessage(body) !== cleanMessage(step.message)) {
      throw new ShipgateError('EJOURNAL', `${journal.branch} has commits that the interrupted \`shipgate version\` (started ${journal.startedAt}) did not make (${sha.slice(0, 12)})`, {
        category: 'conflict',
        hint: `look at \`git log ${journal.originalHead.slice(0, 12)}..HEAD\`; when the repository is as you want it, delete .git/shipgate-journal.json`,
      });
    }
    commits.push(sha);
    parent = sha;
  }
  if (records.length === 0) {
    const head = (await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: root })).stdout.trim();
    if (head !== journal.originalHead) {
      throw new ShipgateError('EJOURNAL', `${journal.branch} moved since the interrupted \`shipgate version\` (started ${journal.startedAt}) began at ${journal.originalHead.slice(0, 12)}`, {
        category: 'conflict',
        hint: 'when the repository is as you want it, delete .git/shipgate-journal.json',
      });
    }
  }
  const tags = new Map((await readTags(root)).map((t) => [t.name, t.commit]));
  return { commits, tags };
}

/**
 * Refuses to go on when a file the journal writes holds text it never had: someone edited it after
 * the run was cut short, and finishing or undoing would overwrite that edit.
 */
export async function assertFilesAsLeft(root: string, journal: VersionJournal): Promise<void> {
  const known = new Map<string, Set<string | undefined>>();
  for (const edit of journal.steps.flatMap((s) => s.edits)) {
    const texts = known.get(edit.file) ?? new Set([edit.created ? undefined : edit.before]);
    texts.add(edit.after);
    known.set(edit.file, texts);
  }
  for (const [file, texts] of known) {
    const text = await readFile(path.join(root, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!texts.has(text)) {
      throw new ShipgateError('EJOURNAL', `changed after a \`shipgate version\` (started ${journal.startedAt}) was interrupted`, {
        category: 'conflict',
        where: file,
        hint: 'undo that change (e.g. `git stash`), then run `shipgate version` again to finish the release, or `shipgate version --abort` to drop it',
      });
    }
  }
}

/** Each file the journal touches once, with its text before the run (its first edit). */
function journalFiles(journal: VersionJournal): FileEdit[] {
  const first = new Map<string, FileEdit>();
  for (const edit of journal.steps.flatMap((s) => s.edits)) if (!first.has(edit.file)) first.set(edit.file, edit);
  return [...first.values()];
}

/** A message as `git commit -m` stores it: trailing spaces and surrounding blank lines dropped. */
function cleanMessage(text: string): string {
  return text.split('\n').map((line) => line.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
