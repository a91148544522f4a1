import semver from '../versioning/semver.js';
import type { DeclaredDependencies } from '../versioning/types.js';
import { ManifestProblem } from './manifest-problem.js';
import { scanJson, type JsonPath } from './scan-json.js';
import { scanToml } from './scan-toml.js';
import { toml } from './toml.js';

export interface ManifestInfo {
  readonly name: string | null;
  readonly version: string | null;
  /** Dependencies by package name, with the directory of path dependencies (Cargo) when given. */
  readonly dependencies: readonly ManifestDependency[];
  readonly declared: DeclaredDependencies;
}

export interface ManifestDependency {
  /** The package or crate depended on (a renamed crate's `package`). */
  readonly name: string;
  readonly path: string | null;
  /** The table it is listed in (['devDependencies'], ['target', 'cfg(unix)', 'dependencies']) and its key there. */
  readonly table: readonly string[];
  readonly key: string;
  /** The range or requirement as written (a Cargo table's `version`); null when there is none. */
  readonly range: string | null;
}

/** Where a problem at a key path is: a position in the text, or the start of the file. */
type Locate = (path: readonly (string | number)[]) => number;

/**
 * Reads name, version and dependencies from a package.json text. Every field shipgate reads is
 * checked for its type, so a `"version": 1` or a number where a range belongs is a clear error with
 * its position instead of a crash later; duplicate keys are refused (npm reads the last one).
 */
export function readPackageJson(text: string): ManifestInfo {
  const { data, offsetOf } = scanJson(text, 'package.json');
  const locate: Locate = (path) => offsetOf(path) ?? 0;
  const fail = (path: JsonPath, message: string): never => {
    throw ManifestProblem.at(text, locate(path), message);
  };
  if (!isTable(data)) return fail([], 'package.json must hold a JSON object');
  const dependencies = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => {
    const map = data[field];
    if (map === undefined) return [];
    if (!isTable(map)) return fail([field], `"${field}" must be an object of package names and version ranges, not ${describe(map)}`);
    for (const [name, range] of Object.entries(map)) {
      if (typeof range !== 'string') fail([field, name], `"${field}.${name}" must be a version range string, not ${describe(range)}`);
    }
    return Object.entries(map as Record<string, string>).map(([name, range]) => ({ name, path: null, table: [field], key: name, range }));
  });
  return {
    name: optionalString(data, ['name'], locate, text),
    version: optionalVersion(data, ['version'], locate, text),
    dependencies,
    declared: readDeclared(data['shipgate'], ['shipgate'], locate, text),
  };
}

const CARGO_DEPENDENCY_TABLES = ['dependencies', 'dev-dependencies', 'build-dependencies'] as const;

