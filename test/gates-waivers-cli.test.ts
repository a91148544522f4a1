import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingRepo, commitDocs, PEOPLE, POLICY_YAML, putPassingReports, putReport } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const ANYONE_WAIVES = `${POLICY_YAML}gates:\n  waivers: { roles: [] }\n`;

describe('a waiver counts only if the policy `check` uses lets its author waive (CLI)', () => {
  let repo: TestRepo;
  const cli = (as: string, ...args: string[]) => {
    repo.git('config', 'user.email', as);
    return runCli(args, { cwd: repo.dir });
  };
  const performance = () => {
    const run = cli(PEOPLE.releaser, 'check', 'billing@2.1.0', '--json');
    const report = JSON.parse(run.stdout) as { gates: { id: string; verdict: string }[]; warnings: string[] };
    return { verdict: report.gates.find((gate) => gate.id === 'checklist.performance-tests')?.verdict, warnings: report.warnings };
  };

  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
    putReport(repo, 'junit/surefire-performance-error.xml', 'reports/performance/perf.xml');
    expect(cli(PEOPLE.releaser, 'release', 'create', 'billing').code).toBe(0);
  });
  afterAll(() => repo.cleanup());

  it('waive --policy with a policy that lets anyone waive is refused and records nothing', () => {
    writeFileSync(path.join(repo.dir, 'anyone.yaml'), ANYONE_WAIVES);
    const run = cli(PEOPLE.outsider, '--policy', 'anyone.yaml', 'waive', 'billing@2.1.0', 'performance-tests', '--reason', 'perf env down');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: --policy anyone.yaml may preview a decision but not record one: /);
    expect(performance()).toEqual({ verdict: 'fail', warnings: [] });
    rmSync(path.join(repo.dir, 'anyone.yaml'));
  });

  it('a waiver given while main\'s policy let anyone waive stops counting once main\'s policy says who may', () => {
    repo.commit('chore: anyone may waive', { 'shipgate.yaml': ANYONE_WAIVES });
    // The candidate stays the release's commit: only the policy on main changed.
    const waived = cli(PEOPLE.outsider, 'waive', 'billing@2.1.0', 'performance-tests', '--reason', 'perf env down');
    expect([waived.code, waived.stderr]).toEqual([0, '']);
    expect(performance().verdict).toBe('waived');

    repo.commit('chore: only tech leads waive', { 'shipgate.yaml': POLICY_YAML });
    const after = performance();
    expect(after.verdict).toBe('fail');
    expect(after.warnings).toContain(`waiver of checklist.performance-tests by ${PEOPLE.outsider} does not count: not a member of tech-lead (gates.waivers.roles)`);
  });
});
