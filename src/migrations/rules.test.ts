import { beforeAll, describe, expect, it } from 'vitest';
import { lintFiles, loadParser, rulesFor } from './test-helpers/lint-sql.js';

beforeAll(loadParser);

// Each rule: a statement users write that it must catch, and the rewrite its hint recommends, which must pass.
const cases: { rule: string; bad: string; safe: string }[] = [
  { rule: 'ban-drop-column', bad: 'ALTER TABLE invoices DROP COLUMN customer_name;', safe: "COMMENT ON COLUMN invoices.customer_name IS 'deprecated: use customer_id';" },
  { rule: 'adding-required-field', bad: 'ALTER TABLE invoices ADD COLUMN customer_name varchar(255) NOT NULL;', safe: 'ALTER TABLE invoices ADD COLUMN customer_name varchar(255);' },
  { rule: 'adding-required-field', bad: 'ALTER TABLE invoices ADD COLUMN paid boolean NOT NULL;', safe: 'ALTER TABLE invoices ADD COLUMN paid boolean NOT NULL DEFAULT false;' },
  {
    rule: 'adding-not-nullable-field',
    bad: 'ALTER TABLE invoices ALTER COLUMN total SET NOT NULL;',
    safe: 'ALTER TABLE invoices ADD CONSTRAINT total_nn CHECK (total IS NOT NULL) NOT VALID;\nALTER TABLE invoices VALIDATE CONSTRAINT total_nn;\nALTER TABLE invoices ALTER COLUMN total SET NOT NULL;',
  },
  { rule: 'ban-drop-table', bad: 'DROP TABLE invoices;', safe: "COMMENT ON TABLE invoices IS 'deprecated';" },
  { rule: 'renaming-column', bad: 'ALTER TABLE invoices RENAME COLUMN total TO amount;', safe: 'ALTER TABLE invoices ADD COLUMN amount numeric;' },
  { rule: 'renaming-table', bad: 'ALTER TABLE invoices RENAME TO bills;', safe: 'CREATE VIEW bills AS SELECT * FROM invoices;' },
  { rule: 'changing-column-type', bad: 'ALTER TABLE invoices ALTER COLUMN id TYPE bigint;', safe: 'ALTER TABLE invoices ADD COLUMN id_big bigint;' },
  { rule: 'require-concurrent-index-creation', bad: 'CREATE INDEX invoices_total ON invoices (total);', safe: 'CREATE INDEX CONCURRENTLY invoices_total ON invoices (total);' },
  { rule: 'require-concurrent-index-deletion', bad: 'DROP INDEX invoices_total;', safe: 'DROP INDEX CONCURRENTLY invoices_total;' },
  {
    rule: 'constraint-missing-not-valid',
    bad: 'ALTER TABLE invoices ADD CONSTRAINT invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id);',
    safe: 'ALTER TABLE invoices ADD CONSTRAINT invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
  },
  {
    rule: 'constraint-missing-not-valid',
    bad: 'ALTER TABLE invoices ADD CONSTRAINT total_positive CHECK (total > 0);',
    safe: 'ALTER TABLE invoices ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;',
  },
  { rule: 'adding-field-with-default', bad: 'ALTER TABLE invoices ADD COLUMN token uuid DEFAULT gen_random_uuid();', safe: 'ALTER TABLE invoices ADD COLUMN created_at timestamptz DEFAULT now();' },
  { rule: 'adding-field-with-default', bad: 'ALTER TABLE invoices ADD COLUMN seq bigserial;', safe: 'ALTER TABLE invoices ADD COLUMN seq bigint;' },
  {
    rule: 'disallowed-unique-constraint',
    bad: 'ALTER TABLE invoices ADD CONSTRAINT invoices_number UNIQUE (number);',
    safe: 'CREATE UNIQUE INDEX CONCURRENTLY invoices_number_idx ON invoices (number);\nALTER TABLE invoices ADD CONSTRAINT invoices_number UNIQUE USING INDEX invoices_number_idx;',
  },
  {
    rule: 'disallowed-unique-constraint',
    bad: 'ALTER TABLE invoices ADD PRIMARY KEY (id);',
    safe: 'CREATE UNIQUE INDEX CONCURRENTLY invoices_pkey_idx ON invoices (id);\nALTER TABLE invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY USING INDEX invoices_pkey_idx;',
  },
  { rule: 'disallowed-unique-constraint', bad: 'ALTER TABLE invoices ADD COLUMN number text UNIQUE;', safe: 'ALTER TABLE invoices ADD COLUMN number text;' },
  { rule: 'transaction-nesting', bad: 'BEGIN;\nUPDATE invoices SET total = 0;\nBEGIN;\nCOMMIT;', safe: 'BEGIN;\nUPDATE invoices SET total = 0;\nCOMMIT;' },
  {
    rule: 'ban-concurrent-index-creation-in-transaction',
    bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY invoices_total ON invoices (total);\nCOMMIT;',
    safe: 'BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY invoices_total ON invoices (total);',
  },
];

