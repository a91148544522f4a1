import { lintEachMigration, lintMigrations } from '../lint-migrations.js';
import { loadPgParser, type SqlParser } from '../pg-parser.js';
import type { LintReport, LintStream, MigrationLintConfig, SourceFile } from '../types.js';

let parser: SqlParser | undefined;

/** Call from beforeAll: the parser is WASM and loads asynchronously once. */
export async function loadParser(): Promise<SqlParser> {
  parser ??= await loadPgParser();
  return parser;
}

export function lintFiles(files: Record<string, string>, config: Partial<MigrationLintConfig> = {}): LintReport {
  return lintMigrations(sources(files), { rules: {}, paths: [], ...config }, loaded());
}

/** The same lint as a stream, one migration at a time; `parser` may wrap the loaded one to watch it. */
export function streamFiles(files: Record<string, string>, wrap: (parser: SqlParser) => SqlParser = (p) => p): LintStream {
  return lintEachMigration(sources(files), { rules: {}, paths: [] }, wrap(loaded()));
}

function loaded(): SqlParser {
  if (parser === undefined) throw new Error('call loadParser() in beforeAll');
  return parser;
}

function sources(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

/**
 * Lints `sql` as the up part of one migration with a down part and a lock_timeout, so only the rules
 * about `sql` itself can fire. Returns the rule ids found.
 */
export function rulesFor(sql: string, config: Partial<MigrationLintConfig> = {}): string[] {
  const report = lintFiles({ 'db/001_change.up.sql': `SET lock_timeout = '2s';\n${sql}`, 'db/001_change.down.sql': 'SELECT 1;\n' }, config);
  return report.findings.map((finding) => finding.rule);
}
