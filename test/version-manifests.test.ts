import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, createRepo, type TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();
const read = (repo: TestRepo, file: string) => readFileSync(path.join(repo.dir, file), 'utf8');
const hasCargo = (() => {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A repository whose files were released as `tags`, then one change in `changed` that releases it. */
function released(files: Record<string, string>, tags: readonly string[], changed: string): TestRepo {
  const repo = track(createRepo({ prefix: 'shipgate-manifests-' }));
  repo.commit('chore: init', files);
  for (const tag of tags) repo.tag(tag, `Release ${tag}`);
  repo.commit('feat: something new', { [changed]: 'new\n' });
  return repo;
}

/** `shipgate version` refused with one line at `where`, and the repository is exactly as it was. */
function expectRefused(repo: TestRepo, where: RegExp): void {
  const head = repo.git('rev-parse', 'HEAD');
  const tags = repo.git('tag', '-l');
  const run = runCli(['version'], { cwd: repo.dir });
  expect(run.code).toBe(2);
  expect(expectOneLineError(run)).toMatch(where);
  expect([repo.git('rev-parse', 'HEAD'), repo.git('tag', '-l'), repo.git('status', '--porcelain')]).toEqual([head, tags, '']);
}

/** The package versions (and path-dependency requirements) cargo itself reads from a crate's manifest. */
function cargoReads(repo: TestRepo, dir: string): { version: string; requirements: Record<string, string> } {
  const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--offline', '--no-deps', '--format-version', '1'], { cwd: path.join(repo.dir, dir), encoding: 'utf8' })) as {
    packages: { manifest_path: string; version: string; dependencies: { name: string; req: string }[] }[];
  };
  const pkg = metadata.packages.find((p) => p.manifest_path === path.join(repo.dir, dir, 'Cargo.toml'))!;
  return { version: pkg.version, requirements: Object.fromEntries(pkg.dependencies.map((d) => [d.name, d.req])) };
}

describe('shipgate version refuses a package.json it would read differently from npm, or cannot read, with the position and nothing changed', () => {
  it.each([
    ['a duplicate "version" (npm reads the last, the edit would change the first)', '{\n  "name": "a",\n  "version": "1.0.0",\n  "version": "1.0.0"\n}\n', /^shipgate: modules\/a\/package.json:4:3: duplicate key "version"/],
    ['a version that is not a string', '{ "name": "a", "version": 1 }\n', /^shipgate: modules\/a\/package.json:1:27: "version" must be a string, not the number 1 \(/],
    ['a name that is not a string', '{ "name": ["a"], "version": "1.0.0" }\n', /^shipgate: modules\/a\/package.json:1:11: "name" must be a string, not an array \(/],
    ['a number where the release notes read a range', '{ "name": "a", "version": "1.0.0", "shipgate": { "requires": { "platform": 3 } } }\n', /^shipgate: modules\/a\/package.json:1:76: "shipgate.requires.platform" must be a version range string/],
  ])('%s', (_case, manifest, where) => {
    const repo = released({ 'modules/a/package.json': manifest }, ['a/v1.0.0'], 'modules/a/index.js');
    expectRefused(repo, where);
    expect(read(repo, 'modules/a/package.json')).toBe(manifest);
  });
});

describe('shipgate version writes the tagged version into Cargo.toml in every form TOML allows', () => {
  it.each([
    ['an inline package table', 'package = { name = "core", version = "1.0.0", edition = "2021" }\n'],
    ['a quoted ["package"] header', '["package"]\nname = "core"\n"version" = "1.0.0"\nedition = "2021"\n'],
    ['dotted keys at the top', 'package.name = "core"\npackage.version = \'1.0.0\' # released\npackage.edition = "2021"\n'],
  ])('%s', (_case, manifest) => {
    const repo = released({ 'platform/core/Cargo.toml': manifest, 'platform/core/src/lib.rs': '' }, ['platform-core-v1.0.0'], 'platform/core/src/new.rs');
    const run = runCli(['version'], { cwd: repo.dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(repo.git('tag', '-l', 'platform-core-v*').split('\n')).toEqual(['platform-core-v1.0.0', 'platform-core-v1.1.0']);
    expect(read(repo, 'platform/core/Cargo.toml')).toBe(manifest.replace('1.0.0', '1.1.0'));
    expect(repo.git('show', 'platform-core-v1.1.0:platform/core/Cargo.toml')).toBe(manifest.replace('1.0.0', '1.1.0').trimEnd());
  });

  it('sets the requirement of a crate that path-depends on the released one, in table and dotted forms', () => {
    const repo = released(
      {
        'platform/core/Cargo.toml': '[package]\nname = "core"\nversion = "1.0.0"\nedition = "2021"\n',
        'platform/core/src/lib.rs': '',
        'platform/app/Cargo.toml': '[package]\nname = "app"\nversion = "2.0.0"\nedition = "2021"\n\n[dependencies.core]\npath = "../core"\nversion = "^1.0.0"\n',
        'platform/tool/Cargo.toml': '[package]\nname = "tool"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ncore.path = "../core"\ncore.version = "=1.0.0" # pinned\n',
        'platform/app/src/lib.rs': '',
        'platform/tool/src/lib.rs': '',
      },
      ['platform-core-v1.0.0', 'platform-app-v2.0.0', 'platform-tool-v0.1.0'],
      'platform/core/src/new.rs',
    );
    expect(runCli(['version'], { cwd: repo.dir }).code).toBe(0);
    // tool pins core at =1.0.0, which 1.1.0 leaves: tool is released with it. app's ^1.0.0 admits 1.1.0: app is not released and its file is not touched.
    expect(read(repo, 'platform/tool/Cargo.toml')).toContain('[package]\nname = "tool"\nversion = "0.1.1"\n');
    expect(read(repo, 'platform/tool/Cargo.toml')).toContain('core.version = "=1.1.0" # pinned\n');
    expect(read(repo, 'platform/app/Cargo.toml')).toBe('[package]\nname = "app"\nversion = "2.0.0"\nedition = "2021"\n\n[dependencies.core]\npath = "../core"\nversion = "^1.0.0"\n');
    expect(repo.git('tag', '-l', 'platform-*-v*').split('\n')).toEqual(['platform-app-v2.0.0', 'platform-core-v1.0.0', 'platform-core-v1.1.0', 'platform-tool-v0.1.0', 'platform-tool-v0.1.1']);
    // app released for its own change together with core asks for the core it is released with, in its [dependencies.core] table
    repo.commit('fix: core and app', { 'platform/core/src/fix.rs': '', 'platform/app/src/retry.rs': '' });
    expect(runCli(['version'], { cwd: repo.dir }).code).toBe(0);
    expect(read(repo, 'platform/app/Cargo.toml')).toContain('[package]\nname = "app"\nversion = "2.0.1"\n');
    expect(read(repo, 'platform/app/Cargo.toml')).toContain('[dependencies.core]\npath = "../core"\nversion = "^1.1.1"\n');
    expect(read(repo, 'platform/tool/Cargo.toml')).toContain('core.version = "=1.1.1" # pinned\n');
  });

  it('refuses a crate that inherits its version from the workspace, with the position and nothing changed', () => {
    const manifest = '[package]\nname = "core"\nversion.workspace = true\nedition = "2021"\n';
    const repo = released(
      { 'platform/Cargo.toml': '[workspace]\nmembers = ["core"]\n\n[workspace.package]\nversion = "1.0.0"\n', 'platform/core/Cargo.toml': manifest, 'platform/core/src/lib.rs': '' },
      ['platform-core-v1.0.0'],
      'platform/core/src/new.rs',
    );
    expectRefused(repo, /^shipgate: platform\/core\/Cargo.toml:3:1: the crate inherits its version from the workspace \(version.workspace = true\)/);
    expect(read(repo, 'platform/core/Cargo.toml')).toBe(manifest);
  });
});

describe('cargo itself reads what shipgate version wrote', () => {
  it.skipIf(!hasCargo)(`in every form of the version and of a path requirement${hasCargo ? '' : ' (skipped: cargo is not installed)'}`, () => {
    const repo = released(
      {
        'platform/inline/Cargo.toml': 'package = { name = "inline", version = "1.0.0", edition = "2021" }\n',
        'platform/quoted/Cargo.toml': '["package"]\nname = "quoted"\n"version" = "1.0.0"\nedition = "2021"\n',
        'platform/dotted/Cargo.toml': 'package.name = "dotted"\npackage.version = \'1.0.0\'\npackage.edition = "2021"\n\n[dependencies]\ninline.path = "../inline"\ninline.version = "=1.0.0"\n',
        'platform/app/Cargo.toml': '[package]\nname = "app"\nversion = "2.0.0"\nedition = "2021"\n\n[dependencies.quoted]\npath = "../quoted"\nversion = "^1.0.0"\n\n[target.\'cfg(unix)\'.dependencies]\ndotted = { path = "../dotted", version = "1.0.0" }\n',
        ...Object.fromEntries(['inline', 'quoted', 'dotted', 'app'].map((name) => [`platform/${name}/src/lib.rs`, ''])),
      },
      ['platform-inline-v1.0.0', 'platform-quoted-v1.0.0', 'platform-dotted-v1.0.0', 'platform-app-v2.0.0'],
      'platform/inline/src/new.rs',
    );
    repo.commit('fix: quoted, dotted and app', { 'platform/quoted/src/fix.rs': '', 'platform/dotted/src/fix.rs': '', 'platform/app/src/fix.rs': '' });
    expect(runCli(['version'], { cwd: repo.dir }).code).toBe(0);
    expect(cargoReads(repo, 'platform/inline')).toEqual({ version: '1.1.0', requirements: {} });
    expect(cargoReads(repo, 'platform/quoted')).toEqual({ version: '1.0.1', requirements: {} });
    expect(cargoReads(repo, 'platform/dotted')).toEqual({ version: '1.0.1', requirements: { inline: '=1.1.0' } });
    expect(cargoReads(repo, 'platform/app')).toEqual({ version: '2.0.1', requirements: { quoted: '^1.0.1', dotted: '^1.0.1' } });
  });
});

describe('a manifest or lock file that is a symlink out of the repository is refused, not read', () => {
  it('package.json and package-lock.json', () => {
    const outside = track(createRepo({ prefix: 'shipgate-outside-' }));
    outside.write('secret.json', '{ "name": "a", "version": "1.0.0", "description": "TOP-SECRET" }\n');
    const repo = released({ 'modules/a/package.json': '{ "name": "a", "version": "1.0.0" }\n' }, ['a/v1.0.0'], 'modules/a/index.js');
    symlinkSync(path.join(outside.dir, 'secret.json'), path.join(repo.dir, 'modules/a/package-lock.json'));
    repo.commit('chore: a lock');
    expectRefused(repo, /^shipgate: the file to edit "modules\/a\/package-lock.json" is outside the repository/);
    rmSync(path.join(repo.dir, 'modules/a/package.json'));
    symlinkSync(path.join(outside.dir, 'secret.json'), path.join(repo.dir, 'modules/a/package.json'));
    repo.commit('chore: a manifest');
    const plan = runCli(['plan'], { cwd: repo.dir });
    expect(plan.code).toBe(2);
    expect(expectOneLineError(plan)).toMatch(/^shipgate: the manifest "modules\/a\/package.json" is outside the repository/);
    expect(plan.stdout + plan.stderr).not.toContain('TOP-SECRET');
  });
});
