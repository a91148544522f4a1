import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { billingRepo, commitDocs, PEOPLE, POLICY_YAML, putPassingReports } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, type CliRun } from './helpers/run-cli.js';

const SECRET = 'SECRET-7f3a9c-do-not-print';
// A failing JUnit report whose test name is the secret: read through a link, `check` would print it.
const SECRET_JUNIT = `<?xml version="1.0"?>\n<testsuite name="s" tests="1" failures="1"><testcase name="${SECRET}"><failure message="${SECRET}"/></testcase></testsuite>\n`;

/**
 * Files the policy names, or that sit where shipgate looks, must be read inside the repository: a symlink
 * out of it or a `../` path is refused with one line, and the outside text appears nowhere.
 */
describe('shipgate reads only files inside the repository', () => {
  let repo: TestRepo;
  let outside: string;
  /** The outside directory as the policy would name it from the repository root. */
  let up: string;

  beforeEach(() => {
    repo = billingRepo();
    commitDocs(repo);
    outside = mkdtempSync(path.join(tmpdir(), 'shipgate-outside-'));
    up = path.relative(repo.dir, outside);
    writeFileSync(path.join(outside, 'secret.md'), `${SECRET}\n`);
    mkdirSync(path.join(outside, 'junit'));
    writeFileSync(path.join(outside, 'junit', 'unit.xml'), SECRET_JUNIT);
    mkdirSync(path.join(outside, 'db'));
    writeFileSync(path.join(outside, 'db', '001_x.up.sql'), `DROP TABLE ${SECRET.replaceAll('-', '_')};\n`);
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: repo.dir, env: { SHIPGATE_TEST_SECRET: SECRET, ...env } });
  const link = (target: string, file: string) => {
    mkdirSync(path.dirname(path.join(repo.dir, file)), { recursive: true });
    symlinkSync(target, path.join(repo.dir, file));
  };
  const policy = (extra: string) => repo.commit('chore: policy', { 'shipgate.yaml': `${POLICY_YAML}${extra}` });
  const openRelease = () => {
    repo.git('config', 'user.email', PEOPLE.releaser);
    const created = cli(['release', 'create', 'billing']);
    expect([created.code, created.stderr]).toEqual([0, '']);
  };

  /** Refused with one line naming the file, exit 2, and the secret nowhere: output or any file of the repository. */
  const expectRefused = (run: CliRun, file: RegExp) => {
    expect(run.code).toBe(2);
    const line = expectOneLineError(run);
    expect(line).toMatch(file);
    expect(line).toMatch(/is outside the repository|symlink/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET);
    expect(filesContaining(repo.dir, SECRET)).toEqual([]);
  };

  it('any command: a shipgate.yaml linked out of the repository (its keys would be quoted in errors)', () => {
    writeFileSync(path.join(outside, 'policy.yaml'), `${SECRET}: yes\n`);
    rmSync(path.join(repo.dir, 'shipgate.yaml'));
    link(path.join(outside, 'policy.yaml'), 'shipgate.yaml');
    expectRefused(cli(['plan']), /policy file "shipgate\.yaml"/);
    expectRefused(cli(['policy', 'check']), /policy file "shipgate\.yaml"/);
    // Named on the command line, a file outside is the user's own choice.
    expect(cli(['--policy', path.join(outside, 'policy.yaml'), 'policy', 'show']).stderr).toMatch(/unknown key/);
  });

  it('notes: a KNOWN-ISSUES.md linked to /proc/self/environ', () => {
    link('/proc/self/environ', 'modules/billing/KNOWN-ISSUES.md');
    expectRefused(cli(['notes', 'billing']), /KNOWN-ISSUES\.md/);
    expectRefused(cli(['notes', 'billing', '-o', 'notes.md']), /KNOWN-ISSUES\.md/);
  });

  it('notes: a MIGRATION.md linked out of the repository', () => {
    link(path.join(outside, 'secret.md'), 'MIGRATION.md');
    expectRefused(cli(['notes', 'billing']), /MIGRATION\.md/);
  });

  it('notes: notes.knownIssues naming ../outside', () => {
    policy(`notes:\n  knownIssues: ["${up}/secret.md"]\n`);
    expectRefused(cli(['notes', 'billing']), /secret\.md/);
  });

  it('check: a JUnit report linked out of the repository, or in a linked directory', () => {
    putPassingReports(repo);
    openRelease();
    rmSync(path.join(repo.dir, 'reports/junit/unit.xml'));
    link(path.join(outside, 'junit', 'unit.xml'), 'reports/junit/unit.xml');
    expectRefused(cli(['check', 'billing']), /reports\/junit\/unit\.xml/);
    rmSync(path.join(repo.dir, 'reports/junit'), { recursive: true });
    link(path.join(outside, 'junit'), 'reports/junit');
    expectRefused(cli(['check', 'billing']), /reports\/junit/);
  });

  it('check: a report directory, a report pattern and a migrations path named with ../', () => {
    putPassingReports(repo);
    openRelease();
    policy(`gates:\n  smokeTests: { paths: ["${up}/junit/*.xml"] }\n`);
    expectRefused(cli(['check', 'billing']), /junit/);
    policy(`migrations:\n  paths: ["${up}/db"]\n`);
    expectRefused(cli(['check', 'billing']), /db/);
  });

  it('check: a migrations directory linked out of the repository', () => {
    putPassingReports(repo);
    openRelease();
    link(path.join(outside, 'db'), 'db/migrations');
    expectRefused(cli(['check', 'billing']), /db\/migrations/);
  });

  it('check: an RFC committed as a symlink counts only when it points at a file of the candidate', () => {
    putPassingReports(repo);
    link('../../rfcs/0042-billing.md', 'docs/rfc/billing-v3.md');
    repo.commit('feat(billing)!: new invoice API', { 'rfcs/0042-billing.md': '# RFC 42\n', 'modules/billing/src/api.js': 'export {};\n' });
    openRelease();
    const rfc = () => (JSON.parse(cli(['check', 'billing', '--json']).stdout) as { gates: { id: string; verdict: string; evidence: string[] }[] }).gates.find((g) => g.id === 'versioning.rfc');
    expect(rfc()).toMatchObject({ verdict: 'pass', evidence: ['found docs/rfc/billing-v3.md'] });
    link(path.join(outside, 'secret.md'), 'RFC.md');
    repo.commit('docs: RFC');
    repo.git('config', 'user.email', PEOPLE.releaser);
    expect(cli(['release', 'candidate', 'billing']).code).toBe(0);
    expectRefused(cli(['check', 'billing']), /RFC\.md/);
  });

  it('approve: a CODEOWNERS linked out of the repository', () => {
    openRelease();
    writeFileSync(path.join(outside, 'CODEOWNERS'), `* ${SECRET}@example.com\n`);
    rmSync(path.join(repo.dir, '.github/CODEOWNERS'));
    link(path.join(outside, 'CODEOWNERS'), '.github/CODEOWNERS');
    repo.commit('chore: shared CODEOWNERS');
    repo.git('config', 'user.email', PEOPLE.outsider);
    expectRefused(cli(['approve', 'billing@2.1.0', '--role', 'module-team']), /CODEOWNERS/);
  });
});

/** Repository files (not .git, not following links) whose text contains `text`. */
function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  const visit = (current: string) => {
    for (const name of readdirSync(current)) {
      if (name === '.git') continue;
      const file = path.join(current, name);
      const info = lstatSync(file);
      if (info.isDirectory()) visit(file);
      else if (info.isFile() && readFileSync(file).includes(text)) found.push(path.relative(dir, file));
    }
  };
  visit(dir);
  return found;
}
