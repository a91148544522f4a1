import { describe, expect, it } from 'vitest';
import { readCargoToml, readPackageJson } from './read-manifest.js';

describe('what a manifest declares for the release notes', () => {
  it('reads `shipgate` from package.json and `package.metadata.shipgate` from Cargo.toml', () => {
    const npm = readPackageJson('{ "name": "@7d/billing", "version": "2.0.0", "shipgate": { "requires": { "platform": "^3.1.0" } } }');
    expect(npm.declared).toEqual({ requires: { platform: '^3.1.0' } });
    const crate = readCargoToml('[package]\nname = "identity"\nversion = "1.4.0"\n\n[package.metadata.shipgate]\ncompatible = { crypto = ">=0.3" }\n');
    expect(crate.declared).toEqual({ compatible: { crypto: '>=0.3' } });
  });

  it('declares nothing when the manifest says nothing', () => {
    expect(readPackageJson('{ "name": "a", "version": "1.0.0" }').declared).toEqual({});
    expect(readCargoToml('[package]\nname = "a"\nversion = "1.0.0"\n').declared).toEqual({});
  });
});
