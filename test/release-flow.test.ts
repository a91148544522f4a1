import { afterEach, describe, expect, it } from 'vitest';
import { billingRepo, PEOPLE, putPassingReports } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * The README's release flow, sections 1-2 of the policy's Release Process, end to end with the real CLI:
 * a PATCH of billing (one module-owner approval, CI and smoke tests). Whether the release record is
 * opened before `shipgate version` or after it, `check` ends with every gate passing, no warning that
 * HEAD is not the candidate, and no approval asked for twice.
 */
describe('one release flow', () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());
  const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });
  const as = (email: string) => repo.git('config', 'user.email', email);

  function patchRepo(): TestRepo {
    const made = billingRepo({ message: 'fix(billing): round tax half-up', files: { 'modules/billing/src/tax.js': 'export const round = Math.round;\n' } });
    made.commit('docs(billing): rounding', { 'modules/billing/docs/tax.md': '# Tax rounding\n' });
    return made;
  }

  const expectShips = () => {
    const check = cli('check', 'billing@2.0.1', '--json');
    const report = JSON.parse(check.stdout) as { ok: boolean; warnings: string[]; gates: { id: string; verdict: string }[] };
    // The post-release checklist waits for production; everything the release itself needs passes.
    expect(report.gates.filter((gate) => gate.verdict !== 'pass' && !gate.id.startsWith('postRelease.'))).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(check.code).toBe(0);
    expect(cli('check', 'billing@2.0.1').stdout).not.toMatch(/is not the candidate/);
  };

  it('release create, evidence, approval, then version: check passes at the release commit without a new approval', () => {
    repo = patchRepo();
    putPassingReports(repo);
    as(PEOPLE.releaser);
    expect(cli('release', 'create', 'billing').stdout).toMatch(/^opened billing@2\.0\.1: patch scheduled release/);
    as(PEOPLE.alice);
    expect(cli('approve', 'billing@2.0.1', '--role', 'module-owner').code).toBe(0);
    as(PEOPLE.releaser);
    expect(cli('version').code).toBe(0);
    expect(repo.git('log', '-1', '--format=%s')).toBe('Release billing v2.0.1');
    expectShips();
  });

  it('version first, then release create: the record is the tagged release, at its tagged commit', () => {
    repo = patchRepo();
    putPassingReports(repo);
    as(PEOPLE.releaser);
    expect(cli('version').code).toBe(0);
    const tagged = repo.git('rev-list', '-n', '1', 'billing/v2.0.1');
    const created = cli('release', 'create', 'billing', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 'billing@2.0.1', bump: 'patch', lastTag: 'billing/v2.0.0', commit: tagged });
    as(PEOPLE.alice);
    expect(cli('approve', 'billing@2.0.1', '--role', 'module-owner').code).toBe(0);
    expectShips();
  });

  it('still warns when HEAD has other commits than shipgate release commits on top of the candidate', () => {
    repo = patchRepo();
    putPassingReports(repo);
    as(PEOPLE.releaser);
    cli('release', 'create', 'billing');
    repo.commit('fix(billing): another change', { 'modules/billing/src/other.js': 'export {};\n' });
    const report = JSON.parse(cli('check', 'billing@2.0.1', '--json').stdout) as { warnings: string[] };
    expect(report.warnings.some((warning) => /is not the candidate/.test(warning))).toBe(true);
  });
});
