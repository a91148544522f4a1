import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestProblem } from '../manifest-problem.js';
import { updateCargoLock } from './cargo-lock.js';
import { updateCargoToml } from './cargo-toml.js';
import { rewriteRange } from '../../versioning/dependency-range.js';
import { readCargoToml, readPackageJson, type ManifestDependency } from '../read-manifest.js';
import { updatePackageJsonRanges, updatePackageJsonVersion, type RangeEdit } from './package-json.js';
import { updatePackageLockVersion } from './package-lock.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/manifests/${name}`, import.meta.url), 'utf8');

/** The edits shipgate plans for these dependencies' new versions (path crates only, forms it can rewrite), applied by the updater. */
function rewriteCargo(text: string, versions: Record<string, string>, version: string | null = null): string {
  return updateCargoToml(text, version, plannedEdits(readCargoToml(text).dependencies.filter((d) => d.path !== null), 'cargo', versions));
}

function rewritePackageJson(text: string, versions: Record<string, string>): string {
  return updatePackageJsonRanges(text, plannedEdits(readPackageJson(text).dependencies, 'npm', versions));
}

function plannedEdits(dependencies: readonly ManifestDependency[], ecosystem: 'npm' | 'cargo', versions: Record<string, string>): RangeEdit[] {
  return dependencies.flatMap(({ name, table, key, range }) => {
    const version = versions[name];
    const to = version === undefined || range === null ? null : rewriteRange({ component: name, ecosystem, table, key, range }, version);
    return to === null || range === null || to === range ? [] : [{ table, key, from: range, to }];
  });
}

describe('package.json', () => {
  it('changes only the top-level version, keeping spacing, nested versions and escapes', () => {
    const before = fixture('package.json');
    const after = updatePackageJsonVersion(before, '2.1.0');
    expect(after).toBe(before.replace('"version":"2.0.0"', '"version":"2.1.0"'));
    expect(JSON.parse(after).engines.version).toBe('keep');
  });

  it('refuses a package.json without a version', () => {
    expect(() => updatePackageJsonVersion('{ "name": "x", "engines": { "version": "1" } }', '1.0.0')).toThrow(/no top-level "version"/);
  });
});

describe('package-lock.json', () => {
  const lock = `${JSON.stringify({ name: 'billing', version: '2.0.0', lockfileVersion: 3, packages: { '': { name: 'billing', version: '2.0.0' }, 'node_modules/x': { version: '2.0.0' }, 'modules/billing': { version: '2.0.0' } } }, null, 2)}\n`;

  it('updates the root entries of the lock beside the package', () => {
    const after = JSON.parse(updatePackageLockVersion(lock, '2.1.0', null));
    expect([after.version, after.packages[''].version, after.packages['node_modules/x'].version]).toEqual(['2.1.0', '2.1.0', '2.0.0']);
  });

  it('updates the workspace entry in a root lock and keeps npm\'s formatting', () => {
    const text = updatePackageLockVersion(lock, '2.1.0', 'modules/billing');
    expect(text).toBe(lock.replace('"modules/billing": {\n      "version": "2.0.0"', '"modules/billing": {\n      "version": "2.1.0"'));
  });
});

describe('Cargo.toml', () => {
  it('changes [package] version and the requirements on released path crates, keeping comments and operators', () => {
    const after = rewriteCargo(fixture('Cargo.toml'), { crypto: '0.4.0', audit: '2.0.1', tokens: '1.2.0', serde: '9.9.9' }, '1.5.0');
    expect(after).toBe(
      fixture('Cargo.toml')
        .replace('version = "1.4.0" # bumped by shipgate', 'version = "1.5.0" # bumped by shipgate')
        .replace('version = "^0.3.1"', 'version = "^0.4.0"')
        .replace('version = "=2.0.0"', 'version = "=2.0.1"')
        .replace('version = "1.1.0"', 'version = "1.2.0"')
        // serde has no path: it is not ours, and "1" must stay.
    );
    expect(after).toContain('serde = { version = "1", features = ["derive"] }');
  });
});

