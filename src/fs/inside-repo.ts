import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ShipgateError } from '../errors/shipgate-error.js';

/**
 * Every file shipgate reads or writes for a repository (notes files, manifests, CHANGELOG.md, reports,
 * CODEOWNERS, the SQLite store) must be inside it: a policy that names `../secret` or a checked-in
 * symlink to /proc/self/environ must not put another file's text into release notes or a commit.
 * The check is on the real path (symlinks resolved), so a link that stays inside the repository is fine.
 */
export function resolveInside(root: string, file: string, what: string): string {
  const realRoot = realpathOrSelf(root);
  const target = path.resolve(root, file);
  // A file that does not exist yet (a first CHANGELOG.md, a new store) is judged by its nearest existing ancestor.
  let existing = target;
  let rest = '';
  while (!exists(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest = rest === '' ? path.basename(existing) : path.join(path.basename(existing), rest);
    existing = parent;
  }
  const real = path.join(realpathOrSelf(existing), rest);
  if (!isWithin(realRoot, real)) throw outside(root, file, what, real);
  return target;
}

/** A file's text, or undefined when it does not exist; a path leaving the repository is refused. */
export async function readInside(root: string, file: string, what: string): Promise<string | undefined> {
  const target = resolveInside(root, file, what);
  try {
    return await readFile(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function isWithin(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

function outside(root: string, file: string, what: string, real: string): ShipgateError {
  const shown = path.isAbsolute(file) ? file : path.relative(root, path.resolve(root, file)) || file;
  const via = real === path.resolve(root, file) ? '' : ` (it resolves to ${real})`;
  return new ShipgateError('EOUTSIDE', `${what} "${shown}" is outside the repository${via}`, {
    category: 'input',
    hint: 'name a file inside the repository; shipgate does not read or write files outside it, nor follow symlinks out of it',
  });
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function realpathOrSelf(file: string, depth = 0): string {
  try {
    return realpathSync(file);
  } catch {
    // A dangling symlink is judged by where it points: a file created there later would be read through it.
    if (depth < 40 && lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
      const target = path.resolve(path.dirname(file), readlinkSync(file));
      const parent = path.dirname(target);
      return path.join(parent === target ? parent : realpathOrSelf(parent, depth + 1), path.basename(target));
    }
    return path.resolve(file);
  }
}
