import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { compileGlob } from '../policy/glob.js';
import type { Policy } from '../policy/schema.js';
import type { Component } from '../versioning/types.js';
import { asManifestError } from './manifest-problem.js';
import { readText } from './plan-file-edits.js';
import { readCargoToml, readPackageJson, type ManifestDependency, type ManifestInfo } from './read-manifest.js';

const SKIP = new Set(['node_modules', 'target', '.git', 'dist']);

export interface Discovery {
  readonly components: Component[];
  readonly warnings: string[];
}

/** Finds the policy's components in a checkout: each kind's path globs, each directory's manifest. */
export async function discoverComponents(root: string, policy: Policy): Promise<Discovery> {
  const found: (Component & { dependencies: readonly ManifestDependency[] })[] = [];
  const warnings: string[] = [];
  for (const [kind, spec] of Object.entries(policy.components)) {
    for (const glob of spec.paths) {
      for (const dir of await expandDirectories(root, glob)) {
        const manifestFile = spec.manifest === null ? null : path.posix.join(dir, spec.manifest);
        let info: ManifestInfo = { name: null, version: null, dependencies: [], declared: {} };
        if (manifestFile !== null) {
          if (!existsSync(path.join(root, manifestFile))) {
            warnings.push(`${dir || '.'} matches ${kind} path "${glob}" but has no ${spec.manifest}: not a component`);
            continue;
          }
          info = await readManifest(root, manifestFile);
          if (info.version === null) warnings.push(`${manifestFile} has no version`);
        }
        const name = dir === '' ? unscoped(info.name ?? path.basename(root)) : path.posix.basename(dir);
        found.push({
          name,
          kind,
          path: dir,
          manifest: manifestFile,
          version: info.version,
          localDependencies: [],
          packageName: info.name,
          declared: info.declared,
          dependencies: info.dependencies.map((d) => (d.path === null ? d : { ...d, path: path.posix.normalize(path.posix.join(dir, d.path)) })),
        });
      }
    }
  }
  const byPackage = new Map(found.filter((c) => c.packageName).map((c) => [c.packageName as string, c.name]));
  const byPath = new Map(found.map((c) => [c.path, c.name]));
  const npmPackages = new Map(found.filter((c) => c.packageName && c.manifest?.endsWith('package.json')).map((c) => [c.packageName as string, c.name]));
  const components = found.map(({ dependencies, ...component }) => {
    const ecosystem = component.manifest?.endsWith('Cargo.toml') ? 'cargo' : 'npm';
    // A crate is ours through its path (a registry requirement of the same name is the published one); an npm package through its name.
    const target = (d: ManifestDependency) => (ecosystem === 'cargo' ? (d.path === null ? undefined : byPath.get(d.path)) : npmPackages.get(d.name));
    const dependencyRanges = dependencies.flatMap((d) => {
      const other = target(d);
      return other === undefined || other === component.name || d.range === null ? [] : [{ component: other, ecosystem, table: d.table, key: d.key, range: d.range } as const];
    });
    return {
      ...component,
      localDependencies: [...new Set([...dependencies.flatMap((d) => byPackage.get(d.name) ?? []), ...dependencies.flatMap((d) => (d.path === null ? [] : (byPath.get(d.path) ?? [])))])].filter((n) => n !== component.name),
      ...(dependencyRanges.length > 0 ? { dependencyRanges } : {}),
    };
  });
  const names = new Map<string, string>();
  for (const component of components) {
    const key = `${component.kind}:${component.name}`;
    if (names.has(key)) throw new ShipgateError('ECOMPONENT', `two ${component.kind} components are named "${component.name}" (${names.get(key)} and ${component.path})`, { category: 'input', hint: 'component names must be unique per kind: rename one directory' });
    names.set(key, component.path);
  }
  return { components, warnings };
}

/** Directories matching a glob with `*` and `?` segments (as freeze reads them), relative to root, sorted. "." is the root itself. */
async function expandDirectories(root: string, glob: string): Promise<string[]> {
  const clean = glob.replace(/^\.\/?/, '').replace(/\/$/, '');
  if (clean === '') return [''];
  let current = [''];
  for (const segment of clean.split('/')) {
    const next: string[] = [];
    for (const dir of current) {
      if (!/[*?]/.test(segment)) {
        const candidate = path.posix.join(dir, segment);
        if (existsSync(path.join(root, candidate))) next.push(candidate);
        continue;
      }
      const pattern = compileGlob(segment);
      const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory() && !SKIP.has(entry.name) && !entry.name.startsWith('.') && pattern.test(entry.name)) next.push(path.posix.join(dir, entry.name));
      }
    }
    current = next;
  }
  return current.sort();
}

async function readManifest(root: string, file: string): Promise<ManifestInfo> {
  const text = await readText(root, 'the manifest')(file);
  if (text === undefined) throw errors.fileUnreadable(file, Object.assign(new Error('no such file'), { code: 'ENOENT' }));
  try {
    return file.endsWith('.toml') ? readCargoToml(text) : readPackageJson(text);
  } catch (error) {
    throw asManifestError(file, error) ?? error;
  }
}

function unscoped(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}
