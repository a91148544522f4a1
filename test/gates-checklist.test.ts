import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkRelease } from '../src/app/check-release.js';
import { setCandidate } from '../src/app/transition-release.js';
import type { Gate, GateReport } from '../src/gates/types.js';
import type { Policy } from '../src/policy/schema.js';
import type { Store } from '../src/store/open-store.js';
import { billingRepo, CODEOWNERS_ON_MAIN, openRelease, PEOPLE, putPassingReports, putReport, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const now = new Date('2026-02-02T09:00:00Z');
const gate = (report: GateReport, id: string): Gate => {
  const found = report.gates.find((g) => g.id === id);
  if (!found) throw new Error(`no gate ${id}`);
  return found;
};

describe.each(storeBackends())('the pre-release checklist, read from real reports, on $name', (backend) => {
  let store: Store;
  let repo: TestRepo;
  const policy = testPolicy();
  beforeAll(async () => {
    repo = billingRepo();
    ({ store } = await freshStore(backend));
    await openRelease(store, policy, repo, { bump: 'minor', version: '2.1.0' });
    await openRelease(store, policy, repo, { bump: 'major', version: '3.0.0', breaking: true });
  });
  afterAll(async () => {
    await store.close();
    repo.cleanup();
  });
  afterEach(() => rmSync(path.join(repo.dir, 'reports'), { recursive: true, force: true }));

  const check = (ref = 'billing@2.1.0', withPolicy: Policy = policy) => checkRelease({ store, policy: withPolicy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref, now });

  it.each([
    ['checklist.tests', 'reports/junit/unit.xml', 'tool-output/vitest-failing.xml', 'tool-output/vitest-passing.xml'],
    ['checklist.contract-tests', 'reports/contract/api.xml', 'tool-output/vitest-failing.xml', 'tool-output/vitest-passing.xml'],
    ['checklist.performance-tests', 'reports/performance/perf.xml', 'junit/surefire-performance-error.xml', 'junit/surefire-performance.xml'],
    ['checklist.security-scan', 'reports/security/eslint.sarif', 'tool-output/eslint-errors.sarif', 'tool-output/eslint-warnings.sarif'],
  ])('%s: fails with no report, fails on a failing one, passes on a passing one', async (id, target, failing, passing) => {
    expect(gate(await check(), id)).toMatchObject({ verdict: 'fail', evidence: [expect.stringMatching(/^no (JUnit report|SARIF file) matches reports\//)] });
    putReport(repo, failing, target);
    const failed = gate(await check(), id);
    expect(failed.verdict).toBe('fail');
    expect(failed.evidence[0]).toMatch(new RegExp(`^${target}`));
    putReport(repo, passing, target);
    expect(gate(await check(), id)).toMatchObject({ verdict: 'pass', nextStep: null });
  });

  it('security-scan names the error-level finding and what to do', async () => {
    putReport(repo, 'tool-output/eslint-errors.sarif', 'reports/security/eslint.sarif');
    const scan = gate(await check(), 'checklist.security-scan');
    expect(scan.evidence).toEqual([
      'reports/security/eslint.sarif (ESLint): 1 error, 2 warning, 0 note',
      "error: no-undef /tmp/sg-fixturegen/src/payment.js:3 'undefinedHelper' is not defined.",
    ]);
    expect(scan.nextStep).toEqual({ action: 'fix-findings', args: { level: 'error' } });
  });

  it('finds contract tests by suite name when the policy says so', async () => {
    const bySuite = testPolicy();
    bySuite.checklist.find((item) => item.id === 'contract-tests')!.evidence = { kind: 'junit', paths: ['reports/junit/**/*.xml'], suites: ['contract'] };
    putReport(repo, 'tool-output/vitest-passing.xml', 'reports/junit/unit.xml');
    expect(gate(await check('billing@2.1.0', bySuite), 'checklist.contract-tests').verdict).toBe('fail');
    putReport(repo, 'junit/nested-suites.xml', 'reports/junit/all.xml');
    const contract = gate(await check('billing@2.1.0', bySuite), 'checklist.contract-tests');
    expect(contract).toMatchObject({ verdict: 'fail', evidence: ['reports/junit/all.xml: 2 tests, 1 failed, 0 skipped'], nextStep: { action: 'fix-tests', args: { failed: ['billing-api > POST /invoices'], more: 0 } } });
  });

  it('a report with no test cases proves nothing', async () => {
    putReport(repo, 'junit/empty.xml', 'reports/junit/unit.xml');
    expect(gate(await check(), 'checklist.tests')).toMatchObject({ verdict: 'fail', evidence: ['reports/junit/unit.xml: 0 tests, 0 failed, 0 skipped', 'the reports contain no test cases'] });
  });

  it('a malformed report stops the check at its position instead of passing or failing silently', async () => {
    putReport(repo, 'junit/malformed.xml', 'reports/junit/unit.xml');
    await expect(check()).rejects.toMatchObject({ code: 'EEVIDENCE', where: expect.stringMatching(/^reports\/junit\/unit.xml:5:\d+$/) });
    rmSync(path.join(repo.dir, 'reports'), { recursive: true });
    putReport(repo, 'sarif/malformed.sarif', 'reports/security/scan.sarif');
    await expect(check()).rejects.toMatchObject({ code: 'EEVIDENCE', where: expect.stringMatching(/^reports\/security\/scan.sarif:4:\d+$/) });
  });

  it('docs, CHANGELOG and migration guide come from what the candidate changed and contains', async () => {
    putPassingReports(repo);
    let report = await check();
    expect(gate(report, 'checklist.docs')).toMatchObject({ verdict: 'fail', evidence: ['no file matching docs/**, **/*.md changed since billing/v2.0.0'] });
    expect(gate(report, 'checklist.changelog').verdict).toBe('fail');
    expect(gate(report, 'checklist.migration-guide')).toMatchObject({ verdict: 'pass', evidence: ['not required: the release has no breaking changes'] });
    expect(gate(await check('billing@3.0.0'), 'checklist.migration-guide').verdict).toBe('fail');

    repo.commit('docs(billing): usage', { 'modules/billing/docs/usage.md': '# Usage\n' });
    await setCandidate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.1.0', actor: PEOPLE.releaser });
    report = await check();
    expect(gate(report, 'checklist.docs')).toMatchObject({ verdict: 'pass', evidence: ['changed since billing/v2.0.0: modules/billing/docs/usage.md'] });
    expect(gate(report, 'checklist.changelog').verdict).toBe('fail');

    // Another component's CHANGELOG is not this one's.
    repo.commit('docs(inventory): changelog', { 'modules/inventory/CHANGELOG.md': '## 1.9.0\n' });
    await setCandidate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.1.0', actor: PEOPLE.releaser });
    expect(gate(await check(), 'checklist.changelog').verdict).toBe('fail');
    repo.commit('docs(billing): changelog', { 'modules/billing/CHANGELOG.md': '## 2.1.0\n' });
    await setCandidate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.1.0', actor: PEOPLE.releaser });
    expect(gate(await check(), 'checklist.changelog').verdict).toBe('pass');

    repo.commit('docs(billing)!: migration guide', { 'modules/billing/MIGRATION.md': '# Migrating to 3.0\n' });
    await setCandidate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@3.0.0', actor: PEOPLE.releaser });
    expect(gate(await check('billing@3.0.0'), 'checklist.migration-guide')).toMatchObject({ verdict: 'pass', evidence: ['found modules/billing/MIGRATION.md'] });
  });
});
