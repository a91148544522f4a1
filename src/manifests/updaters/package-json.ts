import { isDeepStrictEqual } from 'node:util';
import { ManifestProblem } from '../manifest-problem.js';
import { scanJson } from '../scan-json.js';

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

function stringEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  return end + 1;
}
