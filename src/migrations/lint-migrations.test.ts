import { beforeAll, describe, expect, it } from 'vitest';
import { lintFiles, loadParser, streamFiles } from './test-helpers/lint-sql.js';

beforeAll(loadParser);

const DOWN = 'SELECT 1;\n';

describe('positions', () => {
  it('points at the offending clause of a multi-line statement', () => {
    const text = "SET lock_timeout = '2s';\n-- add the flags\nALTER TABLE invoices\n  ADD COLUMN note text,\n  ADD COLUMN paid boolean NOT NULL;\n";
    const [finding] = lintFiles({ 'db/1.up.sql': text, 'db/1.down.sql': DOWN }).findings;
    expect(finding).toMatchObject({ rule: 'adding-required-field', start: { line: 5, column: 27 }, end: { line: 5, column: 35 } });
    expect(finding?.statement).toBe('ALTER TABLE invoices\n  ADD COLUMN note text,\n  ADD COLUMN paid boolean NOT NULL');
  });

  it('counts columns in characters after multi-byte identifiers and emoji', () => {
    // The parser reports UTF-8 byte offsets; "façade😀" is 10 bytes but 8 UTF-16 units.
    const text = `SET lock_timeout = '2s';\nALTER TABLE "façade😀" ADD COLUMN x int NOT NULL;\n`;
    const [finding] = lintFiles({ 'db/1.up.sql': text, 'db/1.down.sql': DOWN }).findings;
    expect(finding).toMatchObject({ rule: 'adding-required-field', start: { line: 2, column: 41 } });
  });
});

describe('unparseable SQL', () => {
  it("is a finding at the parser's position, and the other statements and files are still linted", () => {
    const report = lintFiles({
      'db/1.up.sql': "SET lock_timeout = '2s';\nINSERT INTO t VALUES ('😀é', 1) WHERE;\nDROP TABLE old_invoices;\n",
      'db/1.down.sql': DOWN,
      'db/2.up.sql': "SET lock_timeout = '2s';\nALTER TABLE t DROP COLUMN c;\n",
      'db/2.down.sql': 'SELECT (;\n',
    });
    expect(report.findings.map((f) => `${f.file}:${f.start.line}:${f.start.column} ${f.rule}`)).toEqual([
      'db/1.up.sql:2:33 syntax-error',
      'db/1.up.sql:3:1 ban-drop-table',
      'db/2.up.sql:2:1 ban-drop-column',
      'db/2.down.sql:1:9 syntax-error',
    ]);
    expect(report.findings[0]?.message).toBe('syntax error at or near "WHERE"');
  });

  it('reports an unterminated string without losing the statements before it', () => {
    const report = lintFiles({ 'db/1.up.sql': "SET lock_timeout = '2s';\nDROP TABLE a;\nSELECT 'oops;\n", 'db/1.down.sql': DOWN });
    expect(report.findings.map((f) => `${f.start.line}:${f.start.column} ${f.rule}`)).toEqual(['2:1 ban-drop-table', '3:8 syntax-error']);
  });

  it('reports an unterminated /* comment at the comment, and unterminated quotes and dollar quotes at theirs', () => {
    const findings = (up: string) => lintFiles({ 'db/1.up.sql': up, 'db/1.down.sql': DOWN }).findings.map((f) => `${f.start.line}:${f.start.column} ${f.rule} ${f.message}`);
    expect(findings("SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN a int;\n/* unterminated\nDROP TABLE x;\n")).toEqual([
      expect.stringMatching(/^3:1 syntax-error unterminated \/\* comment/),
    ]);
    expect(findings("SET lock_timeout = '2s';\nSELECT 1; /* a /* nested */ still open\n")).toEqual([expect.stringMatching(/^2:11 syntax-error unterminated \/\* comment/)]);
    expect(findings("SET lock_timeout = '2s';\nSELECT $body$ never closed;\n")).toEqual([expect.stringMatching(/^2:8 syntax-error unterminated dollar-quoted string/)]);
    expect(findings('SET lock_timeout = \'2s\';\nSELECT "never closed;\n')).toEqual([expect.stringMatching(/^2:8 syntax-error unterminated quoted identifier/)]);
  });

  it('reports a statement nested too deeply for the parser as a finding, and lints the statements after it', () => {
    const deep = `SELECT ${Array(10_000).fill('1').join('+')};`;
    const report = lintFiles({ 'db/1.up.sql': `SET lock_timeout = '2s';\n${deep}\nDROP TABLE a;\n`, 'db/1.down.sql': DOWN });
    // At the operator where the chain passes 2,000 levels: "SELECT " then 2,001 times "1+".
    expect(report.findings.map((f) => `${f.start.line}:${f.start.column} ${f.rule}`)).toEqual(['2:4009 syntax-error', '3:1 ban-drop-table']);
    expect(report.findings[0]?.message).toMatch(/^nested too deeply to check: /);
    // It never reached the parser, which stays sound for the statements and runs that follow.
    for (let run = 0; run < 3; run += 1) {
      const again = lintFiles({ 'db/2.up.sql': `SET lock_timeout = '2s';\n${deep}\nDROP TABLE b;\n`, 'db/2.down.sql': DOWN });
      expect(again.findings.map((f) => f.rule)).toEqual(['syntax-error', 'ban-drop-table']);
    }
  });

  it('keeps every finding on one line, even for a quoted name or parser message holding a newline', () => {
    const report = lintFiles({ 'db/1.up.sql': `SET lock_timeout = '2s';\nDROP INDEX "a\nb";\nSELECT 'x\n`, 'db/1.down.sql': DOWN });
    expect(report.findings.map((f) => f.message)).toEqual(['dropping index a\\nb without CONCURRENTLY locks the table against reads and writes', 'unterminated quoted string at or near "\'x\\n"']);
  });

  it('finds a volatile call deep inside a nested column default', () => {
    const nested = `${'lower('.repeat(350)}random()::text${')'.repeat(350)}`;
    const report = lintFiles({ 'db/1.up.sql': `SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c text DEFAULT ${nested};\n`, 'db/1.down.sql': DOWN });
    expect(report.findings.map((f) => f.rule)).toEqual(['adding-field-with-default']);
    expect(report.findings[0]?.message).toMatch(/the default uses random\(\)/);
  });
});

