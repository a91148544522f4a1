import { git } from '../git/run-git.js';

/**
 * What every ref of a clone points at (HEAD, branches, remote branches, tags peeled to their commits),
 * as one text: two equal texts mean that every git read by ref or by sha answers the same, because
 * git's objects never change. Read with one `git show-ref`; a caller that allows `maxAgeMs` shares a
 * read that young (a server under load spawns one git a second instead of one per request), and this
 * process's own ref moves (fetchClone) end the sharing at once.
 */
const reads = new Map<string, { at: number; value: Promise<string> }>();

export function readRefState(cwd: string, maxAgeMs = 0): Promise<string> {
  const now = performance.now();
  const shared = reads.get(cwd);
  if (shared !== undefined && now - shared.at <= maxAgeMs) return shared.value;
  const value = git(['show-ref', '--head', '--dereference'], { cwd, okCodes: [1] }).then(({ stdout }) => stdout);
  const entry = { at: now, value };
  reads.set(cwd, entry);
  value.catch(() => {
    if (reads.get(cwd) === entry) reads.delete(cwd);
  });
  return value;
}

/** How many times this process moved the clone's refs: what a read shared across requests is also keyed by. */
const moves = new Map<string, number>();

export function refMoves(cwd: string): number {
  return moves.get(cwd) ?? 0;
}

/** After this process moved refs of the clone (a fetch): the next read asks git again. */
export function refsMoved(cwd: string): void {
  reads.delete(cwd);
  moves.set(cwd, refMoves(cwd) + 1);
}
