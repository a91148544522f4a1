import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approveRelease } from '../src/app/approve-release.js';
import { checkRelease } from '../src/app/check-release.js';
import { recordNotice } from '../src/app/record-notice.js';
import { setCandidate } from '../src/app/transition-release.js';
import { waiveGate } from '../src/app/waive-gate.js';
import { attachPostmortem } from '../src/app/attach-postmortem.js';
import type { GateReport } from '../src/gates/types.js';
import type { Store } from '../src/store/open-store.js';
import { getRelease, listEvents } from '../src/store/releases.js';
import { billingRepo, CODEOWNERS_ON_MAIN, commitDocs, openRelease, PEOPLE, putPassingReports, putReport, testPolicy } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const policy = testPolicy();
const DAY = 86_400_000;
const created = new Date('2026-02-01T18:00:00Z');
const later = new Date('2026-02-02T09:00:00Z');

const verdict = (report: GateReport, id: string) => {
  const gate = report.gates.find((g) => g.id === id);
  if (!gate) throw new Error(`no gate ${id} in ${report.gates.map((g) => g.id).join(', ')}`);
  return gate.verdict;
};

describe.each(storeBackends())('the approval matrix and versioning requirements on $name', (backend) => {
  let store: Store;
  let repo: TestRepo;
  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
  });
  afterAll(() => repo.cleanup());
  afterEach(async () => store?.close());

  const open = async (bump: 'major' | 'minor' | 'patch', version: string, extra: { breaking?: boolean; type?: 'hotfix' | 'emergency' } = {}) => {
    ({ store } = await freshStore(backend));
    return openRelease(store, policy, repo, { bump, version, now: created, ...extra });
  };
  const check = (ref: string, now = later) => checkRelease({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref, now });
  const approve = (ref: string, role: string, actor: string) => approveRelease({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref, role, actor });
  // The notice is recorded at the store's time; the period it starts ends `ends`, a week or a month later.
  const notice = async (ref: string) => Date.parse((await recordNotice({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref, actor: PEOPLE.releaser })).ends ?? '');

  it('PATCH: one module owner (from CODEOWNERS, by handle or email), CI and smoke tests', async () => {
    await open('patch', '2.0.1');
    let report = await check('billing@2.0.1');
    expect(verdict(report, 'approvals.owner-approval')).toBe('fail');
    expect(verdict(report, 'versioning.pr-approval')).toBe('fail');
    expect(verdict(report, 'approvals.ci')).toBe('pass');
    expect(verdict(report, 'approvals.smoke-tests')).toBe('pass');
    await approve('billing@2.0.1', 'module-owner', PEOPLE.alice);
    report = await check('billing@2.0.1');
    expect(verdict(report, 'approvals.owner-approval')).toBe('pass');
    expect(verdict(report, 'versioning.pr-approval')).toBe('pass');
    expect(report.ok).toBe(true);

    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/smoke/staging.xml');
    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/junit/unit.xml');
    report = await check('billing@2.0.1');
    expect(verdict(report, 'approvals.ci')).toBe('fail');
    expect(verdict(report, 'approvals.smoke-tests')).toBe('fail');
    expect(report.gates.find((g) => g.id === 'approvals.smoke-tests')?.nextStep).toEqual({ action: 'fix-tests', args: { failed: ['invoice.test.js > invoice totals > rounds tax half-up'], more: 0 } });
    expect(report.ok).toBe(false);
    putPassingReports(repo);
  });

  it('MINOR: two module-team approvals, a tech lead, the full suite and contract tests; 7-day notice', async () => {
    await open('minor', '2.1.0');
    await approve('billing@2.1.0', 'module-team', PEOPLE.alice);
    let report = await check('billing@2.1.0');
    expect(verdict(report, 'approvals.team-approvals')).toBe('fail');
    expect(report.gates.find((g) => g.id === 'approvals.team-approvals')?.evidence).toContain('1 of 2 module-team approvals');
    await approve('billing@2.1.0', 'module-team', PEOPLE.bob);
    report = await check('billing@2.1.0');
    expect(verdict(report, 'approvals.team-approvals')).toBe('pass');
    expect(verdict(report, 'approvals.tech-lead-sign-off')).toBe('fail');
    await approve('billing@2.1.0', 'tech-lead', PEOPLE.lead);
    expect(verdict(await check('billing@2.1.0'), 'approvals.tech-lead-sign-off')).toBe('pass');

    expect(verdict(report, 'versioning.notice')).toBe('fail');
    const ends = await notice('billing@2.1.0');
    expect(verdict(await check('billing@2.1.0', new Date(ends - DAY)), 'versioning.notice')).toBe('fail');
    report = await check('billing@2.1.0', new Date(ends));
    expect(verdict(report, 'versioning.notice')).toBe('pass');
    expect(report.ok).toBe(true);

    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/contract/billing-api.xml');
    report = await check('billing@2.1.0', new Date(ends));
    expect(verdict(report, 'approvals.contract-tests')).toBe('fail');
    expect(verdict(report, 'approvals.full-test-suite')).toBe('pass');
    putReport(repo, 'tool-output/vitest-failing.xml', 'reports/junit/unit.xml');
    expect(verdict(await check('billing@2.1.0'), 'approvals.full-test-suite')).toBe('fail');
    putPassingReports(repo);
  });

  it('MAJOR: architecture review, tech lead, product team, 30 days of notice, a reviewed migration guide and an RFC', async () => {
    await open('major', '3.0.0', { breaking: true });
    let report = await check('billing@3.0.0');
    for (const id of ['approvals.architecture-review', 'approvals.tech-lead-approval', 'approvals.product-approval', 'approvals.notice-period', 'approvals.migration-guide-review', 'versioning.rfc', 'versioning.migration-guide', 'checklist.migration-guide']) {
      expect([id, verdict(report, id)]).toEqual([id, 'fail']);
    }
    await approve('billing@3.0.0', 'architecture-review', PEOPLE.arch);
    await approve('billing@3.0.0', 'tech-lead', PEOPLE.lead);
    await approve('billing@3.0.0', 'product-team', PEOPLE.pm);
    const ends = await notice('billing@3.0.0');
    report = await check('billing@3.0.0', new Date(ends - DAY));
    expect(verdict(report, 'approvals.architecture-review')).toBe('pass');
    expect(verdict(report, 'approvals.tech-lead-approval')).toBe('pass');
    expect(verdict(report, 'approvals.product-approval')).toBe('pass');
    expect(verdict(report, 'approvals.notice-period')).toBe('fail');
    // The tech lead approved, but there is no guide to have reviewed yet.
    expect(verdict(report, 'approvals.migration-guide-review')).toBe('fail');

    const oldCommit = repo.git('rev-parse', 'HEAD');
    repo.commit('docs(billing)!: migration guide and RFC', { 'modules/billing/MIGRATION.md': '# Migrating to 3.0\n', 'docs/rfc/billing-v3.md': '# RFC: billing v3\n' });
    await setCandidate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@3.0.0', actor: PEOPLE.releaser });
    // The candidate changed: every approval must be given again.
    report = await check('billing@3.0.0', new Date(ends));
    expect(verdict(report, 'approvals.tech-lead-approval')).toBe('fail');
    expect(report.warnings).toContain(`approval by ${PEOPLE.lead} as tech-lead does not count: given to an earlier candidate (${oldCommit.slice(0, 7)}), not to ${report.release.commit.slice(0, 7)}`);
    for (const [role, person] of [['architecture-review', PEOPLE.arch], ['tech-lead', PEOPLE.lead], ['product-team', PEOPLE.pm]] as const) await approve('billing@3.0.0', role, person);
    report = await check('billing@3.0.0', new Date(ends));
    for (const id of ['approvals.notice-period', 'approvals.migration-guide-review', 'versioning.rfc', 'versioning.migration-guide', 'versioning.notice', 'checklist.migration-guide']) {
      expect([id, verdict(report, id)]).toEqual([id, 'pass']);
    }
    expect(report.ok).toBe(true);
  });

  it('one person counts once, nobody approves their own release, and only members of a role approve as it', async () => {
    await open('minor', '2.1.0');
    await expect(approve('billing@2.1.0', 'module-team', PEOPLE.releaser)).rejects.toThrow(`nobody approves their own release: ${PEOPLE.releaser} created billing@2.1.0`);
    await expect(approve('billing@2.1.0', 'tech-lead', PEOPLE.outsider)).rejects.toThrow(`${PEOPLE.outsider} is not a member of tech-lead`);
    await expect(approve('billing@2.1.0', 'release-manager', PEOPLE.lead)).rejects.toThrow('unknown role "release-manager"');
    await expect(approve('billing@2.1.0', 'product-team', PEOPLE.pm)).rejects.toThrow('a minor release does not ask for product-team approval');
    await expect(approve('billing@9.9.9', 'tech-lead', PEOPLE.lead)).rejects.toThrow('unknown release billing@9.9.9');
    expect(await listEvents(store, 'billing@2.1.0')).toHaveLength(1);

    const first = await approve('billing@2.1.0', 'module-team', PEOPLE.alice);
    const again = await approve('billing@2.1.0', 'module-team', PEOPLE.alice);
    expect([first.recorded, again.recorded, again.count]).toEqual([true, false, 1]);
    // Alice is a tech lead too under this policy: one approval still cannot fill two slots.
    const both = testPolicy();
    both.roles['tech-lead']!.members.push(PEOPLE.alice);
    await expect(approveRelease({ store, policy: both, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.1.0', role: 'tech-lead', actor: PEOPLE.alice })).rejects.toThrow(
      `${PEOPLE.alice} already approved billing@2.1.0 as module-team; one person counts once`,
    );
    expect(await listEvents(store, 'billing@2.1.0')).toHaveLength(2);
    const report = await check('billing@2.1.0');
    expect(report.gates.find((g) => g.id === 'approvals.team-approvals')?.evidence).toContain('1 of 2 module-team approvals');
  });

  it('waivers: evidence gates only, by a tech lead, with a reason, for this candidate', async () => {
    await open('minor', '2.1.0');
    putReport(repo, 'junit/surefire-performance-error.xml', 'reports/performance/perf.xml');
    const waive = (gate: string, actor: string) => waiveGate({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: 'billing@2.1.0', gate, reason: 'perf env down; run by hand', actor });
    await expect(waive('performance-tests', PEOPLE.alice)).rejects.toThrow(`${PEOPLE.alice} may not waive gates`);
    await expect(waive('team-approvals', PEOPLE.lead)).rejects.toThrow('approvals.team-approvals is a sign-off by people and cannot be waived');
    await expect(waive('contract-tests', PEOPLE.lead)).rejects.toThrow('"contract-tests" names 2 gates');
    await expect(waive('nope', PEOPLE.lead)).rejects.toThrow('unknown gate "nope"');
    expect(verdict(await check('billing@2.1.0'), 'checklist.performance-tests')).toBe('fail');
    await waive('performance-tests', PEOPLE.lead);
    const report = await check('billing@2.1.0');
    expect(verdict(report, 'checklist.performance-tests')).toBe('waived');
    expect(report.gates.find((g) => g.id === 'checklist.performance-tests')?.waiver).toMatchObject({ by: PEOPLE.lead, reason: 'perf env down; run by hand' });
    putPassingReports(repo);
  });

  it('emergency: passes without approvals, recorded as bypassed, and owes a post-mortem until one is attached', async () => {
    const release = await open('patch', '2.0.1', { type: 'emergency' });
    let report = await check('billing@2.0.1');
    expect(verdict(report, 'approvals.owner-approval')).toBe('waived');
    expect(report.gates.find((g) => g.id === 'approvals.owner-approval')?.waiver?.reason).toMatch(/emergency release: approvals and notice periods are bypassed/);
    expect(report.ok).toBe(true);
    // Owed five days (in the policy's time zone) from when the release was opened, by the store's clock.
    expect(report.postmortem).toMatchObject({ required: true, url: null, state: 'owed' });
    expect(Math.abs(Date.parse(report.postmortem.due ?? '') - Date.parse(release.createdAt) - 5 * DAY)).toBeLessThanOrEqual(3_600_000);
    const opened = Date.parse(release.createdAt);
    expect((await check('billing@2.0.1', new Date(opened + 6 * DAY))).postmortem.state).toBe('overdue');
    await expect(approve('billing@2.0.1', 'module-owner', PEOPLE.alice)).rejects.toThrow(/emergency release: it bypasses approvals/);
    await attachPostmortem({ store, policy, codeowners: CODEOWNERS_ON_MAIN, cwd: repo.dir, ref: release.id, url: 'https://wiki.example.com/pm/42', actor: PEOPLE.lead });
    report = await check('billing@2.0.1', new Date(opened + 6 * DAY));
    expect(report.postmortem).toMatchObject({ state: 'attached', url: 'https://wiki.example.com/pm/42' });
  });

  it('refuses approvals once a release has shipped, and leaves the log as it was', async () => {
    await open('patch', '2.0.1');
    const { mutateRelease } = await import('../src/store/releases.js');
    await mutateRelease(store, 'billing@2.0.1', () => ({ actor: 'deployer', events: [{ kind: 'transition', from: 'candidate', to: 'production', reason: null }], patch: { state: 'production' } }));
    await expect(approve('billing@2.0.1', 'module-owner', PEOPLE.alice)).rejects.toThrow('billing@2.0.1 is already shipped (production); approval is no longer possible');
    expect((await getRelease(store, 'billing@2.0.1'))?.seq).toBe(2);
  });
});
