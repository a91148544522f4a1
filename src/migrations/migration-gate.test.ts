import { beforeAll, describe, expect, it } from 'vitest';
import { migrationGate } from './migration-gate.js';
import { lintFiles, loadParser } from './test-helpers/lint-sql.js';

beforeAll(loadParser);

const additive = {
  'db/001_invoices.up.sql': "SET lock_timeout = '2s';\nCREATE TABLE invoices (id bigint PRIMARY KEY);\n",
  'db/001_invoices.down.sql': 'DROP TABLE invoices;\n',
  'db/002_name.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices ADD COLUMN customer_name varchar(255);\n",
  'db/002_name.down.sql': 'ALTER TABLE invoices DROP COLUMN customer_name;\n',
};

describe('migrationGate', () => {
  it('passes and marks rollback-safe a release whose migrations only add', () => {
    const result = migrationGate(lintFiles(additive));
    expect(result).toMatchObject({ verdict: 'pass', rollbackSafe: true, next: [] });
    expect(result.evidence[0]).toBe('2 new migrations: db/001_invoices, db/002_name');
  });

  it('fails on an error-level finding in a new migration, citing it', () => {
    const report = lintFiles({ ...additive, 'db/003_drop.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices DROP COLUMN total;\n", 'db/003_drop.down.sql': 'SELECT 1;' });
    const result = migrationGate(report, ['db/003_drop']);
    expect(result.verdict).toBe('fail');
    expect(result.rollbackSafe).toBe(false);
    expect(result.evidence).toContain('db/003_drop.up.sql:2 drops column invoices.total');
    expect(result.evidence.some((line) => line.startsWith('db/003_drop.up.sql:2:1 ban-drop-column'))).toBe(true);
  });

  it('ignores findings in migrations that shipped in earlier releases', () => {
    const report = lintFiles({ ...additive, 'db/000_old.up.sql': 'DROP TABLE legacy;\n' });
    expect(migrationGate(report, ['db/002_name'])).toMatchObject({ verdict: 'pass', rollbackSafe: true });
  });

  it('judges a new NOT NULL column as the adding-required-field rule does: required unless something fills it', () => {
    const withColumn = (definition: string) =>
      migrationGate(lintFiles({ ...additive, 'db/003_col.up.sql': `SET lock_timeout = '2s';\nALTER TABLE invoices ADD COLUMN ${definition};\n`, 'db/003_col.down.sql': 'SELECT 1;' }), ['db/003_col']);
    // The previous release's INSERTs leave the column out: an identity fills it, a bare PRIMARY KEY does not.
    expect(withColumn('seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL')).toMatchObject({ rollbackSafe: true });
    const primary = withColumn('code text PRIMARY KEY');
    expect(primary).toMatchObject({ verdict: 'fail', rollbackSafe: false });
    expect(primary.evidence).toContain('db/003_col.up.sql:2 adds required column invoices.code');
    expect(withColumn('paid boolean NOT NULL DEFAULT false')).toMatchObject({ rollbackSafe: true });
  });

  it('passes a MAJOR that drops a deprecated column, but not as rollback-safe', () => {
    const report = lintFiles(
      {
        'db/001_deprecate.up.sql': "COMMENT ON COLUMN invoices.total IS 'deprecated: use amount';\n",
        'db/001_deprecate.down.sql': 'SELECT 1;',
        'db/002_drop.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices DROP COLUMN total;\n",
        'db/002_drop.down.sql': 'SELECT 1;',
      },
      { releaseBump: 'major' },
    );
    expect(migrationGate(report, ['db/002_drop'])).toMatchObject({ verdict: 'pass', rollbackSafe: false });
  });
});
