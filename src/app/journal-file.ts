import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ShipgateError } from '../errors/shipgate-error.js';
import { removeTemporaries } from '../fs/write-file-atomic.js';
import type { FileEdit } from '../manifests/plan-file-edits.js';

/** One release commit of `shipgate version`: its files (with their text before and after), message and tag. */
export interface JournalStep {
  readonly component: string;
  readonly version: string;
  readonly tag: string;
  readonly message: string;
  readonly edits: readonly FileEdit[];
}

/**
 * Everything a `shipgate version` run is about to do, written before it changes anything, so that a
 * run killed at any moment can be finished (or undone) by the next one without planning again.
 */
export interface VersionJournal {
  readonly kind: 'version';
  readonly startedAt: string;
  readonly branch: string;
  readonly originalHead: string;
  readonly steps: readonly JournalStep[];
  readonly bundleTags: readonly { readonly tag: string; readonly message: string }[];
  /** 'undo' once an undo has begun: the next run completes the undo, never the release. */
  readonly direction: 'forward' | 'undo';
}

/** A `shipgate cherry-pick` run: the branch and where it started, to put it back if the run is cut short. */
export interface CherryPickJournal {
  readonly kind: 'cherry-pick';
  readonly startedAt: string;
  readonly branch: string;
  readonly start: string;
  readonly shas: readonly string[];
}

export type Journal = VersionJournal | CherryPickJournal;

export const JOURNAL_NAME = 'shipgate-journal.json';

export function journalPath(gitDir: string): string {
  return path.join(gitDir, JOURNAL_NAME);
}

/**
 * Writes the journal so that it is either there whole or not at all, even across a power loss:
 * a temporary file, flushed, renamed over, and the directory flushed so the rename itself lasts.
 */
export async function writeJournal(gitDir: string, journal: Journal): Promise<void> {
  const file = journalPath(gitDir);
  const temporary = path.join(gitDir, `.${JOURNAL_NAME}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(`${JSON.stringify({ format: 1, ...journal })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  await syncDirectory(gitDir);
}

export async function readJournal(gitDir: string): Promise<Journal | undefined> {
  const file = journalPath(gitDir);
  // A write cut short leaves only its temporary file; the journal itself is whole or absent.
  await removeTemporaries(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = parse(text);
  if (value === undefined) {
    throw new ShipgateError('EJOURNAL', `${file} is not a journal this shipgate can read`, {
      category: 'input',
      hint: 'it records an interrupted shipgate run; check `git status` and `git log`, put the repository right by hand, then delete the file',
    });
  }
  return value;
}

export async function removeJournal(gitDir: string): Promise<void> {
  await rm(journalPath(gitDir), { force: true });
  await syncDirectory(gitDir);
}

function parse(text: string): Journal | undefined {
  try {
    const value = JSON.parse(text) as { format?: unknown; kind?: unknown };
    return value.format === 1 && (value.kind === 'version' || value.kind === 'cherry-pick') ? (value as unknown as Journal) : undefined;
  } catch {
    return undefined;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot flush a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}
