import { describe, expect, it } from 'vitest';
import { ManifestProblem } from './manifest-problem.js';
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

/** What a reader refused, as the user will read it after the file name: line:column and the message. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (!(error instanceof ManifestProblem)) throw error;
    return `${error.position ? `${error.position.line}:${error.position.column}: ` : ''}${error.message}`;
  }
  throw new Error('expected the manifest to be refused');
}

describe('package.json fields shipgate reads have the type it reads them as', () => {
  it.each([
    ['{ "name": "a", "version": 1 }', '1:27: "version" must be a string, not the number 1'],
    ['{\n  "name": 5,\n  "version": "1.0.0"\n}', '2:11: "name" must be a string, not the number 5'],
    ['{ "version": "banana" }', '1:14: "version" is "banana", which is not a SemVer version such as 1.2.3'],
    ['{ "version": "1.0.0", "shipgate": { "requires": { "platform": 3 } } }', '1:63: "shipgate.requires.platform" must be a version range string such as "^3.1.0", not the number 3'],
    ['{ "shipgate": { "require": {} } }', '1:28: unknown key "require" in "shipgate" (known: requires, compatible)'],
    ['{ "shipgate": ["x"] }', '1:15: "shipgate" must be an object with "requires" and "compatible", not an array'],
    ['{ "shipgate": { "compatible": "x" } }', '1:31: "shipgate.compatible" must be an object of component names and version ranges, not the string "x"'],
    ['{ "dependencies": ["a"] }', '1:19: "dependencies" must be an object of package names and version ranges, not an array'],
    ['{ "peerDependencies": { "a": null } }', '1:30: "peerDependencies.a" must be a version range string, not null'],
    ['"just a string"', '1:1: package.json must hold a JSON object'],
    ['{ "version": "1.0.0", "version": "2.0.0" }', '1:23: duplicate key "version": JSON readers disagree on which one counts, so remove one'],
    // Node names no position for an unexpected token and quotes the text around it, newlines and all.
    ['{\n  "name": "a",\n  "version": "1.0.0" \n  "description": "x"\n}', '4:3: cannot parse package.json: Expected \',\' or \'}\' after property value'],
    ['{\n  "name": \n}', '3:1: cannot parse package.json: Unexpected token "}"'],
  ])('%s', (text, expected) => {
    expect(refusal(() => readPackageJson(text))).toBe(expected);
  });
});

describe('Cargo.toml fields shipgate reads have the type it reads them as', () => {
  it.each([
    ['[package]\nname = "core"\nversion = 1\n', '3:1: "package.version" must be a string, not the number 1'],
    ['package = { name = 7 }\n', '1:13: "package.name" must be a string, not the number 7'],
    ['package = "core"\n', '1:1: "package" must be a table, not the string "core"'],
    ['[package]\nname = "a"\n\n[package.metadata.shipgate]\nrequires = { platform = 3 }\n', '5:14: "package.metadata.shipgate.requires.platform" must be a version range string such as "^3.1.0", not the number 3'],
    ['[dependencies]\ncore = { path = 1 }\n', '2:10: "dependencies.core.path" must be a string, not the number 1'],
    ['[dependencies]\ncore = 3\n', '2:1: dependency "core" must be a version string or a table, not the number 3'],
    ['dependencies = [1]\n', '1:1: "dependencies" must be a table, not an array'],
    ["[target.'cfg(unix)'.dependencies.core]\npackage = false\npath = '../core'\n", '2:1: "target.cfg(unix).dependencies.core.package" must be a string, not the boolean false'],
  ])('%s', (text, expected) => {
    expect(refusal(() => readCargoToml(text))).toBe(expected);
  });

  it('reads path dependencies of every target, and no version of its own for a crate that inherits the workspace\'s', () => {
    const crate = readCargoToml("[package]\nname = \"app\"\nversion.workspace = true\n\n[target.'cfg(unix)'.dependencies]\nmy-core = { package = \"core\", path = \"../core\" }\n");
    expect(crate).toMatchObject({ name: 'app', version: null, dependencies: [{ name: 'core', path: '../core' }] });
  });
});