describe('each rule fires on the unsafe statement and not on the recommended rewrite', () => {
  for (const { rule, bad, safe } of cases) {
    it(`${rule}: ${bad.split('\n')[0]}`, () => {
      expect(rulesFor(bad)).toContain(rule);
      expect(rulesFor(safe)).toEqual([]);
    });
  }
});

describe('the rules know what is safe in context', () => {
  it('allows anything on a table created in the same migration', () => {
    const sql = 'CREATE TABLE bills (id int);\nCREATE INDEX bills_id ON bills (id);\nALTER TABLE bills ADD COLUMN total int NOT NULL;\nALTER TABLE bills ADD CONSTRAINT pos CHECK (total > 0);';
    expect(rulesFor(sql)).toEqual([]);
  });

  it('requires a lock_timeout before the first DDL, once per file', () => {
    const report = lintFiles({
      'db/1.up.sql': 'ALTER TABLE a ADD COLUMN x int;\nALTER TABLE b ADD COLUMN y int;\n',
      'db/1.down.sql': 'SELECT 1;',
      'db/2.up.sql': "SET lock_timeout = '1s';\nALTER TABLE a ADD COLUMN z int;\n",
      'db/2.down.sql': 'SELECT 1;',
    });
    expect(report.findings.map((f) => `${f.file}:${f.start.line} ${f.rule}`)).toEqual(['db/1.up.sql:1 require-lock-timeout']);
  });

  it('treats dbmate sections as transactions unless transaction:false', () => {
    const concurrently = "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- migrate:down\nDROP INDEX CONCURRENTLY i;\n";
    expect(lintFiles({ 'db/1_x.sql': `-- migrate:up\n${concurrently}` }).findings.map((f) => f.rule)).toEqual(['ban-concurrent-index-creation-in-transaction']);
    expect(lintFiles({ 'db/1_x.sql': `-- migrate:up transaction:false\n${concurrently}` }).findings).toEqual([]);
  });

  it('reports BEGIN and COMMIT in a part the migration tool runs in a transaction, at each statement', () => {
    const part = "SET lock_timeout = '1s';\nBEGIN;\nUPDATE invoices SET total = 0;\nCOMMIT;\n-- migrate:down\nSELECT 1;\n";
    const report = lintFiles({ 'db/1_x.sql': `-- migrate:up\n${part}` });
    expect(report.findings.map((f) => `${f.start.line} ${f.rule} ${f.message.split(':')[0]}`)).toEqual([
      '3 transaction-nesting BEGIN inside a transaction',
      '5 transaction-nesting COMMIT ends the transaction the migration tool runs this part in',
    ]);
    expect(lintFiles({ 'db/1_x.sql': `-- migrate:up transaction:false\n${part}` }).findings).toEqual([]);
    // golang-migrate runs files as they are: BEGIN/COMMIT there is the author's own transaction.
    expect(lintFiles({ 'db/1.up.sql': part.split('-- migrate:down')[0] ?? '', 'db/1.down.sql': 'SELECT 1;' }).findings).toEqual([]);
  });

  it('reports UNIQUE on a new column at the constraint, and nothing on a table created in the same migration', () => {
    const report = lintFiles({ 'db/1.up.sql': "SET lock_timeout = '1s';\nALTER TABLE invoices ADD COLUMN number text UNIQUE;\n", 'db/1.down.sql': 'SELECT 1;' });
    expect(report.findings.map((f) => [f.rule, f.start.line, f.start.column, f.message])).toEqual([
      ['disallowed-unique-constraint', 2, 45, 'adding UNIQUE on new column invoices.number builds its index while holding an ACCESS EXCLUSIVE lock, blocking reads and writes'],
    ]);
    expect(rulesFor('CREATE TABLE bills (id int);\nALTER TABLE bills ADD PRIMARY KEY (id);')).toEqual([]);
  });

  it('the policy can turn a rule off or change its level', () => {
    expect(rulesFor('DROP TABLE invoices;', { rules: { 'ban-drop-table': 'off' } })).toEqual([]);
    const report = lintFiles({ 'db/1.up.sql': 'DROP TABLE t;', 'db/1.down.sql': 'SELECT 1;' }, { rules: { 'ban-drop-table': 'warning', 'require-lock-timeout': 'off' } });
    expect(report.findings.map((f) => [f.rule, f.level])).toEqual([['ban-drop-table', 'warning']]);
  });
});