describe('package.json: dependency ranges on released workspace packages, in every field and form', () => {
  const all = (version: string) => Object.fromEntries(['caret', 'tilde', 'exact', 'pinned', 'ws-caret', 'ws-star', 'ws-bare-caret', 'ws-bare-tilde', 'x-range', 'two-sided', 'local', 'peer', 'peer-caret', 'optional', 'any'].map((name) => [`@7d/${name}`, version]));

  it('keeps ^, ~, =, exact, >= and workspace: as written, and leaves forms it cannot rewrite, other packages and other keys alone', () => {
    const before = fixture('dependent-package.json');
    expect(rewritePackageJson(before, all('2.0.0'))).toBe(
      before
        .replace('"@7d/caret": "^1.2.0",', '"@7d/caret": "^2.0.0",')
        .replace('"@7d/tilde":"~1.2.0"', '"@7d/tilde":"~2.0.0"')
        .replace('"@7d/exact": "1.2.0"', '"@7d/exact": "2.0.0"')
        .replace('"@7d/pinned": "=1.2.0"', '"@7d/pinned": "=2.0.0"')
        .replace('"workspace:^1.2.0"', '"workspace:^2.0.0"')
        .replace('"@7d/peer": ">=1.2.0"', '"@7d/peer": ">=2.0.0"')
        .replace('"@7d/peer-caret": "^1.2"', '"@7d/peer-caret": "^2.0.0"')
        .replace('"@7d/optional": "~1.2"', '"@7d/optional": "~2.0.0"'),
      // workspace:*, workspace:^ and workspace:~ stay (the package manager writes the version when it
      // publishes); 1.x and >=1.2.0 <2.0.0 cannot be rewritten without changing their meaning (the plan
      // reports them when the new version leaves them); file: is not a range; "engines" is not a dependency.
    );
  });

  it('refuses a range that is no longer what the plan read', () => {
    expect(refusal(() => updatePackageJsonRanges('{\n  "dependencies": { "a": "^2.0.0" }\n}\n', [{ table: ['dependencies'], key: 'a', from: '^1.0.0', to: '^1.1.0' }]))).toBe('2:26: "dependencies.a" is "^2.0.0", not the "^1.0.0" the plan read: plan again');
  });

  it('makes the same edits in the package\'s entry of a workspace lock, as npm install writes it', () => {
    const lock = `${JSON.stringify({ name: 'root', lockfileVersion: 3, packages: { '': { name: 'root' }, 'modules/reports': { name: '@7d/reports', version: '1.4.0', dependencies: { '@7d/billing': '^1.2.0' }, devDependencies: { '@7d/billing': '^1.2.0' } }, 'node_modules/@7d/billing': { resolved: 'modules/billing', link: true } } }, null, 2)}\n`;
    const edits = [{ table: ['dependencies'], key: '@7d/billing', from: '^1.2.0', to: '^2.0.0' }];
    const after = JSON.parse(updatePackageLockVersion(lock, '1.4.1', 'modules/reports', edits));
    expect(after.packages['modules/reports']).toEqual({ name: '@7d/reports', version: '1.4.1', dependencies: { '@7d/billing': '^2.0.0' }, devDependencies: { '@7d/billing': '^1.2.0' } });
  });
});

describe('Cargo.toml: path requirements on released crates, in every table and form', () => {
  it('keeps ^, ~, =, >= and Cargo\'s bare (caret) requirement as written, and leaves 1.* and several comparators alone', () => {
    const before = fixture('dependent-Cargo.toml');
    const versions = Object.fromEntries(['bare', 'caret', 'tilde', 'exact', 'wild', 'both', 'registry', 'tabled', 'dev', 'builder', 'unixy'].map((name) => [name, '2.0.0']));
    expect(rewriteCargo(before, versions)).toBe(
      before
        .replace('version = "1.2" }  #', 'version = "2.0.0" }  #')
        .replace('"^1.2.0"', '"^2.0.0"')
        .replace('"~1.2"', '"~2.0.0"')
        .replace('"=1.2.0"', '"=2.0.0"')
        .replace('version = "1.2.0" # a', 'version = "2.0.0" # a')
        .replace('version = "^1.2"', 'version = "^2.0.0"')
        .replace('builder", version = "1.2.0"', 'builder", version = "2.0.0"')
        .replace('">= 1.2"', '">=2.0.0"'),
    );
  });
});

