import { scanJson } from '../scan-json.js';
import type { RangeEdit } from './package-json.js';

type Entry = Record<string, unknown>;

/**
 * Sets a package's version in a package-lock.json: the root entries ("version" and packages[""])
 * for the lock beside the package, or packages["<dir>"] in a workspace root's lock. npm writes locks
 * with JSON.stringify(…, 2) and a newline, so re-serialising keeps the file as npm would.
 * The package's entry also holds a copy of its manifest's dependency ranges: the same range edits
 * are made there, so the lock stays what `npm install` writes for the edited manifest.
 */
export function updatePackageLockVersion(text: string, version: string, workspacePath: string | null, ranges: readonly RangeEdit[] = []): string {
  const lock = scanJson(text, 'package-lock.json').data;
  if (!isEntry(lock)) return text;
  const packages = isEntry(lock['packages']) ? lock['packages'] : {};
  if (workspacePath === null) {
    if (lock['version'] !== undefined) lock['version'] = version;
    const root = packages[''];
    if (isEntry(root) && root['version'] !== undefined) root['version'] = version;
    if (isEntry(root)) setRanges(root, ranges);
  } else {
    const entry = Object.hasOwn(packages, workspacePath) ? packages[workspacePath] : undefined;
    if (!isEntry(entry)) return text;
    entry['version'] = version;
    setRanges(entry, ranges);
  }
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return `${JSON.stringify(lock, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}

function setRanges(entry: Entry, ranges: readonly RangeEdit[]): void {
  for (const { table, key, from, to } of ranges) {
    const dependencies = entry[table[0] as string];
    if (isEntry(dependencies) && Object.hasOwn(dependencies, key) && dependencies[key] === from) dependencies[key] = to;
  }
}

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
