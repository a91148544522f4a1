import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from './helpers/gate-fixtures.js';
import { createRepo, type TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli } from './helpers/run-cli.js';

// Names of Object.prototype members used as roles, members, handles and CODEOWNERS owners: a lookup
// that finds an inherited member instead of the policy's own entry crashed `approve` and `waive`.
// A role the policy defines as "constructor" is its own entry; undefined names (toString, __proto__) are
// unknown roles, and \`policy check\` refuses a reference to one (it once took Object's for a role).
const POLICY = `roles:
  tech-lead: { description: Tech leads, members: [${PEOPLE.lead}, constructor, toString, hasOwnProperty, __proto__] }
  constructor: { description: Builders, members: [] }
identity:
  handles: { "@alice": [${PEOPLE.alice}] }
approvals:
  minor:
    - { id: ctor-sign-off, title: Constructor sign-off, kind: approval, role: constructor, count: 1 }
    - { id: lead-sign-off, title: Tech lead sign-off, kind: approval, role: tech-lead, count: 1 }
    - { id: team-approvals, title: Team approval, kind: approval, role: module-team, count: 1 }
versioning:
  minor:
    requires:
      - { id: constructor-approval, title: Constructor approval }
      - { id: docs, title: Updated documentation }
gates:
  waivers: { roles: [constructor, tech-lead] }
`;

describe('roles, members and handles named like Object.prototype members', () => {
  let repo: TestRepo;
  const cli = (as: string, ...args: string[]) => {
    repo.git('config', 'user.email', as);
    return runCli(args, { cwd: repo.dir });
  };

  beforeAll(() => {
    repo = createRepo({ prefix: 'shipgate-proto-' });
    repo.commit('chore: billing module', {
      'modules/billing/package.json': '{ "name": "billing", "version": "2.0.0" }\n',
      '.github/CODEOWNERS': `/modules/billing/ @alice constructor toString\n`,
      'shipgate.yaml': POLICY,
      '.gitignore': '.shipgate/\n',
    });
    repo.tag('billing/v2.0.0', 'billing 2.0.0');
    repo.commit('feat(billing): recurring invoices', { 'modules/billing/src/recurring.js': 'export {};\n' });
    expect(cli(PEOPLE.releaser, 'release', 'create', 'billing').code).toBe(0);
  });
  afterAll(() => repo.cleanup());

  it('approve: a role named constructor holds only its own members, undefined prototype names are unknown, and members named like prototype members match nobody', () => {
    const empty = cli(PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'constructor');
    expect(empty.code).toBe(2);
    expect(expectOneLineError(empty)).toMatch(/^shipgate: lead@example.com is not a member of constructor \(members \(roles.constructor.members\): none\)/);
    for (const role of ['toString', '__proto__', 'hasOwnProperty']) {
      const run = cli(PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', role);
      expect([role, run.code]).toEqual([role, 2]);
      expect(expectOneLineError(run)).toContain(`unknown role "${role}"`);
    }
    const outsider = cli(PEOPLE.outsider, 'approve', 'billing@2.1.0', '--role', 'tech-lead');
    expect(outsider.code).toBe(2);
    expect(expectOneLineError(outsider)).toMatch(/^shipgate: eve@example.com is not a member of tech-lead \(members \(roles.tech-lead.members\): /);
    // CODEOWNERS owners "constructor" and "toString" are no handles: bob is not a module-team member.
    const bob = cli(PEOPLE.bob, 'approve', 'billing@2.1.0', '--role', 'module-team');
    expect(bob.code).toBe(2);
    expect(expectOneLineError(bob)).toMatch(/^shipgate: bob@example.com is not a member of module-team/);
    expect(cli(PEOPLE.alice, 'approve', 'billing@2.1.0', '--role', 'module-team').code).toBe(0);
    expect(cli(PEOPLE.lead, 'approve', 'billing@2.1.0', '--role', 'tech-lead').code).toBe(0);
  });

  it('waive: a waiver role named constructor holds nobody', () => {
    const run = cli(PEOPLE.outsider, 'waive', 'billing@2.1.0', 'checklist.docs', '--reason', 'no docs needed');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: eve@example.com may not waive gates/);
    expect(cli(PEOPLE.lead, 'waive', 'billing@2.1.0', 'checklist.tests', '--reason', 'run by hand').code).toBe(0);
  });

  it('check: the constructor sign-off can never pass (no members) and nothing crashes', () => {
    const run = cli(PEOPLE.releaser, 'check', 'billing@2.1.0', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const gates = JSON.parse(run.stdout).gates as { id: string; verdict: string; evidence: string[] }[];
    const verdicts = Object.fromEntries(gates.map((gate) => [gate.id, gate.verdict]));
    expect(verdicts).toMatchObject({
      'approvals.ctor-sign-off': 'fail',
      'approvals.lead-sign-off': 'pass',
      'approvals.team-approvals': 'pass',
      'versioning.constructor-approval': 'fail',
      'checklist.tests': 'waived',
    });
    expect(gates.find((gate) => gate.id === 'versioning.constructor-approval')?.evidence).toEqual(['0 of 1 constructor approval']);
  });
});