describe('Cargo.lock', () => {
  it('changes the local crate\'s entry only', () => {
    const after = updateCargoLock(fixture('Cargo.lock'), 'identity', '1.5.0');
    expect(after).toBe(fixture('Cargo.lock').replace('name = "identity"\nversion = "1.4.0"', 'name = "identity"\nversion = "1.5.0"'));
    // a registry crate of the same name would carry a source line and is never touched
    expect(updateCargoLock(fixture('Cargo.lock'), 'serde', '2.0.0')).toBe(fixture('Cargo.lock'));
  });
});

/** What an updater refused, as the user will read it: the message and its line:column. */
function refusal(edit: () => string): string {
  try {
    edit();
  } catch (error) {
    if (!(error instanceof ManifestProblem)) throw error;
    return `${error.position ? `${error.position.line}:${error.position.column}: ` : ''}${error.message}`;
  }
  throw new Error('expected the edit to be refused');
}

describe('package.json that JSON readers disagree on, or that is not what shipgate edits', () => {
  it('refuses a duplicate key, where the second one is (npm reads the last, a text edit finds the first)', () => {
    expect(refusal(() => updatePackageJsonVersion('{\n  "name": "a",\n  "version": "1.0.0",\n  "version": "1.0.0"\n}\n', '1.1.0'))).toBe('4:3: duplicate key "version": JSON readers disagree on which one counts, so remove one');
    expect(refusal(() => updatePackageJsonVersion('{ "version": "1.0.0", "scripts": { "t": "a", "t": "b" } }', '1.1.0'))).toMatch(/^1:46: duplicate key "t" in "scripts"/);
  });

  it('refuses a version that is not a string, at its position', () => {
    expect(refusal(() => updatePackageJsonVersion('{ "name": "a",\n  "version": 1 }', '1.1.0'))).toBe('2:14: "version" must be a string, not 1');
    expect(refusal(() => updatePackageJsonVersion('[1, 2]', '1.1.0'))).toBe('package.json has no top-level "version" string to set');
  });

  it('replaces a version written with escapes as one value', () => {
    expect(updatePackageJsonVersion('{ "version": "1.0\\u002e0", "x": 1 }', '1.1.0')).toBe('{ "version": "1.1.0", "x": 1 }');
  });
});

describe('Cargo.toml: every form TOML has for the package version', () => {
  const forms: Record<string, [before: string, after: string]> = {
    'a [package] table': ['[package]\nname = "core"\nversion = "1.0.0"\n', '[package]\nname = "core"\nversion = "1.1.0"\n'],
    'an inline table': ['package = { name = "core", version = "1.0.0" } # inline\n', 'package = { name = "core", version = "1.1.0" } # inline\n'],
    'an inline table over lines (TOML 1.1)': ['package = {\n  name = "core",\n  version = "1.0.0", # here\n}\n', 'package = {\n  name = "core",\n  version = "1.1.0", # here\n}\n'],
    'a quoted table name': ['["package"]\nname = "core"\n"version" = \'1.0.0\'\n', '["package"]\nname = "core"\n"version" = \'1.1.0\'\n'],
    'a spaced, literal-quoted table name': ["[ 'package' ] # the crate\nname = 'core'\nversion='1.0.0'\n", "[ 'package' ] # the crate\nname = 'core'\nversion='1.1.0'\n"],
    'dotted keys at the top': ['package.name = "core"\npackage . version = "1.0.0" # dotted\n\n[package.metadata.docs]\nall = true\n', 'package.name = "core"\npackage . version = "1.1.0" # dotted\n\n[package.metadata.docs]\nall = true\n'],
    'CRLF line ends and a multi-line string before it': ['[package]\r\nname = "core"\r\ndescription = """\r\nversion = "0.0.1"\r\n"""\r\nversion = "1.0.0"\r\n', '[package]\r\nname = "core"\r\ndescription = """\r\nversion = "0.0.1"\r\n"""\r\nversion = "1.1.0"\r\n'],
  };

  it.each(Object.entries(forms))('edits the version in %s and nothing else', (_form, [before, after]) => {
    expect(updateCargoToml(before, '1.1.0')).toBe(after);
  });

  it('leaves a [[bin]] version and a nested metadata version alone', () => {
    const before = '[[bin]]\nname = "a"\nversion = "9"\n\n[package]\nname = "core"\nversion = "1.0.0"\n\n[package.metadata.other]\nversion = "7"\n';
    expect(updateCargoToml(before, '1.1.0')).toBe(before.replace('version = "1.0.0"', 'version = "1.1.0"'));
  });

  it('refuses, at the position, a version inherited from the workspace, a missing one, and one it cannot set as a plain string', () => {
    expect(refusal(() => updateCargoToml('[package]\nname = "core"\nversion.workspace = true\n', '1.1.0'))).toMatch(/^3:1: the crate inherits its version from the workspace \(version.workspace = true\)/);
    expect(refusal(() => updateCargoToml('[package]\nname = "core"\nversion = { workspace = true }\n', '1.1.0'))).toMatch(/^3:1: the crate inherits its version/);
    expect(refusal(() => updateCargoToml('# x\n[package]\nname = "core"\n', '1.1.0'))).toBe('2:1: Cargo.toml has no [package] version to set: add version = "x.y.z"');
    expect(refusal(() => updateCargoToml('[package]\nname = "core"\nversion = """1.0.0"""\n', '1.1.0'))).toBe('3:1: package.version must be written as a one-line string such as "1.2.3" for shipgate to set it');
  });
});

