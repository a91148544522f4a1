import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LintReport, SourceFile } from '../../src/migrations/types.js';
import { tempDir } from '../helpers/run-cli.js';
import { expectOneLine, expectUserOutcome, fuzzRuns, fuzzTimeout, Guard, runBounded, samples } from './fuzz-kit.js';

const FRAGMENTS = [
  'ALTER TABLE ', 'invoices', ' ADD COLUMN ', 'c', ' int', ' NOT NULL', ' DEFAULT ', 'now()', 'random()', ' DROP COLUMN ', 'CREATE INDEX ', 'CONCURRENTLY ',
  ' ON ', '(c)', 'DROP TABLE ', 'DROP INDEX ', 'CREATE TABLE t (id int)', 'RENAME COLUMN a TO b', 'COMMENT ON COLUMN invoices.c IS ', "'deprecated: x'",
  'BEGIN', 'COMMIT', 'ROLLBACK', "SET lock_timeout = '2s'", 'SELECT ', '1', '+', '(', ')', ',', ';', ';\n', ' ', '\n', '\t', "'", "''", 'E\'\\\'', '"', '""',
  '$$', '$body$', '$1', 'U&\'\\0041\'', '--', '-- c\n', '/*', '*/', '/* /* */ */', '-- shipgate-ignore ban-drop-table: reason\n', '-- shipgate-ignore-file x\n',
  '-- migrate:up\n', '-- migrate:down\n', '-- +goose Up\n', '-- +goose Down\n', '-- +goose NO TRANSACTION\n', '-- +migrate Up\n', '\\', 'é😀', '\u0000', '\uFEFF',
];

/** SQL made of the parts migrations and the lint rules care about, in any order, with quotes and comments left open. */
const sql = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) }), { maxLength: 60 }).map((parts) => parts.join(''));
/** Now and then a statement nested far deeper than migrations are: the parser's stack limit. */
const deep = fc.tuple(fc.constantFrom('1+', 'f(', '- ', 'NOT ', 'ARRAY[', '('), fc.integer({ min: 100, max: 12_000 })).map(([part, times]) => `SELECT ${part.repeat(times)}1;`);
const LAYOUTS = [['db/001_a.up.sql', 'db/001_a.down.sql'], ['db/V1__a.sql', 'db/U1__a.sql'], ['db/20260101_a/up.sql', 'db/20260101_a/down.sql'], ['db/20260101_a/migration.sql'], ['db/001_a.sql', 'db/002_b.sql']];
const migrationFiles: fc.Arbitrary<SourceFile[]> = fc
  .tuple(fc.constantFrom(...LAYOUTS), fc.array(fc.oneof({ weight: 8, arbitrary: sql }, { weight: 1, arbitrary: deep }), { minLength: 2, maxLength: 2 }))
  .map(([paths, texts]) => paths.map((file, index) => ({ path: file, text: texts[index] ?? '' })));

function checkReport(report: LintReport, files: readonly SourceFile[]): void {
  for (const finding of report.findings) {
    const where = `${finding.file}:${finding.start.line}:${finding.start.column} in ${JSON.stringify(files).slice(0, 600)}`;
    expect(finding.start.line >= 1 && finding.start.column >= 1 && finding.end.line >= finding.start.line, where).toBe(true);
    expectOneLine(finding.message, where);
  }
}

describe('fuzz: SQL migrations (migrations lint)', () => {
  let guard: Guard;
  beforeAll(async () => {
    guard = await Guard.start();
  });
  afterAll(() => guard?.close());

  it('lint into findings at real positions, never an exception, however broken or deep the SQL', async () => {
    await fc.assert(
      fc.asyncProperty(migrationFiles, fc.constantFrom<'major' | 'minor' | null>(null, 'major', 'minor'), async (files, releaseBump) => {
        checkReport(await guard.value('sql', files, releaseBump), files);
      }),
      fuzzRuns(),
    );
  }, fuzzTimeout());

  const workspace = tempDir('shipgate-fuzz-sql-');
  afterAll(() => workspace.cleanup());

  it('through the CLI: exit 0, 1 or 2 with a one-line error, never a stack trace', () => {
    const known: SourceFile[][] = [
      [{ path: 'db/001_a.sql', text: 'ALTER TABLE t ADD COLUMN a int;\n/* unterminated\nDROP TABLE x;\n' }],
      [{ path: 'db/001_a.sql', text: `SELECT ${Array(10_000).fill('1').join('+')};\n` }],
    ];
    for (const files of [...known, ...samples(migrationFiles, 4)]) {
      rmSync(path.join(workspace.dir, 'db'), { recursive: true, force: true });
      for (const file of files) {
        mkdirSync(path.dirname(path.join(workspace.dir, file.path)), { recursive: true });
        writeFileSync(path.join(workspace.dir, file.path), file.text);
      }
      for (const format of ['text', 'json']) {
        const run = runBounded(['migrations', 'lint', 'db', '--format', format], workspace.dir);
        expectUserOutcome(run, files);
        if (format === 'json' && run.code !== 2) expect(() => JSON.parse(run.stdout), run.stdout.slice(0, 300)).not.toThrow();
      }
    }
  }, fuzzTimeout(0, 12));
});
