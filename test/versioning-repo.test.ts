import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, createRepo, type TestRepo } from './helpers/git-repo.js';
import { createMonorepo } from './helpers/monorepo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();
const monorepo = () => track(createMonorepo());
const json = (repo: TestRepo, ...args: string[]) => JSON.parse(runCli([...args, '--json'], { cwd: repo.dir }).stdout);
const read = (repo: TestRepo, file: string) => readFileSync(path.join(repo.dir, file), 'utf8');
const hasCargo = (() => {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('plan and status on a polyglot monorepo (npm workspace + Cargo workspace)', () => {
  it('derives every component\'s next version in one pass', () => {
    const repo = monorepo();
    repo.commit('feat(billing): recurring invoices (#123)', { 'modules/billing/src/recurring.ts': 'export {};\n' });
    repo.commit('fix(crypto): constant-time compare', { 'platform/crypto/src/lib.rs': 'pub fn hash() {} // fixed\n' });
    repo.commit('docs: inventory readme', { 'modules/inventory/README.md': '# inventory\n' });
    repo.commit('chore: root tooling', { 'tools/ci/smoke-tests.sh': 'true\n' });
    const plan = json(repo, 'plan');
    const byName = Object.fromEntries(plan.components.map((c: { name: string }) => [c.name, c]));
    expect(byName.billing).toMatchObject({ kind: 'module', currentVersion: '2.0.0', unreleasedCommits: 1, bump: 'minor', nextTag: 'billing/v2.1.0' });
    expect(byName.crypto).toMatchObject({ kind: 'platform', currentVersion: '0.3.1', bump: 'patch', nextTag: 'platform-crypto-v0.3.2' });
    expect(byName.inventory).toMatchObject({ unreleasedCommits: 1, bump: null, nextVersion: null });
    expect(byName.identity).toMatchObject({ unreleasedCommits: 0, nextVersion: null });
    expect(byName['fireproof-erp']).toMatchObject({ nextTag: 'fireproof-erp/v5.2.0' });
    const platform = plan.bundles.find((b: { name: string }) => b.name === 'platform');
    expect(platform).toMatchObject({ lastTag: 'platform/v3.1.0', nextTag: 'platform/v3.1.1' });
    expect(platform.members).toEqual([{ name: 'crypto', kind: 'platform', version: '0.3.2' }, { name: 'identity', kind: 'platform', version: '1.4.0' }]);
    const erp = plan.bundles.find((b: { name: string }) => b.name === 'fireproof-erp');
    expect(erp.members).toEqual([{ name: 'billing', kind: 'module', version: '2.1.0' }]);
  });

  it('only counts commits after each component\'s own last tag, across merges', () => {
    const repo = monorepo();
    repo.git('switch', '--quiet', '-c', 'feature');
    repo.commit('feat: inventory search', { 'modules/inventory/src/search.ts': 'export {};\n' });
    repo.git('switch', '--quiet', 'main');
    repo.commit('fix: billing total', { 'modules/billing/src/total.ts': 'export {};\n' });
    repo.tag('billing/v2.0.1', 'Release billing v2.0.1');
    repo.git('merge', '--quiet', '--no-ff', '-m', 'Merge branch feature', 'feature');
    repo.commit('fix: billing tax', { 'modules/billing/src/tax.ts': 'export {};\n' });
    const plan = json(repo, 'plan');
    const billing = plan.components.find((c: { name: string }) => c.name === 'billing');
    const inventory = plan.components.find((c: { name: string }) => c.name === 'inventory');
    expect(billing.commits.map((c: { subject: string }) => c.subject)).toEqual(['fix: billing tax']);
    expect([billing.lastTag, billing.nextVersion]).toEqual(['billing/v2.0.1', '2.0.2']);
    expect(inventory.commits.map((c: { subject: string }) => c.subject)).toEqual(['feat: inventory search']);
  });

  it('finds each last release when releases were made on parallel branches', () => {
    const repo = track(createRepo());
    const pkg = (name: string) => `{ "name": "${name}", "version": "1.0.0" }\n`;
    repo.commit('chore: init', { 'modules/a/package.json': pkg('a'), 'modules/b/package.json': pkg('b') });
    repo.git('switch', '--quiet', '-c', 'side');
    repo.commit('fix(b): made on the side branch before a was released', { 'modules/b/side.txt': 'x\n' });
    repo.commit('fix(a): a on the side branch', { 'modules/a/side.txt': 'x\n' });
    repo.tag('a/v1.0.0', 'a 1.0.0');
    repo.git('switch', '--quiet', 'main');
    repo.commit('fix(b): b on main', { 'modules/b/main.txt': 'x\n' });
    repo.tag('b/v1.0.0', 'b 1.0.0');
    repo.git('merge', '--quiet', '--no-ff', '-m', 'Merge branch side', 'side');
    // A release tag on a branch that is not merged: not a last release of anything on main.
    repo.git('switch', '--quiet', '-c', 'abandoned');
    repo.commit('feat(a): never merged', { 'modules/a/abandoned.txt': 'x\n' });
    repo.tag('a/v9.0.0', 'a 9.0.0');
    repo.git('switch', '--quiet', 'main');
    const plan = json(repo, 'plan');
    const subjects = (name: string) => plan.components.find((c: { name: string }) => c.name === name).commits.map((c: { subject: string }) => c.subject);
    expect(plan.components.map((c: { name: string; lastTag: string }) => [c.name, c.lastTag])).toEqual([['a', 'a/v1.0.0'], ['b', 'b/v1.0.0']]);
    expect(subjects('a')).toEqual([]);
    expect(subjects('b')).toEqual(['fix(b): made on the side branch before a was released']);
  });

  it('shows in the calendar the versions each train\'s next release carries', () => {
    const repo = monorepo();
    repo.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.ts': 'export {};\n' });
    repo.commit('fix(crypto): constant-time compare', { 'platform/crypto/src/lib.rs': 'pub fn hash() {} // fixed\n' });
    const events = JSON.parse(runCli(['calendar', '--json'], { cwd: repo.dir }).stdout).events as { train: string; version: string | null }[];
    const first = (train: string) => events.find((e) => e.train === train);
    expect(first('module')?.version).toBe('billing/v2.1.0');
    expect(first('platform')?.version).toBe('platform/v3.1.1');
    expect(first('product')?.version).toBe('fireproof-erp/v5.2.0');
    expect(events.filter((e) => e.train === 'module')[1]?.version).toBeNull();
  });

  it('status prints one table of components', () => {
    const repo = monorepo();
    repo.commit('feat: billing export', { 'modules/billing/src/export.ts': 'export {};\n' });
    const run = runCli(['status'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Component\s+Kind\s+Current\s+Unreleased\s+Next\s+Why\n/);
    expect(run.stdout).toMatch(/\nbilling\s+module\s+2\.0\.0\s+1\s+2\.1\.0\s+[0-9a-f]{7} feat: billing export -> minor\n/);
  });

  it('plans a hotfix only when every commit is a PATCH, and says which commits stop it', () => {
    const repo = monorepo();
    repo.commit('fix: crash on empty invoice', { 'modules/billing/src/a.ts': 'export {};\n' });
    expect(runCli(['plan', '--type', 'hotfix'], { cwd: repo.dir }).code).toBe(0);
    repo.commit('feat: new report', { 'modules/billing/src/b.ts': 'export {};\n' });
    const run = runCli(['plan', '--type', 'hotfix'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: billing: a hotfix release may only bump patch, but [0-9a-f]{7} "feat: new report" \(minor\) asks for more/);
  });
});

describe('shipgate version', () => {
  it('--dry-run shows exactly what would change and changes nothing', () => {
    const repo = monorepo();
    repo.commit('feat(crypto): argon2', { 'platform/crypto/src/argon.rs': '\n' });
    const head = repo.git('rev-parse', 'HEAD');
    const run = runCli(['version', '--dry-run'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('platform-crypto-v0.4.0  commit "Release crypto v0.4.0"');
    expect(run.stdout).toContain('platform/crypto/Cargo.toml:3: + version = "0.4.0"');
    expect(run.stdout).toContain('platform/identity/Cargo.toml:7: + crypto = { path = "../crypto", version = "0.4.0" }');
    expect(run.stdout).toContain('platform/Cargo.lock:7: + version = "0.4.0"');
    expect(run.stdout).toContain('platform/v3.2.0  (bundle tag)');
    expect([repo.git('rev-parse', 'HEAD'), repo.git('status', '--porcelain'), repo.git('tag', '-l', 'platform-crypto-v0.4.0')]).toEqual([head, '', '']);
  });

  it('writes versions preserving formatting, commits and creates annotated tags', () => {
    const repo = monorepo();
    repo.commit('feat(billing): recurring invoices (#123)', { 'modules/billing/src/recurring.ts': 'export {};\n' });
    repo.commit('feat(crypto): argon2', { 'platform/crypto/src/argon.rs': '\n' });
    const run = runCli(['version'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(read(repo, 'modules/billing/package.json')).version).toBe('2.1.0');
    expect(JSON.parse(read(repo, 'package-lock.json')).packages['modules/billing'].version).toBe('2.1.0');
    expect(read(repo, 'platform/crypto/Cargo.toml')).toBe('[package]\nname = "crypto"\nversion = "0.4.0"\nedition = "2021"\n');
    // identity requires crypto "0.3.1" (Cargo: ^0.3.1), which 0.4.0 leaves: it is released too, as a patch, with the new requirement
    expect(read(repo, 'platform/identity/Cargo.toml')).toContain('version = "1.4.1" # released by shipgate\n');
    expect(read(repo, 'platform/identity/Cargo.toml')).toContain('crypto = { path = "../crypto", version = "0.4.0" }');
    expect(read(repo, 'platform/Cargo.lock')).toContain('name = "crypto"\nversion = "0.4.0"');
    expect(read(repo, 'platform/Cargo.lock')).toContain('name = "identity"\nversion = "1.4.1"');
    // the product carries billing 2.1.0 and asks for it
    expect(JSON.parse(read(repo, 'products/fireproof-erp/package.json')).dependencies).toEqual({ '@7d/billing': '^2.1.0' });
    expect(JSON.parse(read(repo, 'package-lock.json')).packages['products/fireproof-erp']).toEqual({ name: 'fireproof-erp', version: '5.2.0', dependencies: { '@7d/billing': '^2.1.0' } });
    expect(repo.git('log', '--format=%s', '-5').split('\n')).toEqual(['Release fireproof-erp v5.2.0', 'Release identity v1.4.1', 'Release crypto v0.4.0', 'Release billing v2.1.0', 'feat(crypto): argon2']);
    expect(repo.git('cat-file', '-t', 'billing/v2.1.0')).toBe('tag');
    expect(repo.git('rev-parse', 'billing/v2.1.0^{commit}')).toBe(repo.git('rev-parse', 'HEAD~3'));
    expect(repo.git('tag', '-l', '--format=%(contents)', 'platform/v3.2.0')).toContain('- platform crypto 0.4.0\n- platform identity 1.4.1');
    expect(repo.git('status', '--porcelain')).toBe('');
    // running again finds nothing left to release
    expect(runCli(['version'], { cwd: repo.dir }).stdout).toMatch(/nothing to release/);
  });

  it.skipIf(!hasCargo)('leaves a Cargo workspace that cargo itself reads with the new versions', () => {
    const repo = monorepo();
    repo.commit('feat(crypto): argon2', { 'platform/crypto/src/argon.rs': '\n' });
    expect(runCli(['version'], { cwd: repo.dir }).code).toBe(0);
    const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--offline', '--format-version', '1', '--no-deps', '--locked'], { cwd: path.join(repo.dir, 'platform'), encoding: 'utf8' }));
    const versions = Object.fromEntries(metadata.packages.map((p: { name: string; version: string }) => [p.name, p.version]));
    expect(versions).toEqual({ crypto: '0.4.0', identity: '1.4.1' });
  });

  it('undoes everything when a step fails half-way', () => {
    const repo = monorepo();
    repo.commit('feat(billing): recurring', { 'modules/billing/src/r.ts': '\n' });
    repo.commit('fix(inventory): count', { 'modules/inventory/src/c.ts': '\n' });
    // A tag with inventory's next name already exists on another branch: the second tag fails.
    repo.git('switch', '--quiet', '--orphan', 'elsewhere');
    repo.commit('chore: unrelated');
    repo.tag('inventory/v1.8.1', 'taken');
    repo.git('switch', '--quiet', 'main');
    const head = repo.git('rev-parse', 'HEAD');
    const run = runCli(['version'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/git tag failed: tag 'inventory\/v1.8.1' already exists/);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('tag', '-l', 'billing/v2.1.0')).toBe('');
    expect(JSON.parse(read(repo, 'modules/billing/package.json')).version).toBe('2.0.0');
  });

  it('works for a single-package repository with a few lines of policy (tags v1.2.3)', () => {
    const repo = createRepo();
    track(repo);
    repo.commit('chore: init', {
      'package.json': '{\n  "name": "@acme/widget",\n  "version": "1.2.3"\n}\n',
      'shipgate.yaml': 'components:\n  app: { description: the package, paths: ["."], manifest: package.json, tag: "v{version}", commitMessage: "chore(release): {version}", train: module }\n',
    });
    repo.tag('v1.2.3', 'v1.2.3');
    repo.commit('feat: widgets can spin', { 'index.js': 'export const spin = true;\n' });
    expect(runCli(['version'], { cwd: repo.dir }).code).toBe(0);
    expect(repo.git('describe', '--tags', '--exact-match')).toBe('v1.3.0');
    expect(repo.git('log', '-1', '--format=%s')).toBe('chore(release): 1.3.0');
    expect(read(repo, 'package.json')).toBe('{\n  "name": "@acme/widget",\n  "version": "1.3.0"\n}\n');
  });
});

describe('a first release from a placeholder version', () => {
  const single = (version: string) => {
    const repo = track(createRepo());
    repo.commit('chore: init', {
      'package.json': `{\n  "name": "@acme/widget",\n  "version": "${version}"\n}\n`,
      'shipgate.yaml': 'components:\n  app: { description: the package, paths: ["."], manifest: package.json, tag: "v{version}", commitMessage: "chore(release): {version}", train: module }\n',
    });
    repo.commit('feat: widgets can spin', { 'index.js': 'export const spin = true;\n' });
    return repo;
  };

  it.each(['0.0.0-semantic-release', '0.0.0-development', '0.0.0'])('%s becomes versioning.initialVersion 1.0.0, and status says why', (placeholder) => {
    const repo = single(placeholder);
    const status = runCli(['status'], { cwd: repo.dir });
    expect(status.stdout).toMatch(new RegExp(`\\nwidget\\s+app\\s+${placeholder.replaceAll('.', '\\.')}\\s+2\\s+1\\.0\\.0\\s+first release: package\\.json says ${placeholder.replaceAll('.', '\\.')}, a placeholder: versioning\\.initialVersion 1\\.0\\.0\\n`));
    expect(runCli(['version'], { cwd: repo.dir }).code).toBe(0);
    expect(repo.git('describe', '--tags', '--exact-match')).toBe('v1.0.0');
    expect(read(repo, 'package.json')).toBe('{\n  "name": "@acme/widget",\n  "version": "1.0.0"\n}\n');
  });

  it('follows the policy\'s versioning.initialVersion', () => {
    const repo = single('0.0.0-development');
    repo.commit('chore: policy', { 'shipgate.yaml': `${read(repo, 'shipgate.yaml')}versioning:\n  initialVersion: 0.1.0\n` });
    expect(JSON.parse(runCli(['plan', '--json'], { cwd: repo.dir }).stdout).components[0]).toMatchObject({ nextVersion: '0.1.0', nextTag: 'v0.1.0', reasons: ['first release: package.json says 0.0.0-development, a placeholder: versioning.initialVersion 0.1.0', expect.stringMatching(/feat: widgets can spin -> minor$/)] });
  });

  it('a placeholder left in the manifest after tagged releases (as semantic-release works) is no disagreement', () => {
    const repo = single('0.0.0-semantic-release');
    repo.tag('v1.2.3', 'v1.2.3');
    repo.commit('fix: spin less', { 'index.js': 'export const spin = false;\n' });
    const run = runCli(['version'], { cwd: repo.dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(repo.git('describe', '--tags', '--exact-match')).toBe('v1.2.4');
  });
});

describe('bad input: a clear line, the right exit code, nothing changed', () => {
  it('refuses a dirty work tree unless --allow-dirty', () => {
    const repo = monorepo();
    repo.commit('fix: x', { 'modules/billing/src/x.ts': '\n' });
    repo.write('modules/billing/src/index.ts', 'changed\n');
    const run = runCli(['version'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBe('shipgate: the work tree has uncommitted changes (modules/billing/src/index.ts) (commit or stash them, or pass --allow-dirty)');
    expect(repo.git('tag', '-l', 'billing/v2.0.1')).toBe('');
    expect(runCli(['version', '--allow-dirty'], { cwd: repo.dir }).code).toBe(0);
    expect(read(repo, 'modules/billing/src/index.ts')).toBe('changed\n');
  });

  it('detects a shallow clone and says how to deepen it', () => {
    const repo = monorepo();
    const clone = createRepo({ prefix: 'shipgate-shallow-' });
    track(clone);
    clone.cleanup();
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repo.dir}`, clone.dir]);
    const run = runCli(['plan'], { cwd: clone.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/shallow clone.*git fetch --unshallow --tags/);
  });

  it('refuses to commit on a detached HEAD', () => {
    const repo = monorepo();
    repo.commit('fix: x', { 'modules/billing/src/x.ts': '\n' });
    repo.git('switch', '--quiet', '--detach', 'HEAD');
    const run = runCli(['version'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/HEAD is detached.*git switch main/);
    expect(runCli(['plan'], { cwd: repo.dir }).code).toBe(0);
  });

  it('refuses a manifest version that disagrees with the last tag', () => {
    const repo = monorepo();
    repo.commit('fix: x', { 'modules/billing/src/x.ts': '\n', 'modules/billing/package.json': '{ "name": "@7d/billing", "version": "2.7.0" }\n' });
    const run = runCli(['version'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBe('shipgate: modules/billing/package.json says 2.7.0 but the last release tag is billing/v2.0.0 (set it back to 2.0.0, or tag the release that set 2.7.0; nothing was changed)');
  });

  it('reports a missing manifest and a broken one with its position', () => {
    const repo = monorepo();
    repo.commit('chore: new dir', { 'modules/notes/README.md': '# notes\n' });
    const status = runCli(['status'], { cwd: repo.dir });
    expect(status.stderr).toContain('warning: modules/notes matches module path "modules/*" but has no package.json: not a component');
    repo.commit('chore: break', { 'modules/billing/package.json': '{\n  "name": "@7d/billing",\n  "version": "2.0.0",\n}\n' });
    const broken = runCli(['status'], { cwd: repo.dir });
    expect(broken.code).toBe(2);
    expect(expectOneLineError(broken)).toMatch(/^shipgate: modules\/billing\/package.json:4:1: cannot parse package.json/);
  });

  it('outside a git repository', () => {
    const run = runCli(['plan'], { cwd: path.dirname(monorepo().dir) });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBe('shipgate: not inside a git repository (run shipgate from your repository, or pass -C <dir>)');
  });

  it('with -C naming no directory, or a file: says so, not that git is missing, and shows no stack trace', () => {
    const repo = monorepo();
    const missing = path.join(repo.dir, 'no-such-dir');
    const file = path.join(repo.dir, 'modules/billing/package.json');
    for (const [dir, reason] of [[missing, 'no such directory'], [file, 'not a directory']] as const) {
      for (const args of [['-C', dir, 'status'], ['-C', dir, 'notes', 'billing'], ['-C', dir, 'plan', '--json']]) {
        const run = runCli(args, { cwd: repo.dir });
        expect(run.code, args.join(' ')).toBe(2);
        expect(expectOneLineError(run)).toBe(`shipgate: cannot run git in ${dir}: ${reason} (run shipgate from your repository, or pass -C <dir> with a directory that exists)`);
      }
    }
  });
});