describe('deprecated columns: the policy\'s "remove in a future MAJOR version"', () => {
  const files = {
    'db/001_deprecate.up.sql': "COMMENT ON COLUMN invoices.customer_name IS 'deprecated: use customer_id';\n",
    'db/001_deprecate.down.sql': 'COMMENT ON COLUMN invoices.customer_name IS NULL;\n',
    'db/002_drop.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices DROP COLUMN customer_name;\n",
    'db/002_drop.down.sql': 'ALTER TABLE invoices ADD COLUMN customer_name varchar(255);\n',
  };

  it('records the deprecation', () => {
    expect(lintFiles(files).deprecations).toEqual([
      { table: 'invoices', column: 'customer_name', note: 'use customer_id', migration: 'db/001_deprecate', file: 'db/001_deprecate.up.sql', line: 1 },
    ]);
  });

  it('lets a MAJOR release drop a column deprecated by an earlier migration', () => {
    expect(lintFiles(files, { releaseBump: 'major' }).findings).toEqual([]);
  });

  it('still refuses the drop in a MINOR release, saying where it was deprecated', () => {
    const [finding] = lintFiles(files, { releaseBump: 'minor' }).findings;
    expect(finding?.rule).toBe('ban-drop-column');
    expect(finding?.message).toContain('deprecated (db/001_deprecate.up.sql:1) but may only be dropped in a MAJOR release and this release is a MINOR');
  });

  it('refuses to deprecate and drop in the same migration, even in a MAJOR', () => {
    const sql = "SET lock_timeout = '2s';\nCOMMENT ON COLUMN t.c IS 'DEPRECATED';\nALTER TABLE t DROP COLUMN c;\n";
    expect(lintFiles({ 'db/1.up.sql': sql, 'db/1.down.sql': DOWN }, { releaseBump: 'major' }).findings.map((f) => f.rule)).toEqual(['ban-drop-column']);
  });
});

