import { parse as parseToml } from 'smol-toml';
import type { DeclaredDependencies } from '../versioning/types.js';

export interface ManifestInfo {
  readonly name: string | null;
  readonly version: string | null;
  /** Dependencies by package name, with the directory of path dependencies (Cargo) when given. */
  readonly dependencies: readonly { readonly name: string; readonly path: string | null }[];
  readonly declared: DeclaredDependencies;
}

/** Reads name, version and dependencies from a package.json text. Throws a message on invalid JSON. */
export function readPackageJson(text: string): ManifestInfo {
  const data = JSON.parse(text) as Record<string, unknown>;
  const dependencies = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
    Object.keys((data[field] as Record<string, string> | undefined) ?? {}).map((name) => ({ name, path: null })),
  );
  return {
    name: typeof data['name'] === 'string' ? data['name'] : null,
    version: typeof data['version'] === 'string' ? data['version'] : null,
    dependencies,
    declared: (data['shipgate'] as DeclaredDependencies | undefined) ?? {},
  };
}

/** Reads [package] name and version and path dependencies from a Cargo.toml text. */
export function readCargoToml(text: string): ManifestInfo {
  const data = parseToml(text) as Record<string, unknown>;
  const pkg = (data['package'] as Record<string, unknown> | undefined) ?? {};
  const dependencies: { name: string; path: string | null }[] = [];
  const tables = ['dependencies', 'dev-dependencies', 'build-dependencies'].map((key) => data[key] as Record<string, unknown> | undefined);
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table ?? {})) {
      const path = typeof spec === 'object' && spec !== null && typeof (spec as Record<string, unknown>)['path'] === 'string' ? ((spec as Record<string, string>)['path'] as string) : null;
      const renamed = typeof spec === 'object' && spec !== null && typeof (spec as Record<string, unknown>)['package'] === 'string' ? (spec as Record<string, string>)['package'] as string : name;
      dependencies.push({ name: renamed, path });
    }
  }
  return {
    name: typeof pkg['name'] === 'string' ? pkg['name'] : null,
    version: typeof pkg['version'] === 'string' ? pkg['version'] : null,
    dependencies,
    declared: ((pkg['metadata'] as { shipgate?: DeclaredDependencies } | undefined)?.shipgate) ?? {},
  };
}
