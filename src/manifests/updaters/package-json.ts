import { isDeepStrictEqual } from 'node:util';
import { ManifestProblem } from '../manifest-problem.js';
import { scanJson } from '../scan-json.js';

/** A dependency range to replace: where it is written (['peerDependencies'] and the package name), what it says, what it becomes. */
export interface RangeEdit {
  readonly table: readonly string[];
  readonly key: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Sets the top-level "version" of a package.json text, leaving every other byte as it was (key
 * order, indentation, a trailing newline, even unusual spacing). Nested "version" keys (in
 * "engines" or "publishConfig") are left alone. The result is parsed again and must differ from the
 * original in that one value, or nothing is written.
 */
export function updatePackageJsonVersion(text: string, version: string): string {
  const { data, offsetOf } = scanJson(text, 'package.json');
  const start = offsetOf(['version']);
  const current = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['version'] : undefined;
  if (start === undefined || current === undefined) throw new ManifestProblem('package.json has no top-level "version" string to set');
  if (typeof current !== 'string') throw ManifestProblem.at(text, start, `"version" must be a string, not ${JSON.stringify(current)}`);
  const end = stringEnd(text, start);
  const after = `${text.slice(0, start)}${JSON.stringify(version)}${text.slice(end)}`;
  if (!isDeepStrictEqual(JSON.parse(after), { ...(data as Record<string, unknown>), version })) {
    throw ManifestProblem.at(text, start, 'cannot set "version" here without changing something else: write it as a plain "x.y.z" string');
  }
  return after;
}

/**
 * Replaces dependency ranges ("dependencies", "devDependencies", "peerDependencies",
 * "optionalDependencies") in place, each only if it still says what the plan read, and checks the
 * result the same way as the version.
 */
export function updatePackageJsonRanges(text: string, edits: readonly RangeEdit[]): string {
  if (edits.length === 0) return text;
  const { data, offsetOf } = scanJson(text, 'package.json');
  const expected = structuredClone(data) as Record<string, Record<string, unknown>>;
  const splices: { start: number; end: number; to: string }[] = [];
  for (const edit of edits) {
    const path = [...edit.table, edit.key];
    const start = offsetOf(path);
    const table = expected[edit.table[0] as string];
    const current = typeof table === 'object' && table !== null && Object.hasOwn(table, edit.key) ? table[edit.key] : undefined;
    if (start === undefined || current !== edit.from) {
      throw ManifestProblem.at(text, start ?? 0, `"${path.join('.')}" is ${JSON.stringify(current)}, not the ${JSON.stringify(edit.from)} the plan read: plan again`);
    }
    (table as Record<string, unknown>)[edit.key] = edit.to;
    splices.push({ start, end: stringEnd(text, start), to: JSON.stringify(edit.to) });
  }
  let after = text;
  for (const { start, end, to } of splices.sort((a, b) => b.start - a.start)) after = `${after.slice(0, start)}${to}${after.slice(end)}`;
  if (!isDeepStrictEqual(JSON.parse(after), expected)) throw new ManifestProblem('cannot set the dependency ranges without changing something else');
  return after;
}

function stringEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  return end + 1;
}
