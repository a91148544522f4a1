import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingRepo, commitDocs, PEOPLE, putPassingReports, putReport } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

const DAY = 86_400_000;

describe('shipgate release, check, approve, waive, notice and postmortem (CLI, SQLite)', () => {
  let repo: TestRepo;
  const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });
  const as = (email: string) => repo.git('config', 'user.email', email);
  const events = () => JSON.parse(cli('release', 'show', 'billing@2.1.0', '--json').stdout).events as { kind?: string; data: { kind: string } }[];

  beforeAll(() => {
    repo = billingRepo();
    commitDocs(repo);
    putPassingReports(repo);
  });
  afterAll(() => repo.cleanup());

  it('release create opens the planned release; a hotfix may not bump beyond PATCH', () => {
    as(PEOPLE.releaser);
    const hotfix = cli('release', 'create', 'billing', '--type', 'hotfix');
    expect(hotfix.code).toBe(2);
    expect(expectOneLineError(hotfix)).toMatch(/^shipgate: a hotfix release may not bump MINOR \(allowed: PATCH\); the plan for billing is 2.1.0 \(/);
    const created = cli('release', 'create', 'billing');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^opened billing@2.1.0: minor scheduled release at [0-9a-f]{7} \(candidate, train \d{4}-\d{2}-\d{2}\)\nnext: shipgate check billing@2.1.0\n$/);
    expect(readFileSync(path.join(repo.dir, '.shipgate/.gitignore'), 'utf8')).toBe('*\n');
    const again = cli('release', 'create', 'billing');
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)).toMatch(/^shipgate: release billing@2.1.0 already exists \(candidate\)/);
  });

  it('check exits 1 and says what to do until every gate passes, then 0', () => {
    const first = cli('check', 'billing');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('FAIL    approvals.team-approvals  2 approvals from module team\n        0 of 2 module-team approvals\n        next: 2 more module-team members run: shipgate approve billing@2.1.0 --role module-team\n');
    expect(first.stdout).toContain('PASS    checklist.security-scan  Security scan passing\n        reports/security/eslint.sarif (ESLint): 0 error, 0 warning, 0 note\n');
    expect(first.stdout).toMatch(/20 gates: 10 pass, 4 fail, 0 waived, 6 later \(required before production or verification\): billing@2.1.0 may not ship yet\n$/);

    as(PEOPLE.alice);
    expect(cli('approve', 'billing@2.1.0', '--role', 'module-team', '--comment', 'LGTM').stdout).toMatch(/^approved: billing@2.1.0 as module-team for candidate [0-9a-f]{7} \(module-team: 1 of 2\)\n$/);
    as(PEOPLE.bob);
    expect(cli('approve', 'billing@2.1.0', '--role', 'module-team').code).toBe(0);
    as(PEOPLE.lead);
    expect(cli('approve', 'billing@2.1.0', '--role', 'tech-lead').code).toBe(0);
    as(PEOPLE.releaser);
    const notice = cli('notice', 'billing@2.1.0', '--comment', 'posted in #engineering').stdout;
    expect(notice).toMatch(/^notice recorded for billing@2.1.0; the 7-day notice period ends \S+\n$/);

    const early = cli('check', 'billing@2.1.0', '--json');
    expect(early.code).toBe(1);
    const failing = JSON.parse(early.stdout).gates.filter((g: { verdict: string }) => g.verdict === 'fail');
    expect(failing.map((g: { id: string }) => g.id)).toEqual(['versioning.notice']);
    // The end the notice command announces is the one the gate enforces.
    const ends = notice.trim().split(' ends ')[1];
    expect(failing[0].evidence[0]).toMatch(new RegExp(`; 7-day notice period ends ${ends?.replace(/[.+]/g, '\\$&')}$`));
    const at = new Date(Date.now() + 8 * DAY).toISOString();
    const ready = cli('check', 'billing@2.1.0', '--at', at);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(/20 gates: 14 pass, 0 fail, 0 waived, 6 later \(required before production or verification\): billing@2.1.0 may ship\n$/);
  });

  it('bad input: one line, exit 2, and the store unchanged', () => {
    const before = events().length;
    as(PEOPLE.lead2);
    const cases: [string[], RegExp][] = [
      [['approve', 'billing@2.1.0', '--role', 'tech-leed'], /^shipgate: unknown role "tech-leed" \(did you mean "tech-lead"\?\)$/],
      [['approve', 'billing@9.0.0', '--role', 'tech-lead'], /^shipgate: unknown release billing@9.0.0 \(list releases with `shipgate release list`/],
      [['approve', 'billing@2.1.0', '--role', 'tech-lead', '--as', PEOPLE.pm], /^shipgate: --as is not allowed by the policy \(set identity.allowAs: true/],
      [['approve', 'billing@2.1.0', '--role', 'product-team'], /^shipgate: a minor release does not ask for product-team approval \(roles it asks for: module-team, tech-lead\)$/],
      [['waive', 'billing@2.1.0', 'team-approvals', '--reason', 'busy'], /^shipgate: approvals.team-approvals is a sign-off by people and cannot be waived/],
      [['postmortem', 'billing@2.1.0', 'not a url'], /^shipgate: "not a url" is not a URL/],
      [['check', 'billing@2.1'], /^shipgate: "billing@2.1" does not name a release/],
    ];
    for (const [args, message] of cases) {
      const run = cli(...args);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
      expect(expectOneLineError(run)).toMatch(message);
    }
    as(PEOPLE.releaser);
    const own = cli('approve', 'billing@2.1.0', '--role', 'tech-lead');
    expect(expectOneLineError(own)).toBe(`shipgate: nobody approves their own release: ${PEOPLE.releaser} created billing@2.1.0 (ask another member of the role)`);
    expect(events()).toHaveLength(before);
  });

  it('a malformed JUnit or SARIF report is reported at its position with exit 2', () => {
    putReport(repo, 'junit/malformed.xml', 'reports/junit/unit.xml');
    const junit = cli('check', 'billing@2.1.0');
    expect(junit.code).toBe(2);
    expect(expectOneLineError(junit)).toMatch(/^shipgate: reports\/junit\/unit.xml:5:\d+: JUnit report: malformed XML: .* \(fix or regenerate the report; a broken report is never read as passing\)$/);
    putPassingReports(repo);
    putReport(repo, 'sarif/not-sarif.sarif', 'reports/security/eslint.sarif');
    const sarif = cli('check', 'billing@2.1.0');
    expect(expectOneLineError(sarif)).toMatch(/^shipgate: reports\/security\/eslint.sarif:1:1: SARIF report: not a SARIF log: it has no "runs" array/);
    putPassingReports(repo);
  });

  it('a new candidate commit drops earlier approvals; a shipped release refuses more', () => {
    repo.commit('fix(billing): rounding', { 'modules/billing/src/round.js': 'export const round = Math.round;\n' });
    as(PEOPLE.releaser);
    expect(cli('release', 'candidate', 'billing@2.1.0').stdout).toMatch(/candidate is now [0-9a-f]{7}; earlier approvals no longer count/);
    const report = JSON.parse(cli('check', 'billing@2.1.0', '--json').stdout);
    expect(report.gates.find((g: { id: string }) => g.id === 'approvals.team-approvals').verdict).toBe('fail');
    expect(report.warnings).toHaveLength(3);
    expect(cli('release', 'abandon', 'billing@2.1.0', '--reason', 'superseded').code).toBe(0);
    as(PEOPLE.alice);
    const late = cli('approve', 'billing@2.1.0', '--role', 'module-team');
    expect(late.code).toBe(2);
    expect(expectOneLineError(late)).toMatch(/^shipgate: billing@2.1.0 is closed \(abandoned\); approval is no longer possible/);
  });

  it('an emergency release passes without approvals and flags its post-mortem until it is attached', () => {
    repo.tag('billing/v2.1.0', 'billing 2.1.0');
    repo.commit('fix(billing): stop double charges', {
      'modules/billing/src/charge.js': 'export const charge = () => 1;\n',
      'modules/billing/CHANGELOG.md': '## 2.1.1\n- Stop double charges\n',
    });
    as(PEOPLE.releaser);
    const emergency = cli('release', 'create', 'billing', '--type', 'emergency');
    expect(emergency.stderr).toBe('');
    expect(emergency.code).toBe(0);
    const id = JSON.parse(cli('release', 'list', 'billing', '--json').stdout)[0].id as string;
    const owed = cli('check', id);
    expect(owed.code).toBe(0);
    expect(owed.stdout).toMatch(/WAIVED  approvals.owner-approval  1 approval from module owner\n {8}0 of 1 module-owner approval\n {8}waived by policy: emergency release: approvals and notice periods are bypassed \(recorded\)\n/);
    expect(id).toBe('billing@2.1.1');
    expect(owed.stdout).toMatch(/post-mortem: owed by \S+ \(attach it: shipgate postmortem billing@2.1.1 <url>\)/);
    expect(cli('check', id, '--at', new Date(Date.now() + 6 * DAY).toISOString()).stdout).toMatch(/post-mortem: OVERDUE since /);
    expect(cli('postmortem', id, 'https://wiki.example.com/pm/7').code).toBe(0);
    expect(cli('check', id, '--at', new Date(Date.now() + 6 * DAY).toISOString()).stdout).toContain('post-mortem: https://wiki.example.com/pm/7\n');
    const log = cli('release', 'show', id);
    expect(log.stdout).toMatch(/postmortem\s+https:\/\/wiki.example.com\/pm\/7/);
  });

  it('uses the store SHIPGATE_DATABASE_URL names instead of the default one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-env-store-'));
    try {
      const file = path.join(dir, 'elsewhere.db');
      as(PEOPLE.releaser);
      const created = runCli(['release', 'create', 'billing', '--json'], { cwd: repo.dir, env: { SHIPGATE_DATABASE_URL: file } });
      expect(created.code).toBe(0);
      expect(existsSync(file)).toBe(true);
      const listed = (env: Record<string, string>) => JSON.parse(runCli(['release', 'list', '--json'], { cwd: repo.dir, env }).stdout) as { state: string }[];
      expect(listed({ SHIPGATE_DATABASE_URL: file }).map((r) => r.state)).toEqual(['candidate']);
      // the default store keeps the releases the tests above made there
      expect(listed({}).length).toBeGreaterThan(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
