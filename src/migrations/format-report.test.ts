import { beforeAll, describe, expect, it } from 'vitest';
import { countLevels, githubReport, jsonReport, textReport } from './format-report.js';
import { lintFiles, loadParser } from './test-helpers/lint-sql.js';

beforeAll(loadParser);

const files = {
  'db/001_a.up.sql': "SET lock_timeout = '2s';\nALTER TABLE invoices DROP COLUMN total;\n-- shipgate-ignore ban-drop-table: staging copy, never read\nDROP TABLE staging;\nCOMMENT ON COLUMN invoices.old IS 'deprecated: use new';\n",
  'db/001_a.down.sql': 'SELECT 1;\n',
  'db/002_b.up.sql': 'ALTER TABEL typo;\n',
};

describe('lint reports written in pieces', () => {
  it('JSON is exactly one JSON.stringify of { ok, errors, warnings, ...report }, for a report with every section and for an empty one', () => {
    for (const report of [lintFiles(files), lintFiles({})]) {
      const { errors, warnings } = countLevels(report);
      expect([...jsonReport(report)].join('')).toBe(`${JSON.stringify({ ok: errors === 0, errors, warnings, ...report })}\n`);
    }
    expect(lintFiles(files).suppressed).toHaveLength(1);
    expect(lintFiles(files).deprecations).toHaveLength(1);
  });

  it('text and GitHub output end each line, the summary last', () => {
    const report = lintFiles(files);
    const text = [...textReport(report)].join('');
    expect(text).toContain('db/001_a.up.sql:2:1 ban-drop-column error: dropping column invoices.total');
    expect(text).toContain('    | ALTER TABLE invoices DROP COLUMN total\n    instead: ');
    expect(text).toMatch(/\ndeprecated: invoices\.old \(db\/001_a\.up\.sql:5\) use new\n3 errors, 0 warnings in 2 migrations \(6 statements\); 1 suppressed\n$/);
    const github = [...githubReport(report)].join('').split('\n');
    expect(github.at(-1)).toBe('');
    expect(github.at(-2)).toBe('shipgate: 3 errors, 0 warnings in 6 statements');
    expect(github.filter((line) => line.startsWith('::error '))).toHaveLength(3);
  });
});
