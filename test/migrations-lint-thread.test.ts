import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../bench/migrations/generate-corpus.js';
import { configFromPolicy } from '../src/migrations/config-from-policy.js';
import { jsonReport } from '../src/migrations/format-report.js';
import { lintEachMigration, lintMigrations } from '../src/migrations/lint-migrations.js';
import { partsOf } from '../src/migrations/migration-layout.js';
import type { SqlParser } from '../src/migrations/pg-parser.js';
import type { ParserThread } from '../src/migrations/pg-parser-thread.js';
import { loadParser } from '../src/migrations/test-helpers/lint-sql.js';
import type { MigrationLintConfig, SourceFile } from '../src/migrations/types.js';
import { builtinPolicy } from '../src/policy/parse-policy.js';
import { BIN, tempDir } from './helpers/run-cli.js';

// The parser on its own thread (pg-parser-thread.ts) must give every report exactly as the parser in the
// lint's own thread does. The thread starts from a built file, so these tests use the build: its module in
// dist/, and the CLI's bundle.

const config: MigrationLintConfig = configFromPolicy(builtinPolicy().migrations, 'minor');
const { dir: root, cleanup } = tempDir('shipgate-lint-thread-');
const corpus = path.join(root, 'db');
let files: SourceFile[];
let inProcess: SqlParser;

beforeAll(async () => {
  // 160 migrations (320 files, enough for the CLI to start the thread) of every kind the rules look at,
  // typos (syntax errors) and suppressions included.
  generateCorpus(corpus, 160, 10);
  // And what only some files have: sections in one file, a statement too deep to parse, non-ASCII text, nothing.
  writeFileSync(path.join(corpus, '00100_sections.sql'), "-- migrate:up\nALTER TABLE é ADD COLUMN ü int NOT NULL;\nALTER TABEL x;\n-- migrate:down\nSELECT 'ß';\n");
  writeFileSync(path.join(corpus, '00101_deep.up.sql'), `SET lock_timeout = '1s';\nSELECT ${Array(3_000).fill('1').join('+')};\nDROP TABLE after_deep;\n`);
  writeFileSync(path.join(corpus, '00101_deep.down.sql'), '');
  files = readdirSync(corpus)
    .sort()
    .map((name) => ({ path: `db/${name}`, text: readFileSync(path.join(corpus, name), 'utf8') }));
  inProcess = await loadParser();
});

afterAll(cleanup);

/** The module as built (a path in a variable: the compiler looks for no declarations of dist/). */
async function builtModule(): Promise<typeof import('../src/migrations/pg-parser-thread.js')> {
  const built = '../dist/migrations/pg-parser-thread.js';
  return (await import(built)) as typeof import('../src/migrations/pg-parser-thread.js');
}

describe('the SQL parser on a thread of its own', () => {
  it('gives the same report as the parser in the lint thread, syntax errors and all', async () => {
    const thread = (await builtModule()).startPgParserThread();
    if (thread === undefined) throw new Error('the built worker file is not beside the module');
    // As the CLI does: every part of every file, in the order the files are read (not the lint's order).
    thread.expect(files.flatMap((file) => partsOf(file).map((part) => file.text.slice(part.from, part.to))));
    const threaded = lintMigrations(files, config, thread);
    const expected = lintMigrations(files, config, inProcess);
    const rules = new Set(expected.findings.map((finding) => finding.rule));
    expect([...rules]).toEqual(expect.arrayContaining(['syntax-error', 'adding-required-field', 'ban-drop-table']));
    expect(expected.findings.some((finding) => finding.message.startsWith('nested too deeply'))).toBe(true);
    expect(threaded).toEqual(expected);
  });

  it('answers a text it was not told to expect, after those it was', async () => {
    const thread = (await builtModule()).startPgParserThread() as ParserThread;
    thread.expect(['SELECT 1;', 'ALTER TABEL x;']);
    const surprise = thread.parse('DROP TABLE t;');
    expect(surprise).toEqual(inProcess.parse('DROP TABLE t;'));
    expect(thread.parse('SELECT 1;')).toEqual(inProcess.parse('SELECT 1;'));
    expect(thread.parse('ALTER TABEL x;')).toEqual(inProcess.parse('ALTER TABEL x;'));
    thread.close();
  });

  it('is what the CLI lints a large tree with: its JSON is the in-process report, byte for byte', () => {
    // The bundle starts the thread from its own copy of the worker, beside its chunks.
    expect(existsSync(fileURLToPath(new URL('../dist/bundle/pg-parser-worker.js', import.meta.url)))).toBe(true);
    // Node writes one CPU profile per thread: two profiles show that a second thread ran.
    const profiles = path.join(root, 'profiles');
    const args = ['--cpu-prof', `--cpu-prof-dir=${profiles}`, BIN, 'migrations', 'lint', 'db', '--format', 'json', '--release-bump', 'minor'];
    const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(readdirSync(profiles)).toHaveLength(2);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const expected = [...jsonReport(lintEachMigration(files, config, inProcess))].join('');
    expect(run.stdout).toBe(expected);
  });
});
