import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseFromPlan } from '../../src/app/create-release.js';
import type { CodeownersSource } from '../../src/app/read-codeowners.js';
import type { ReleaseRecord } from '../../src/gates/types.js';
import { builtinPolicy } from '../../src/policy/parse-policy.js';
import type { Bump, Policy, ReleaseType } from '../../src/policy/schema.js';
import type { Store } from '../../src/store/open-store.js';
import { createRelease } from '../../src/store/releases.js';
import type { ComponentPlan } from '../../src/versioning/types.js';
import { createRepo, type TestRepo } from './git-repo.js';

export const GATE_FIXTURES = fileURLToPath(new URL('../fixtures/gates/', import.meta.url));

/** CODEOWNERS as committed on main, where the CLI reads it for every decision. */
export const CODEOWNERS_ON_MAIN: CodeownersSource = { at: 'main' };

/** The people of the gate tests, by the role the test policy gives them. */
export const PEOPLE = {
  releaser: 'rel@example.com',
  alice: 'alice@example.com', // billing owner (CODEOWNERS, by handle)
  bob: 'bob@example.com', // billing owner (CODEOWNERS, by email)
  lead: 'lead@example.com',
  lead2: 'lead2@example.com',
  pm: 'pm@example.com',
  arch: 'arch@example.com',
  outsider: 'eve@example.com',
} as const;

/** The built-in policy with people in its roles: what a team's shipgate.yaml adds. */
export function testPolicy(): Policy {
  const policy = builtinPolicy();
  policy.roles['tech-lead']!.members = [PEOPLE.lead, PEOPLE.lead2];
  policy.roles['product-team']!.members = [PEOPLE.pm];
  policy.roles['architecture-review']!.members = [PEOPLE.arch];
  policy.identity.handles = { '@alice': [PEOPLE.alice] };
  return policy;
}

export const POLICY_YAML = `roles:
  tech-lead: { members: [${PEOPLE.lead}, ${PEOPLE.lead2}] }
  product-team: { members: [${PEOPLE.pm}] }
  architecture-review: { members: [${PEOPLE.arch}] }
identity:
  handles: { "@alice": [${PEOPLE.alice}] }
`;

/** A repository with the billing module released once (billing/v2.0.0) and one change since (a feature, unless given). */
export function billingRepo(change: { message: string; files: Record<string, string> } = { message: 'feat(billing): recurring invoices', files: { 'modules/billing/src/recurring.js': 'export const recurring = true;\n' } }): TestRepo {
  const repo = createRepo({ prefix: 'shipgate-gates-' });
  repo.commit('chore: billing module', {
    'modules/billing/package.json': '{ "name": "billing", "version": "2.0.0" }\n',
    '.github/CODEOWNERS': `* @org/everyone\n/modules/billing/ @alice ${PEOPLE.bob}\n`,
    'shipgate.yaml': POLICY_YAML,
    '.gitignore': 'reports/\n.shipgate/\n',
  });
  repo.tag('billing/v2.0.0', 'billing 2.0.0');
  repo.commit(change.message, change.files);
  return repo;
}

/** Puts a fixture report where CI would have written it (the working tree, untracked). */
export function putReport(repo: TestRepo, fixture: string, target: string): void {
  const destination = path.join(repo.dir, target);
  mkdirSync(path.dirname(destination), { recursive: true });
  copyFileSync(path.join(GATE_FIXTURES, fixture), destination);
}

/** Every evidence file a passing release needs, from real tool output where there is one. */
export function putPassingReports(repo: TestRepo): void {
  putReport(repo, 'tool-output/vitest-passing.xml', 'reports/junit/unit.xml');
  putReport(repo, 'tool-output/vitest-passing.xml', 'reports/contract/billing-api.xml');
  putReport(repo, 'junit/surefire-performance.xml', 'reports/performance/perf.xml');
  putReport(repo, 'tool-output/eslint-clean.sarif', 'reports/security/eslint.sarif');
  putReport(repo, 'tool-output/vitest-passing.xml', 'reports/smoke/staging.xml');
}

/** Commits the documentation and CHANGELOG a release needs. */
export function commitDocs(repo: TestRepo): string {
  return repo.commit('docs(billing): recurring invoices', {
    'modules/billing/docs/recurring.md': '# Recurring invoices\n',
    'modules/billing/CHANGELOG.md': '## 2.1.0\n- Recurring invoices\n',
  });
}

export function componentPlan(options: { bump: Bump; version: string; breaking?: boolean }): ComponentPlan {
  return {
    component: { name: 'billing', kind: 'module', path: 'modules/billing', manifest: 'modules/billing/package.json', packageName: 'billing', version: '2.0.0', localDependencies: [] },
    lastTag: 'billing/v2.0.0',
    lastVersion: '2.0.0',
    commits: [],
    bump: options.bump,
    nextVersion: options.version,
    nextTag: `billing/v${options.version}`,
    breaking: options.breaking ?? false,
    reasons: [`test plan -> ${options.bump}`],
    warnings: [],
    problems: [],
  };
}

/** Opens a release of billing at the repository's HEAD, as `shipgate release create` would. */
export async function openRelease(
  store: Store,
  policy: Policy,
  repo: TestRepo,
  options: { bump: Bump; version: string; breaking?: boolean; type?: ReleaseType; now?: Date; actor?: string },
): Promise<ReleaseRecord> {
  const record = releaseFromPlan({
    policy,
    plan: componentPlan(options),
    type: options.type ?? 'scheduled',
    commit: repo.git('rev-parse', 'HEAD'),
    actor: options.actor ?? PEOPLE.releaser,
    now: options.now ?? new Date('2026-02-01T18:00:00Z'),
  });
  return createRelease(store, record, { kind: 'created', commit: record.commit, reasons: [], commits: [] });
}