describe('Cargo.toml: every form of a path dependency\'s requirement', () => {
  const forms: Record<string, [before: string, after: string]> = {
    'an inline table in [dependencies]': ['[dependencies]\ncore = { path = "../core", version = "1.0" }\n', '[dependencies]\ncore = { path = "../core", version = "1.1.0" }\n'],
    'a [dependencies.core] table': ['[dependencies.core]\npath = "../core"\nversion = "^1.0.0" # req\n', '[dependencies.core]\npath = "../core"\nversion = "^1.1.0" # req\n'],
    'a quoted [dependencies."core"] table': ['[dependencies."core"]\nversion = "=1.0.0"\npath = "../core"\n', '[dependencies."core"]\nversion = "=1.1.0"\npath = "../core"\n'],
    'dotted keys in [dependencies]': ['[dependencies]\ncore.path = "../core"\ncore.version = "1.0.0"\n', '[dependencies]\ncore.path = "../core"\ncore.version = "1.1.0"\n'],
    'dotted keys at the top': ['dependencies.core = { version = "~1.0", path = "../core" }\n', 'dependencies.core = { version = "~1.1.0", path = "../core" }\n'],
    'a renamed dependency': ['[dev-dependencies]\nmy-core = { package = "core", path = "../core", version = "1.0" }\n', '[dev-dependencies]\nmy-core = { package = "core", path = "../core", version = "1.1.0" }\n'],
    'a target-specific table': ["[target.'cfg(unix)'.build-dependencies]\ncore = { path = '../core', version = '>=1.0' }\n", "[target.'cfg(unix)'.build-dependencies]\ncore = { path = '../core', version = '>=1.1.0' }\n"],
  };

  it.each(Object.entries(forms))('edits the requirement in %s and nothing else', (_form, [before, after]) => {
    const pkg = 'package = { name = "app", version = "3.0.0" }\n';
    expect(rewriteCargo(`${pkg}${before}`, { core: '1.1.0' })).toBe(`${pkg}${after}`);
  });

  it('leaves registry crates and path dependencies without a version alone', () => {
    const before = '[dependencies]\ncore = "1.0"\nother = { path = "../core" }\n[dev-dependencies.core]\nversion = "1"\n';
    expect(rewriteCargo(before, { core: '1.1.0' })).toBe(before);
  });

  it('refuses a requirement that is no longer what the plan read, at its position', () => {
    const text = '[package]\nname = "app"\nversion = "1.0.0"\n\n[dependencies]\ncore = { path = "../core", version = "1.2" }\n';
    expect(refusal(() => updateCargoToml(text, null, [{ table: ['dependencies'], key: 'core', from: '1.0', to: '1.1.0' }]))).toBe('6:28: dependencies.core.version is "1.2", not the "1.0" the plan read: plan again');
  });
});
