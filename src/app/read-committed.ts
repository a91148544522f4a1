import path from 'node:path';
import { ShipgateError } from '../errors/shipgate-error.js';
import { isWithin } from '../fs/inside-repo.js';
import { git } from '../git/run-git.js';

export interface CommittedFile {
  /** The candidate it was found as (relative to the working directory). */
  readonly file: string;
  readonly text: string;
}

/**
 * The first of `candidates` (paths relative to `cwd`) that `commit` holds, read from git's objects and
 * never from the working tree, so neither a local edit nor a symlink in the working tree changes it.
 * Undefined when the commit holds none. A committed symlink is refused: its text is where it points.
 */
export async function readCommittedFile(cwd: string, commit: string, candidates: readonly string[], what: string): Promise<CommittedFile | undefined> {
  const wanted = candidates.map((candidate) => {
    if (!isWithin(path.resolve(cwd), path.resolve(cwd, candidate))) {
      throw new ShipgateError('EOUTSIDE', `${what} "${candidate}" is outside the repository`, { category: 'input', hint: 'name a file inside the repository' });
    }
    return { candidate, entry: path.posix.normalize(candidate.split(path.sep).join('/')) };
  });
  if (wanted.length === 0) return undefined;
  // ls-tree prints the entries it finds relative to cwd, as the candidates are.
  const { stdout } = await git(['ls-tree', '-z', '--end-of-options', commit, '--', ...wanted.map((w) => w.entry)], { cwd });
  const entries = new Map<string, { mode: string; type: string; oid: string }>();
  for (const record of stdout.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', oid = ''] = record.slice(0, tab).split(' ');
    entries.set(record.slice(tab + 1), { mode, type, oid });
  }
  for (const { candidate, entry } of wanted) {
    const found = entries.get(entry);
    if (found === undefined || found.type !== 'blob') continue;
    if (found.mode === '120000') {
      throw new ShipgateError('ESYMLINK', `${what} "${candidate}" is committed as a symlink`, { category: 'input', hint: 'commit the file itself; shipgate reads it as committed and does not follow symlinks' });
    }
    const { stdout: text } = await git(['cat-file', 'blob', '--end-of-options', found.oid], { cwd });
    return { file: candidate, text };
  }
  return undefined;
}
