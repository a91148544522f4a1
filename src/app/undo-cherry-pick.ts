import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from '../git/run-git.js';
import type { CherryPickJournal } from './journal-file.js';

const RECORD = '\u001e';

/**
 * Puts the branch of an interrupted `shipgate cherry-pick` back where the run started, as a conflict
 * does: a run applies all its commits or none. Only when every commit since the start is one of the
 * run's picks; anything else is someone's work, and it is left alone.
 */
export async function undoCherryPick(root: string, journal: CherryPickJournal): Promise<void> {
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root, okCodes: [1, 128] });
  if (branch.code !== 0 || branch.stdout.trim() !== journal.branch) {
    throw new ShipgateError('EJOURNAL', `an interrupted \`shipgate cherry-pick\` (started ${journal.startedAt}) was picking onto ${journal.branch}, but HEAD is ${branch.code === 0 ? branch.stdout.trim() : 'detached'}`, {
      category: 'conflict',
      hint: `switch back with \`git switch ${journal.branch}\` and run the command again`,
    });
  }
  // A pick stopped half-way (killed, or in conflict) is abandoned first; none in progress is no error.
  await git(['cherry-pick', '--abort'], { cwd: root, okCodes: [1, 128] });
  const { stdout } = await git(['log', '--first-parent', `--format=${RECORD}%B`, '--end-of-options', `${journal.start}..HEAD`, '--'], { cwd: root });
  const picked = new Set(journal.shas);
  const foreign = stdout.split(RECORD).slice(1).some((body) => {
    const origin = /\(cherry picked from commit ([0-9a-f]+)\)\s*$/.exec(body)?.[1];
    return origin === undefined || !picked.has(origin);
  });
  const ancestor = await git(['merge-base', '--is-ancestor', '--end-of-options', journal.start, 'HEAD'], { cwd: root, okCodes: [1] });
  if (foreign || ancestor.code !== 0) {
    throw new ShipgateError('EJOURNAL', `${journal.branch} has commits that the interrupted \`shipgate cherry-pick\` (started ${journal.startedAt}) did not make`, {
      category: 'conflict',
      hint: `look at \`git log ${journal.start.slice(0, 12)}..HEAD\`; when the branch is as you want it, delete .git/shipgate-journal.json`,
    });
  }
  // The work tree was clean when the run began (it refuses otherwise), so a hard reset loses nothing of the user's.
  await git(['reset', '--quiet', '--hard', journal.start, '--'], { cwd: root });
}
