import type { LintReport } from './types.js';

export interface MigrationGateResult {
  readonly verdict: 'pass' | 'fail';
  /** True only when every new migration just adds: the previous release keeps working against the new schema. */
  readonly rollbackSafe: boolean;
  /** Lines a reviewer reads to trust the verdict, each pointing at file:line where it can. */
  readonly evidence: readonly string[];
  /** What to do to make the gate pass, or to make the release rollback-safe. */
  readonly next: readonly string[];
}

/**
 * The migration gate of `shipgate check`: the release fails when an error-level finding remains in one of
 * its new migrations (`newMigrations`, by migration id; all linted migrations when omitted).
 */
export function migrationGate(report: LintReport, newMigrations?: readonly string[]): MigrationGateResult {
  const isNew = newMigrations === undefined ? () => true : ((ids) => (id: string) => ids.has(id))(new Set(newMigrations));
  const migrations = report.migrations.filter((migration) => isNew(migration.id));
  const findings = report.findings.filter((finding) => isNew(finding.migration));
  const errors = findings.filter((finding) => finding.level === 'error');
  const breaking = migrations.flatMap((migration) => migration.breaking);
  const unparsed = migrations.filter((migration) => migration.syntaxErrors > 0);
  const rollbackSafe = breaking.length === 0 && unparsed.length === 0;

  const evidence = [
    migrations.length === 0
      ? 'no new migrations in this release'
      : `${migrations.length} new migration${migrations.length === 1 ? '' : 's'}: ${migrations.map((m) => m.id).join(', ')}`,
    `${errors.length} error-level finding${errors.length === 1 ? '' : 's'}, ${findings.length - errors.length} warning${findings.length - errors.length === 1 ? '' : 's'}`,
    ...errors.map((f) => `${f.file}:${f.start.line}:${f.start.column} ${f.rule}: ${f.message}`),
    rollbackSafe ? 'rollback-safe: the new migrations only add to the schema' : 'not rollback-safe:',
    ...breaking.map((statement) => `${statement.file}:${statement.line} ${statement.why}`),
    ...unparsed.map((migration) => `${migration.id}: ${migration.syntaxErrors} statement(s) could not be parsed`),
  ];
  const next: string[] = [];
  if (errors.length > 0) {
    next.push('fix the error-level findings (run `shipgate migrations lint`), or waive one with `-- shipgate-ignore <rule>: <reason>`');
  }
  if (!rollbackSafe) {
    next.push('to make the release rollback-safe, keep its migrations additive: deprecate instead of dropping or renaming, add columns as nullable');
  }
  return { verdict: errors.length === 0 ? 'pass' : 'fail', rollbackSafe, evidence, next };
}