/** Reads [package] name and version and the dependencies (all targets) from a Cargo.toml text, each checked for its type. */
export function readCargoToml(text: string): ManifestInfo {
  const data = toml().parse(text) as Record<string, unknown>;
  const { values, headers } = scanToml(text);
  const locate: Locate = (path) => {
    const key = path.map(String);
    const same = (other: readonly string[]) => other.length === key.length && other.every((segment, index) => segment === key[index]);
    return values.find((value) => same(value.path))?.keyStart ?? headers.find((header) => same(header.path))?.start ?? 0;
  };
  const fail = (path: readonly (string | number)[], message: string): never => {
    throw ManifestProblem.at(text, locate(path), message);
  };
  const pkg = data['package'] ?? {};
  if (!isTable(pkg)) return fail(['package'], `"package" must be a table, not ${describe(pkg)}`);
  const tables: { path: string[]; table: unknown }[] = CARGO_DEPENDENCY_TABLES.map((key) => ({ path: [key], table: data[key] }));
  const target = data['target'];
  if (target !== undefined && !isTable(target)) fail(['target'], `"target" must be a table, not ${describe(target)}`);
  for (const [platform, spec] of Object.entries(isTable(target) ? target : {})) {
    if (!isTable(spec)) fail(['target', platform], `"target.${platform}" must be a table, not ${describe(spec)}`);
    else tables.push(...CARGO_DEPENDENCY_TABLES.map((key) => ({ path: ['target', platform, key], table: spec[key] })));
  }
  const dependencies: ManifestDependency[] = [];
  for (const { path: tablePath, table } of tables) {
    if (table === undefined) continue;
    if (!isTable(table)) fail(tablePath, `"${tablePath.join('.')}" must be a table, not ${describe(table)}`);
    for (const [name, spec] of Object.entries(table as Record<string, unknown>)) {
      const at = [...tablePath, name];
      if (typeof spec === 'string') {
        dependencies.push({ name, path: null, table: tablePath, key: name, range: spec });
        continue;
      }
      if (!isTable(spec)) return fail(at, `dependency "${name}" must be a version string or a table, not ${describe(spec)}`);
      const path = optionalString(spec, [...at, 'path'], locate, text, ['path']);
      const renamed = optionalString(spec, [...at, 'package'], locate, text, ['package']);
      const range = optionalString(spec, [...at, 'version'], locate, text, ['version']);
      dependencies.push({ name: renamed ?? name, path, table: tablePath, key: name, range });
    }
  }
  const metadata = pkg['metadata'];
  if (metadata !== undefined && !isTable(metadata)) fail(['package', 'metadata'], `"package.metadata" must be a table, not ${describe(metadata)}`);
  return {
    name: optionalString(pkg, ['package', 'name'], locate, text, ['name']),
    // `version.workspace = true` inherits the workspace's version: this crate carries none of its own.
    version: isTable(pkg['version']) && pkg['version']['workspace'] === true ? null : optionalVersion(pkg, ['package', 'version'], locate, text, ['version']),
    dependencies,
    declared: readDeclared(isTable(metadata) ? metadata['shipgate'] : undefined, ['package', 'metadata', 'shipgate'], locate, text),
  };
}

/** `shipgate` in package.json, `package.metadata.shipgate` in Cargo.toml: `requires` and `compatible`, each names to range strings. */
function readDeclared(value: unknown, path: readonly string[], locate: Locate, text: string): DeclaredDependencies {
  if (value === undefined) return {};
  const fail = (at: readonly string[], message: string): never => {
    throw ManifestProblem.at(text, locate(at), message);
  };
  const name = path.join('.');
  if (!isTable(value)) return fail(path, `"${name}" must be an object with "requires" and "compatible", not ${describe(value)}`);
  const declared: { requires?: Record<string, string>; compatible?: Record<string, string> } = {};
  for (const [key, ranges] of Object.entries(value)) {
    if (key !== 'requires' && key !== 'compatible') return fail([...path, key], `unknown key "${key}" in "${name}" (known: requires, compatible)`);
    if (!isTable(ranges)) return fail([...path, key], `"${name}.${key}" must be an object of component names and version ranges, not ${describe(ranges)}`);
    for (const [component, range] of Object.entries(ranges)) {
      if (typeof range !== 'string') fail([...path, key, component], `"${name}.${key}.${component}" must be a version range string such as "^3.1.0", not ${describe(range)}`);
    }
    declared[key] = { ...(ranges as Record<string, string>) };
  }
  return declared;
}

function optionalString(table: Record<string, unknown>, path: readonly string[], locate: Locate, text: string, key: readonly string[] = path): string | null {
  const value = table[key[key.length - 1] as string];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw ManifestProblem.at(text, locate(path), `"${path.join('.')}" must be a string, not ${describe(value)}`);
  return value;
}

function optionalVersion(table: Record<string, unknown>, path: readonly string[], locate: Locate, text: string, key: readonly string[] = path): string | null {
  const version = optionalString(table, path, locate, text, key);
  if (version !== null && semver.valid(version) === null) throw ManifestProblem.at(text, locate(path), `"${path.join('.')}" is "${version}", which is not a SemVer version such as 1.2.3`);
  return version;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
