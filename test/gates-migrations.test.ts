import { describe, expect, it } from 'vitest';
import { billingRepo, PEOPLE } from './helpers/gate-fixtures.js';
import { cleanupAfterEach, type TestRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();

/** billing released with one migration already in production; the test adds the release's own. */
function repoWithMigrations(): TestRepo {
  const repo = track(billingRepo());
  repo.git('tag', '-d', 'billing/v2.0.0');
  repo.commit('chore(billing): first migration', {
    // Already shipped: its unsafe statement is not this release's business.
    'db/migrations/001_invoices.up.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);\nCREATE INDEX invoices_total ON invoices (total);\n',
    'db/migrations/001_invoices.down.sql': 'DROP TABLE invoices;\n',
  });
  repo.tag('billing/v2.0.0', 'billing 2.0.0');
  return repo;
}

const check = (repo: TestRepo) => {
  repo.git('config', 'user.email', PEOPLE.releaser);
  runCli(['release', 'create', 'billing'], { cwd: repo.dir });
  return runCli(['check', 'billing'], { cwd: repo.dir }).stdout;
};

describe('the migration guard as a release gate', () => {
  it('passes an additive migration and marks the release rollback-safe', () => {
    const repo = repoWithMigrations();
    repo.commit('feat(billing): customer name on invoices', {
      'modules/billing/src/name.js': 'export {};\n',
      'db/migrations/002_customer_name.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices ADD COLUMN customer_name varchar(255);\n",
      'db/migrations/002_customer_name.down.sql': 'ALTER TABLE invoices DROP COLUMN customer_name;\n',
    });
    const out = check(repo);
    expect(out).toMatch(/PASS {4}migrations\.safety {2}Database migrations follow the policy\n {8}1 new migration: db\/migrations\/002_customer_name\n {8}0 error-level findings, 0 warnings\n/);
    expect(out).toContain('rollback-safe: yes, the new migrations only add to the schema\n');
  });

  it('fails a release whose new migration drops a column, at its position, and says it is not rollback-safe', () => {
    const repo = repoWithMigrations();
    repo.commit('feat(billing)!: drop totals', {
      'modules/billing/src/totals.js': 'export {};\n',
      'db/migrations/002_drop_total.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices DROP COLUMN total;\n",
      'db/migrations/002_drop_total.down.sql': 'ALTER TABLE invoices ADD COLUMN total numeric;\n',
    });
    const out = check(repo);
    expect(out).toMatch(/FAIL {4}migrations\.safety {2}Database migrations follow the policy\n {8}1 new migration: db\/migrations\/002_drop_total\n {8}1 error-level finding, 0 warnings\n {8}db\/migrations\/002_drop_total\.up\.sql:2:\d+ ban-drop-column: /);
    expect(out).toContain('rollback-safe: NO, see migrations.safety\n');
    expect(out).toMatch(/next: fix the error-level findings/);
  });

  it('adds no migration gate to a repository without migrations', () => {
    const repo = track(billingRepo());
    const out = check(repo);
    expect(out).not.toContain('migrations.safety');
    expect(out).not.toContain('rollback-safe');
  });

  it('warns when the checked-out commit is not the candidate the reports are judged for', () => {
    const repo = track(billingRepo());
    check(repo);
    repo.commit('fix(billing): after the candidate', { 'modules/billing/src/late.js': 'export {};\n' });
    const out = runCli(['check', 'billing'], { cwd: repo.dir }).stdout;
    expect(out).toMatch(/warning: HEAD \([0-9a-f]{7}\) is not the candidate \([0-9a-f]{7}\): .*shipgate release candidate billing@2\.1\.0/);
  });
});
