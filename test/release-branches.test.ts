import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, type TestRepo } from './helpers/git-repo.js';
import { createMonorepo } from './helpers/monorepo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();
const monorepo = () => track(createMonorepo());

describe('release and hotfix branches', () => {
  it('creates release/v<version> from HEAD and switches to it', () => {
    const repo = monorepo();
    const run = runCli(['branch', 'release', 'billing', '2.1.0'], { cwd: repo.dir });
    expect(run.stdout.trim()).toBe('created release/v2.1.0 from main (for v2.1.0)');
    expect(repo.git('symbolic-ref', '--short', 'HEAD')).toBe('release/v2.1.0');
    const again = runCli(['branch', 'release', 'billing', '2.1.0'], { cwd: repo.dir });
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)).toMatch(/branch release\/v2.1.0 already exists/);
    expect(runCli(['branch', 'release', 'billing', 'two'], { cwd: repo.dir }).code).toBe(2);
    expect(expectOneLineError(runCli(['branch', 'release', 'nope', '1.0.0'], { cwd: repo.dir }))).toMatch(/unknown component "nope"/);
  });

  it('creates hotfix/v<next patch> from the production tag, not from main', () => {
    const repo = monorepo();
    const tagged = repo.git('rev-parse', 'billing/v2.0.0^{commit}');
    repo.commit('feat: unreleased work on main', { 'modules/billing/src/new.ts': '\n' });
    const run = runCli(['branch', 'hotfix', 'billing', '--json'], { cwd: repo.dir });
    expect(JSON.parse(run.stdout)).toEqual({ branch: 'hotfix/v2.0.1', from: 'billing/v2.0.0', version: '2.0.1' });
    expect(repo.git('rev-parse', 'HEAD')).toBe(tagged);
  });
});

describe('shipgate cherry-pick', () => {
  it('picks fixes onto a release branch with -x', () => {
    const repo = monorepo();
    const fix = repo.commit('fix: rounding', { 'modules/billing/src/round.ts': 'export {};\n' });
    runCli(['branch', 'hotfix', 'billing'], { cwd: repo.dir });
    const run = runCli(['cherry-pick', fix], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(repo.git('log', '-1', '--format=%B')).toContain(`(cherry picked from commit ${fix})`);
  });

  it('reports a conflict and leaves the branch exactly as it was, even after an earlier pick succeeded', () => {
    const repo = monorepo();
    const clean = repo.commit('fix: unrelated file', { 'modules/inventory/src/fix.ts': 'export {};\n' });
    const conflicting = repo.commit('fix: billing index', { 'modules/billing/src/index.ts': 'export const invoices = [1];\n' });
    runCli(['branch', 'hotfix', 'billing'], { cwd: repo.dir });
    repo.commit('fix: hotfix-only change', { 'modules/billing/src/index.ts': 'export const invoices = [2];\n' });
    const before = repo.git('rev-parse', 'HEAD');
    const run = runCli(['cherry-pick', clean, conflicting], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toMatch(new RegExp(`cherry-pick of ${conflicting.slice(0, 12)} conflicts in modules/billing/src/index.ts; nothing was applied`));
    expect(repo.git('rev-parse', 'HEAD')).toBe(before);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses to pick onto main', () => {
    const repo = monorepo();
    const run = runCli(['cherry-pick', 'HEAD'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/"main" is not a release or hotfix branch/);
  });
});
