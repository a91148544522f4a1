import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { billingRepo, commitDocs, PEOPLE, POLICY_YAML, putPassingReports } from './helpers/gate-fixtures.js';
import { cleanupAfterEach, createRepo, type TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();

/** POLICY_YAML with the outsider made a tech lead: what someone would like the policy to say. */
const EVE_LEADS = POLICY_YAML.replace(`members: [${PEOPLE.lead}, ${PEOPLE.lead2}]`, `members: [${PEOPLE.lead}, ${PEOPLE.lead2}, ${PEOPLE.outsider}]`);

function repoWithRelease(): TestRepo {
  const repo = track(billingRepo());
  commitDocs(repo);
  putPassingReports(repo);
  repo.git('config', 'user.email', PEOPLE.releaser);
  expect(runCli(['release', 'create', 'billing'], { cwd: repo.dir }).code).toBe(0);
  return repo;
}

const cli = (repo: TestRepo, as: string, ...args: string[]) => {
  repo.git('config', 'user.email', as);
  return runCli(args, { cwd: repo.dir });
};
const events = (repo: TestRepo) => (JSON.parse(runCli(['release', 'show', 'billing@2.1.0', '--json'], { cwd: repo.dir }).stdout) as { events: unknown[] }).events.length;

/** Every command that records a decision, as the outsider would try it. */
const RECORDING: string[][] = [
  ['approve', 'billing@2.1.0', '--role', 'tech-lead'],
  ['waive', 'billing@2.1.0', 'performance-tests', '--reason', 'perf env down'],
  ['notice', 'billing@2.1.0'],
  ['postmortem', 'billing@2.1.0', 'https://wiki.example.com/pm/1'],
  ['release', 'candidate', 'billing@2.1.0'],
  ['release', 'abandon', 'billing@2.1.0', '--reason', 'not needed'],
  ['release', 'create', 'billing'],
];

describe('the policy committed on main decides a release; another may only preview', () => {
  it('--policy: every recording command refuses, with one line, and records nothing', () => {
    const repo = repoWithRelease();
    writeFileSync(path.join(repo.dir, 'other.yaml'), EVE_LEADS);
    const before = events(repo);
    for (const args of [...RECORDING.map((command) => ['--policy', 'other.yaml', ...command]), ['approve', 'billing@2.1.0', '--role', 'tech-lead', '--policy', 'other.yaml']]) {
      const run = cli(repo, PEOPLE.outsider, ...args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
      expect(expectOneLineError(run)).toBe(
        'shipgate: --policy other.yaml may preview a decision but not record one: approvals, waivers, notices and release changes are decided by the policy committed on the main branch (drop --policy; to change the policy, commit and merge the change to the main branch first (`shipgate --policy other.yaml check <release>` previews it))',
      );
    }
    expect(events(repo)).toBe(before);
  });

  // About twenty shipgate processes: a busy 2-core CI machine needs more than the default 30 s.
  it('a local edit of shipgate.yaml: recording refuses and says what differs; check decides by main\'s and warns; --policy previews', { timeout: 120_000 }, () => {
    const repo = repoWithRelease();
    repo.write('shipgate.yaml', EVE_LEADS);
    for (const args of RECORDING) {
      const run = cli(repo, PEOPLE.outsider, ...args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
      expect(expectOneLineError(run)).toBe(
        'shipgate: shipgate.yaml differs from the one committed on main: approvals, waivers, notices and release changes are decided by the policy committed on main (commit and merge the change to main first, or restore main\'s: git checkout main -- shipgate.yaml)',
      );
    }
    // A lead approving under the edited file is refused too: nothing is recorded while it differs.
    expect(cli(repo, PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'tech-lead').code).toBe(2);

    const decided = cli(repo, PEOPLE.releaser, 'check', 'billing@2.1.0', '--json');
    const report = JSON.parse(decided.stdout) as { policy: string; preview: string | null; warnings: string[] };
    expect(report.policy).toMatch(/^shipgate\.yaml on main \([0-9a-f]{7}\)$/);
    expect(report.preview).toBeNull();
    expect(report.warnings).toContain('shipgate.yaml differs from the one committed on main: this report is decided by the policy committed on main; preview yours with `shipgate --policy shipgate.yaml check <release>`');

    const text = cli(repo, PEOPLE.releaser, 'check', 'billing@2.1.0').stdout;
    expect(text).toMatch(/may not ship yet\n$/);
    expect(text).not.toContain('PREVIEW');

    repo.write('shipgate.yaml', `${POLICY_YAML}approvals:\n  minor: []\n`);
    const preview = cli(repo, PEOPLE.releaser, '--policy', 'shipgate.yaml', 'check', 'billing@2.1.0');
    expect(preview.stdout.split('\n', 1)[0]).toBe('PREVIEW under shipgate.yaml, not the policy committed on main: nothing here decides the release');
    expect(preview.stdout).toMatch(/gates: \d+ pass, \d+ fail, 0 waived, \d+ later \([^)]*\): under shipgate\.yaml \(preview\), billing@2\.1\.0 would not ship yet\n$/);
    expect(preview.stdout).not.toContain('approvals.team-approvals');
    expect(JSON.parse(cli(repo, PEOPLE.releaser, '--policy', 'shipgate.yaml', 'check', 'billing@2.1.0', '--json').stdout)).toMatchObject({ preview: 'shipgate.yaml', policy: 'shipgate.yaml (preview)' });
    // Main's committed policy still asks for the team's approvals.
    expect(cli(repo, PEOPLE.releaser, 'check', 'billing@2.1.0').stdout).toContain('approvals.team-approvals');
  });

  it('CODEOWNERS comes from main too: a local edit makes nobody an owner', () => {
    const repo = repoWithRelease();
    repo.write('.github/CODEOWNERS', `/modules/billing/ ${PEOPLE.outsider}\n`);
    const run = cli(repo, PEOPLE.outsider, 'approve', 'billing@2.1.0', '--role', 'module-team');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBe(`shipgate: ${PEOPLE.outsider} is not a member of module-team (members (CODEOWNERS for modules/billing): @alice, ${PEOPLE.bob})`);
    expect(cli(repo, PEOPLE.alice, 'approve', 'billing@2.1.0', '--role', 'module-team').code).toBe(0);
  });

  it('on another branch: main\'s committed policy still decides; a branch policy that differs, even one calling itself main, is refused', () => {
    const repo = repoWithRelease();
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('feat(billing): more', { 'modules/billing/src/more.js': 'export {};\n' });
    // Same policy as main: decisions go through, by main's rules.
    expect(cli(repo, PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'tech-lead').code).toBe(0);
    expect(expectOneLineError(cli(repo, PEOPLE.outsider, 'approve', 'billing@2.1.0', '--role', 'tech-lead'))).toMatch(/^shipgate: eve@example.com is not a member of tech-lead/);

    repo.commit('chore: I lead now', { 'shipgate.yaml': `${EVE_LEADS}branches:\n  main: { name: feature }\n` });
    const run = cli(repo, PEOPLE.outsider, 'approve', 'billing@2.1.0', '--role', 'tech-lead');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: shipgate\.yaml differs from the one committed on main: /);
  });

  it('main has no shipgate.yaml: the built-in policy governs, and an uncommitted one is refused', () => {
    const repo = track(createRepo({ prefix: 'shipgate-builtin-' }));
    repo.commit('chore: billing module', { 'modules/billing/package.json': '{ "name": "billing", "version": "2.0.0" }\n', '.gitignore': '.shipgate/\n' });
    repo.tag('billing/v2.0.0', 'billing 2.0.0');
    repo.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.js': 'export {};\n' });
    expect(cli(repo, PEOPLE.releaser, 'release', 'create', 'billing').code).toBe(0);
    expect(JSON.parse(cli(repo, PEOPLE.releaser, 'check', 'billing', '--json').stdout).policy).toBe('the built-in policy (main has no shipgate.yaml)');
    repo.write('shipgate.yaml', EVE_LEADS);
    const run = cli(repo, PEOPLE.outsider, 'approve', 'billing@2.1.0', '--role', 'tech-lead');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBe(
      'shipgate: shipgate.yaml is not committed on main, so the built-in policy governs: approvals, waivers, notices and release changes are decided by the policy committed on main (commit and merge shipgate.yaml to main first)',
    );
  });

  it('the main branch is the one main\'s policy names; without a branch main, the working tree only says where to look', () => {
    const repo = repoWithRelease();
    repo.git('branch', '-m', 'main', 'trunk');
    const missing = cli(repo, PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'tech-lead');
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)).toBe(
      'shipgate: there is no branch main, the main branch the policy names (branches.main.name): releases are decided by the policy committed on it (create the branch (or fetch origin/main), or set branches.main.name to your main branch and commit that there)',
    );
    expect(expectOneLineError(cli(repo, PEOPLE.lead, 'check', 'billing@2.1.0'))).toMatch(/^shipgate: there is no branch main, /);

    // A CI checkout: only origin's copy of main.
    repo.git('update-ref', 'refs/remotes/origin/main', 'trunk');
    expect(cli(repo, PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'tech-lead').code).toBe(0);
    repo.git('update-ref', '-d', 'refs/remotes/origin/main');

    // The working tree names trunk, and the policy committed on trunk agrees.
    repo.commit('chore: our main branch is trunk', { 'shipgate.yaml': `${POLICY_YAML}branches:\n  main: { name: trunk }\n` });
    expect(cli(repo, PEOPLE.lead2, 'approve', 'billing@2.1.0', '--role', 'tech-lead').code).toBe(0);
    expect(JSON.parse(cli(repo, PEOPLE.releaser, 'check', 'billing@2.1.0', '--json').stdout).policy).toMatch(/^shipgate\.yaml on trunk \([0-9a-f]{7}\)$/);

    // With a branch main again, its committed policy says which branch is main; trunk's must agree.
    repo.git('branch', 'main', 'trunk~1');
    const disagree = cli(repo, PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'tech-lead');
    expect(disagree.code).toBe(2);
    expect(expectOneLineError(disagree)).toMatch(/^shipgate: shipgate\.yaml differs from the one committed on main: /);
    repo.git('branch', '-f', 'main', 'trunk');
    expect(JSON.parse(cli(repo, PEOPLE.releaser, 'check', 'billing@2.1.0', '--json').stdout).policy).toMatch(/^shipgate\.yaml on trunk /);
    repo.commit('chore: main after all', { 'shipgate.yaml': `${POLICY_YAML}branches:\n  main: { name: feature }\n` });
    repo.git('branch', '-f', 'main', 'trunk');
    repo.git('branch', 'feature', 'trunk~1');
    expect(expectOneLineError(cli(repo, PEOPLE.releaser, 'check', 'billing@2.1.0'))).toBe(
      'shipgate: the policy committed on main names feature as the main branch, but the policy committed on feature names trunk (set branches.main.name to the same branch in both and commit it on feature)',
    );
  });
});
