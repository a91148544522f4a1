import { isDeepStrictEqual } from 'node:util';
import { ManifestProblem } from '../manifest-problem.js';
import { isTable } from '../read-manifest.js';
import { scanToml, type TomlValue } from '../scan-toml.js';
import { toml } from '../toml.js';
import type { RangeEdit } from './package-json.js';

type Table = Record<string, unknown>;

/**
 * Cargo.toml edits that keep comments, spacing and key order: the [package] version, and the version
 * requirements of path dependencies that the plan rewrites (so `cargo publish` sees a matching
 * version). Each value is found where TOML allows it to be written (a `[package]` table, a quoted
 * `["package"]`, dotted `package.version`, an inline `package = { … }`; `[dependencies]` entries,
 * `[dependencies.core]` tables, dotted `core.version`, target-specific tables) and only its string
 * is replaced. The result is parsed again and must equal the original with exactly those values
 * changed, or nothing is written.
 */
export function updateCargoToml(text: string, version: string | null, ranges: readonly RangeEdit[] = []): string {
  const before = toml().parse(text) as Table;
  const expected = toml().parse(text) as Table;
  const { values, headers } = scanToml(text);
  const splices: { value: TomlValue; content: string }[] = [];
  const find = (path: readonly string[]) => values.find((value) => samePath(value.path, path));

  if (version !== null) {
    const written = find(['package', 'version']);
    const pkg = before['package'];
    const current = isTable(pkg) ? pkg['version'] : undefined;
    if (isTable(current) && current['workspace'] === true) {
      const at = written ?? values.find((value) => value.path[0] === 'package' && value.path[1] === 'version');
      throw ManifestProblem.at(text, at?.keyStart ?? 0, 'the crate inherits its version from the workspace (version.workspace = true); shipgate versions each crate on its own: give [package] its own version = "x.y.z"');
    }
    if (written === undefined) {
      const table = headers.find((header) => samePath(header.path, ['package']))?.start ?? find(['package'])?.keyStart ?? 0;
      throw ManifestProblem.at(text, table, 'Cargo.toml has no [package] version to set: add version = "x.y.z"');
    }
    splices.push({ value: written, content: version });
    setPath(expected, ['package', 'version'], version);
  }

  for (const { table, key, from, to } of ranges) {
    const path = [...table, key, 'version'];
    const written = find(path);
    if (written === undefined || getPath(before, path) !== from) {
      throw ManifestProblem.at(text, written?.keyStart ?? 0, `${path.join('.')} is ${JSON.stringify(getPath(before, path) ?? null)}, not the "${from}" the plan read: plan again`);
    }
    splices.push({ value: written, content: to });
    setPath(expected, path, to);
  }

  let after = text;
  for (const { value, content } of [...splices].sort((a, b) => b.value.start - a.value.start)) {
    if (value.kind !== 'string' || /["'\\\n\r]/.test(content)) {
      throw ManifestProblem.at(text, value.keyStart, `${value.path.join('.')} must be written as a one-line string such as "1.2.3" for shipgate to set it`);
    }
    const quote = text[value.start] as string;
    after = `${after.slice(0, value.start)}${quote}${content}${quote}${after.slice(value.end)}`;
  }
  if (!isDeepStrictEqual(parseEdited(after), expected)) {
    throw ManifestProblem.at(text, splices[0]?.value.keyStart ?? 0, 'cannot set the version here without changing something else: write it as a plain version = "x.y.z"');
  }
  return after;
}

function parseEdited(text: string): unknown {
  try {
    return toml().parse(text);
  } catch {
    return undefined;
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

function getPath(table: Table, path: readonly string[]): unknown {
  let current: unknown = table;
  for (const segment of path) current = isTable(current) && Object.hasOwn(current, segment) ? current[segment] : undefined;
  return current;
}

function setPath(table: Table, path: readonly string[], value: string): void {
  const parent = getPath(table, path.slice(0, -1));
  if (isTable(parent)) parent[path[path.length - 1] as string] = value;
}
