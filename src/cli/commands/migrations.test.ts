import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { BIN } from '../../../test/helpers/run-cli.js';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/migrations');

async function run(args: string[], cwd = path.join(fixtures, 'project')): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => void (stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void (stderr += text.endsWith('\n') ? text : `${text}\n`),
    isTty: false,
    cwd,
    env: {},
    now: () => new Date('2026-02-10T12:00:00Z'),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('shipgate migrations lint', () => {
  it("finds the policy's migrations directory by default and reports file:line:col rule message, the statement and the fix", async () => {
    const { code, stdout } = await run(['migrations', 'lint']);
    expect(code).toBe(1);
    const heads = stdout.split('\n').filter((line) => /^\S+:\d+:\d+ /.test(line)).map((line) => line.split(': ')[0]);
    expect(heads).toEqual([
      'db/migrations/003_unsafe.up.sql:4:1 ban-drop-column error',
      'db/migrations/003_unsafe.up.sql:5:46 adding-required-field error',
      'db/migrations/003_unsafe.up.sql:6:1 require-concurrent-index-creation error',
      'db/migrations/004_typo.up.sql:3:7 syntax-error error',
      'db/migrations/004_typo.up.sql:1:1 require-down-migration error',
    ]);
    expect(stdout).toContain('    | ALTER TABLE invoices DROP COLUMN customer_name\n');
    expect(stdout).toContain('it is deprecated (db/migrations/002_customer_id.sql:4) but may only be dropped in a MAJOR release');
    expect(stdout).toContain('deprecated: invoices.customer_name (db/migrations/002_customer_id.sql:4) use customer_id');
    expect(stdout).toMatch(/5 errors, 0 warnings in 4 migrations \(\d+ statements\); 1 suppressed\n$/);
  });

  it('lets a MAJOR release drop the deprecated column', async () => {
    const { stdout } = await run(['migrations', 'lint', '--release-bump', 'major', '--json']);
    const report = JSON.parse(stdout);
    expect(report.findings.map((f: { rule: string }) => f.rule)).not.toContain('ban-drop-column');
    expect(report.suppressed[0]).toMatchObject({ rule: 'ban-drop-table', reason: 'invoice_drafts has been empty and unused since v1.4' });
  });

  it('exits 0 on migrations that follow every rule', async () => {
    const { code, stdout } = await run(['migrations', 'lint', 'migrations'], path.join(fixtures, 'clean'));
    expect(code).toBe(0);
    expect(stdout).toBe('no problems in 2 migrations (8 statements)\n');
  });

  it('writes GitHub Actions annotations', async () => {
    const { stdout } = await run(['migrations', 'lint', '--format', 'github', 'db/migrations/004_typo.up.sql']);
    expect(stdout.split('\n')[0]).toBe('::error file=db/migrations/004_typo.up.sql,line=3,col=7,endLine=3,title=shipgate syntax-error::syntax error at or near "TABEL"%0Ainstead: fix the SQL at the reported position (checked with the PostgreSQL 18 parser)');
  });

  it('writes SARIF that is valid against the official SARIF 2.1.0 schema', async () => {
    const { stdout } = await run(['migrations', 'lint', '--format', 'sarif']);
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(fixtures, 'sarif-schema-2.1.0.json'), 'utf8')));
    const sarif = JSON.parse(stdout);
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.find((r: { ruleId: string }) => r.ruleId === 'ban-drop-table').suppressions).toEqual([
      { kind: 'inSource', justification: 'invoice_drafts has been empty and unused since v1.4' },
    ]);
    expect(results[0].locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'db/migrations/003_unsafe.up.sql' },
      region: { startLine: 4, startColumn: 1 },
    });
    // The validator must actually reject a broken log, or the check above proves nothing.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
  });

  it('writes SARIF naming shipgate and its version from the installed CLI too (the bundle), not an internal error', () => {
    const cli = spawnSync(process.execPath, [BIN, 'migrations', 'lint', '--format', 'sarif'], { cwd: path.join(fixtures, 'project'), encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(1);
    const manifest = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package.json'), 'utf8')) as { version: string };
    expect(JSON.parse(cli.stdout).runs[0].tool.driver).toMatchObject({ name: 'shipgate', version: manifest.version });
  });

  it('exits 2 without a stack for a path that does not exist or an unknown format', async () => {
    const missing = await run(['migrations', 'lint', 'nowhere']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe('shipgate: no such file or directory: nowhere (pass migration files or directories that exist)\n');
    const format = await run(['migrations', 'lint', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('shipgate: unknown --format "xml" (use one of: text, json, sarif, github)\n');
  });

  it('lints the .sql files under a directory, skipping hidden ones and node_modules, and shows paths relative to the working directory', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'shipgate-lint-tree-'));
    try {
      const write = (name: string, text: string): void => {
        mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
        writeFileSync(path.join(project, name), text);
      };
      write('db/001_a.up.sql', "SET lock_timeout = '2s';\nDROP TABLE legacy;\n");
      write('db/001_a.down.sql', 'SELECT 1;\n');
      write('db/nested/002_b.up.sql', 'CREATE TABLE b (id int);\n');
      write('db/nested/002_b.down.sql', 'DROP TABLE b;\n');
      write('db/.draft/003_c.up.sql', 'NOT SQL AT ALL;\n');
      write('db/node_modules/pkg/004_d.sql', 'NOT SQL AT ALL;\n');
      write('db/.005_e.sql', 'NOT SQL AT ALL;\n');
      write('db/README.md', 'NOT SQL AT ALL;\n');
      const { stdout } = await run(['migrations', 'lint', 'db', '--json'], project);
      const report = JSON.parse(stdout);
      expect(report.migrations.map((m: { id: string }) => m.id)).toEqual(['db/001_a', 'db/nested/002_b']);
      expect(report.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`)).toEqual(['db/001_a.up.sql ban-drop-table']);
      // From a sibling directory the same files show as ../db/...; from inside db, by their own names.
      mkdirSync(path.join(project, 'tools'));
      const sibling = JSON.parse((await run(['migrations', 'lint', '../db', '--json'], path.join(project, 'tools'))).stdout);
      expect(sibling.findings.map((f: { file: string }) => f.file)).toEqual(['../db/001_a.up.sql']);
      expect(sibling.migrations[1].files).toEqual(['../db/nested/002_b.down.sql', '../db/nested/002_b.up.sql']);
      const inside = JSON.parse((await run(['migrations', 'lint', '001_a.up.sql', '../db/001_a.down.sql', '--json'], path.join(project, 'db'))).stdout);
      expect(inside.migrations[0].files).toEqual(['001_a.down.sql', '001_a.up.sql']);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('still exits 1 for an error in the last migration when the reader of its output goes away early (`| head`)', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'shipgate-lint-head-'));
    try {
      // Three migrations of 2,000 warnings each (a suppression with nothing to suppress): megabytes of
      // output, far more than head reads; the fourth migration has the only error.
      const noisy = `SET lock_timeout = '2s';\n${'-- shipgate-ignore ban-drop-table: not a drop\nSELECT 1;\n'.repeat(2000)}`;
      for (const id of ['001_a', '002_b', '003_c']) {
        writeFileSync(path.join(project, `${id}.up.sql`), noisy);
        writeFileSync(path.join(project, `${id}.down.sql`), 'SELECT 1;\n');
      }
      writeFileSync(path.join(project, '004_d.up.sql'), "SET lock_timeout = '2s';\nDROP TABLE invoices;\n");
      writeFileSync(path.join(project, '004_d.down.sql'), 'SELECT 1;\n');
      const piped = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" migrations lint . | head -c 100`], { cwd: project, encoding: 'utf8' });
      expect(piped.stdout).toBe('001_a.up.sql:2:1 unused-suppression warning: shipgate-ignore ban-drop-table suppresses nothing: no such '.slice(0, 100));
      expect(piped.stderr).toBe('');
      expect(piped.status).toBe(1);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('lists the rules', async () => {
    const { stdout } = await run(['migrations', 'rules', '--json']);
    expect(JSON.parse(stdout).map((rule: { id: string }) => rule.id)).toContain('require-concurrent-index-creation');
  });
});