describe('suppressions', () => {
  const lint = (sql: string) => lintFiles({ 'db/1.up.sql': `SET lock_timeout = '2s';\n${sql}`, 'db/1.down.sql': DOWN });

  it('suppress the next statement only, with the reason kept', () => {
    const report = lint('-- shipgate-ignore ban-drop-table: emptied and unused since v3\nDROP TABLE legacy;\nDROP TABLE other;\n');
    expect(report.suppressed.map((f) => [f.rule, f.start.line, f.reason])).toEqual([['ban-drop-table', 3, 'emptied and unused since v3']]);
    expect(report.findings.map((f) => [f.rule, f.start.line])).toEqual([['ban-drop-table', 4]]);
  });

  it('need a reason: without one nothing is suppressed and the comment is an error', () => {
    const report = lint('-- shipgate-ignore ban-drop-table\nDROP TABLE legacy;\n');
    expect(report.findings.map((f) => `${f.start.line}:${f.start.column} ${f.rule} ${f.level}`)).toEqual([
      '2:1 invalid-suppression error',
      '3:1 ban-drop-table error',
    ]);
  });

  it('warn when they suppress nothing, and reject unknown rule ids', () => {
    const report = lint('-- shipgate-ignore ban-drop-column: not needed\nCREATE TABLE x (id int);\n-- shipgate-ignore ban-drop-tabel: typo\nDROP TABLE y;\n');
    expect(report.findings.map((f) => `${f.start.line} ${f.rule} ${f.level}`)).toEqual([
      '2 unused-suppression warning',
      '4 invalid-suppression error',
      '5 ban-drop-table error',
    ]);
  });

  it('can cover a whole file, e.g. a migration tool without down migrations', () => {
    const report = lintFiles({ 'prisma/migrations/1_init/migration.sql': '-- shipgate-ignore-file require-down-migration: Prisma has no down migrations\nCREATE TABLE t (id int);\n' });
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f) => f.rule)).toEqual(['require-down-migration']);
  });
});

describe('reversibility', () => {
  it('a migration without its down part is a finding at the start of its up file', () => {
    const report = lintFiles({ 'db/001_a.up.sql': 'CREATE TABLE a (id int);\n', 'db/002_b.up.sql': 'CREATE TABLE b (id int);\n', 'db/002_b.down.sql': 'DROP TABLE b;\n' });
    expect(report.findings.map((f) => `${f.file}:${f.start.line}:${f.start.column} ${f.rule}`)).toEqual(['db/001_a.up.sql:1:1 require-down-migration']);
    expect(report.migrations.map((m) => [m.id, m.hasDown])).toEqual([['db/001_a', false], ['db/002_b', true]]);
  });

  it('an empty dbmate down section counts as missing, reported at its marker', () => {
    const report = lintFiles({ 'db/20240101_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\n\n' });
    expect(report.findings.map((f) => `${f.start.line}:${f.start.column} ${f.rule}`)).toEqual(['4:1 require-down-migration']);
  });

  it('down parts are parsed but not held to the up rules (undoing an ADD COLUMN drops it)', () => {
    const report = lintFiles({ 'db/1.up.sql': 'CREATE TABLE a (id int);\n', 'db/1.down.sql': 'DROP TABLE a;\n' });
    expect(report.findings).toEqual([]);
    expect(report.statementCount).toBe(2);
  });
});

describe('the parser it is given', () => {
  const files = { 'db/001_a.up.sql': 'SELECT 1;\n', 'db/001_a.down.sql': 'SELECT 1;\n', 'db/002_b.up.sql': 'SELECT 2;\n' };

  it('is closed when the last migration has been linted, and when a lint fails midway', () => {
    let closed = 0;
    const done = streamFiles(files, (parser) => ({ parse: (sql) => parser.parse(sql), close: () => void (closed += 1) }));
    expect(done.finish().migrations).toBe(2);
    expect(closed).toBeGreaterThan(0);

    closed = 0;
    // A parser whose answer the lint cannot read: the lint throws at the second migration.
    const failing = streamFiles(files, (parser) => ({
      parse: (sql) => (sql.includes('2') ? ({ ok: true, result: { stmts: 7 } } as unknown as ReturnType<typeof parser.parse>) : parser.parse(sql)),
      close: () => void (closed += 1),
    }));
    expect(() => failing.finish()).toThrow();
    expect(closed).toBe(1);
  });
});
