import { beforeAll, describe, expect, it } from 'vitest';
import { githubReport, jsonReport, textReport } from './format-report.js';
import { lintFiles, loadParser, streamFiles } from './test-helpers/lint-sql.js';

beforeAll(loadParser);

const files = {
  'db/001_a.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices DROP COLUMN total;\n-- shipgate-ignore ban-drop-table: staging copy, never read\nDROP TABLE staging;\nCOMMENT ON COLUMN invoices.old IS 'deprecated: use new';\n",
  'db/001_a.down.sql': 'SELECT 1;\n',
  'db/002_b.up.sql': 'ALTER TABEL typo;\n',
};

describe('lint reports written while the lint runs', () => {
  it('JSON is exactly one JSON.stringify of { ...report, ok, errors, warnings }, for a report with every section and for an empty one', () => {
    // By hand: 001 drops a column (error) and its drop table is suppressed; 002 has a syntax error and no down part.
    const expected = [{ input: files, errors: 3 }, { input: {}, errors: 0 }];
    for (const { input, errors } of expected) {
      const report = lintFiles(input);
      const json = [...jsonReport(streamFiles(input))].join('');
      expect(json).toBe(`${JSON.stringify({ ...report, ok: errors === 0, errors, warnings: 0 })}\n`);
    }
    expect(lintFiles(files).suppressed).toHaveLength(1);
    expect(lintFiles(files).deprecations).toHaveLength(1);
  });

  it('JSON escapes what JSON.stringify escapes: quotes, backslashes, tabs, control characters, lone surrogates', () => {
    const tricky = {
      'db/00"3\\_c.up.sql': 'DROP TABLE "we""ird\\";\nALTER TABLE t DROP COLUMN "a\tb";\nDROP TABLE "x\u0001y";\nDROP TABLE "é😀\u2028";\nDROP TABLE é\ud800;\n',
    };
    const report = lintFiles(tricky);
    expect(report.findings.length).toBeGreaterThanOrEqual(5);
    const errors = report.findings.filter((finding) => finding.level === 'error').length;
    const warnings = report.findings.length - errors;
    const json = [...jsonReport(streamFiles(tricky))].join('');
    expect(json).toBe(`${JSON.stringify({ ...report, ok: errors === 0, errors, warnings })}\n`);
  });

  it('text and GitHub output end each line, the summary last', () => {
    const text = [...textReport(streamFiles(files))].join('');
    expect(text).toContain('db/001_a.up.sql:2:1 ban-drop-column error: dropping column invoices.total');
    expect(text).toContain('    | ALTER TABLE invoices DROP COLUMN total\n    instead: ');
    expect(text).toMatch(/\ndeprecated: invoices\.old \(db\/001_a\.up\.sql:5\) use new\n3 errors, 0 warnings in 2 migrations \(6 statements\); 1 suppressed\n$/);
    const github = [...githubReport(streamFiles(files))].join('').split('\n');
    expect(github.at(-1)).toBe('');
    expect(github.at(-2)).toBe('shipgate: 3 errors, 0 warnings in 6 statements');
    expect(github.filter((line) => line.startsWith('::error '))).toHaveLength(3);
  });

  it("writes a migration's findings before the next migration is parsed", () => {
    const parsed: string[] = [];
    const lint = streamFiles(files, (parser) => ({ parse: (sql) => (parsed.push(sql), parser.parse(sql)) }));
    const pieces = textReport(lint)[Symbol.iterator]();
    expect(pieces.next().value).toMatch(/^db\/001_a\.up\.sql:2:1 ban-drop-column error/);
    expect(parsed.join('')).not.toContain('TABEL');
    expect([...pieces].join('')).toContain('db/002_b.up.sql:1:7 syntax-error error');
    expect(parsed.join('')).toContain('TABEL');
  });

  it('counts every migration when the output stops early, as when the reader of a pipe goes away', () => {
    const lint = streamFiles(files);
    for (const piece of githubReport(lint)) if (piece.startsWith('::error ')) break;
    // The first migration has one error; the second, not yet taken when the output stopped, has two.
    expect(lint.finish()).toEqual({ errors: 3, warnings: 0, suppressed: 1, migrations: 2, statements: 6 });
  });
});
