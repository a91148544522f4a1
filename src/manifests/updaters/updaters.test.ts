import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { updateCargoLock } from './cargo-lock.js';
import { updateCargoToml } from './cargo-toml.js';
import { updatePackageJsonVersion } from './package-json.js';
import { updatePackageLockVersion } from './package-lock.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/manifests/${name}`, import.meta.url), 'utf8');

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
    const after = updateCargoToml(fixture('Cargo.toml'), '1.5.0', new Map([['crypto', '0.4.0'], ['audit', '2.0.1'], ['tokens', '1.2.0'], ['serde', '9.9.9']]));
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

describe('Cargo.lock', () => {
  it('changes the local crate\'s entry only', () => {
    const after = updateCargoLock(fixture('Cargo.lock'), 'identity', '1.5.0');
    expect(after).toBe(fixture('Cargo.lock').replace('name = "identity"\nversion = "1.4.0"', 'name = "identity"\nversion = "1.5.0"'));
    // a registry crate of the same name would carry a source line and is never touched
    expect(updateCargoLock(fixture('Cargo.lock'), 'serde', '2.0.0')).toBe(fixture('Cargo.lock'));
  });
});
