import { existsSync } from 'node:fs';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { readInside } from '../fs/inside-repo.js';
import type { Component } from '../versioning/types.js';
import { asManifestError } from './manifest-problem.js';
import { updateCargoLock } from './updaters/cargo-lock.js';
import { updateCargoToml } from './updaters/cargo-toml.js';
import { updatePackageJsonRanges, updatePackageJsonVersion, type RangeEdit } from './updaters/package-json.js';
import { updatePackageLockVersion } from './updaters/package-lock.js';

/** One file's change: the path relative to the repository root and its text before and after. */
export interface FileEdit {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  /** The file does not exist yet (a first CHANGELOG.md); undoing the edit removes it. */
  readonly created?: boolean;
}

export interface VersionChange {
  readonly component: Component;
  readonly version: string;
  /** The ranges on other components its manifest rewrites (plan-dependents decides which). */
  readonly ranges?: readonly RangeEdit[];
}

/**
 * The file edits that set these components' versions: their manifests (the version, and the ranges
 * on other components the plan rewrites), the entries of a package-lock.json beside them and of a
 * workspace root's package-lock.json, and Cargo.lock. Only the manifests of the components being
 * released are written: a dependent that is not released keeps its files.
 * `read` returns a file's current text (earlier edits in the same run included), or undefined.
 */
export async function planFileEdits(root: string, changes: readonly VersionChange[], read: (file: string) => Promise<string | undefined> = readText(root)): Promise<FileEdit[]> {
  const edits = new Map<string, FileEdit>();
  const current = async (file: string) => edits.get(file)?.after ?? (await read(file));
  const edit = async (file: string, update: (text: string) => string) => {
    const before = await current(file);
    if (before === undefined) return;
    let after: string;
    try {
      after = update(before);
    } catch (error) {
      throw asManifestError(file, error) ?? error;
    }
    if (after !== before) edits.set(file, { file, before: edits.get(file)?.before ?? before, after });
  };

  for (const { component, version, ranges = [] } of changes) {
    const manifest = component.manifest;
    if (manifest === null) continue;
    if (manifest.endsWith('package.json')) {
      await edit(manifest, (text) => updatePackageJsonRanges(updatePackageJsonVersion(text, version), ranges));
      await edit(path.posix.join(component.path, 'package-lock.json'), (text) => updatePackageLockVersion(text, version, null, ranges));
      if (component.path !== '') await edit('package-lock.json', (text) => updatePackageLockVersion(text, version, component.path, ranges));
    } else if (manifest.endsWith('Cargo.toml')) {
      await edit(manifest, (text) => updateCargoToml(text, version, ranges));
      const lock = await nearestFile(root, component.path, 'Cargo.lock');
      if (lock !== undefined) await edit(lock, (text) => updateCargoLock(text, crateName(component), version));
    }
  }
  return [...edits.values()];
}

function crateName(component: Component): string {
  return component.packageName ?? component.name;
}

async function nearestFile(root: string, dir: string, name: string): Promise<string | undefined> {
  let current = dir;
  for (;;) {
    const candidate = path.posix.join(current, name);
    if (existsSync(path.join(root, candidate))) return candidate;
    if (current === '' || current === '.') return undefined;
    current = path.posix.dirname(current) === '.' ? '' : path.posix.dirname(current);
  }
}

/** A file of the repository, or undefined when there is none; never one outside it (a symlinked manifest or lock). */
export function readText(root: string, what = 'the file to edit'): (file: string) => Promise<string | undefined> {
  return async (file) => {
    try {
      return await readInside(root, file, what);
    } catch (error) {
      if (error instanceof ShipgateError) throw error;
      throw errors.fileUnreadable(file, error);
    }
  };
}

/** Changed lines of an edit, for --dry-run: `file:line: - old` / `+ new`, common head and tail lines left out. */
export function describeEdit(edit: FileEdit): string[] {
  const before = edit.before === '' && edit.created ? [] : edit.before.split('\n');
  const after = edit.after.split('\n');
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head += 1;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail += 1;
  const removed = before.slice(head, before.length - tail).map((line, i) => `${edit.file}:${head + i + 1}: - ${line.trim()}`);
  const added = after.slice(head, after.length - tail).map((line, i) => `${edit.file}:${head + i + 1}: + ${line.trim()}`);
  return [...removed, ...added];
}
