import { lintMigrationPaths } from '../../app/lint-migrations.js';
import { loadPolicy } from '../../app/load-policy.js';
import { errors } from '../../errors/catalog.js';
import { configFromPolicy } from '../../migrations/config-from-policy.js';
import { FORMATS, githubReport, jsonReport, textReport, type ReportFormat } from '../../migrations/format-report.js';
import { formatSarif } from '../../migrations/format-sarif.js';
import { collectReport } from '../../migrations/lint-migrations.js';
import { RULE_IDS, ruleInfo } from '../../migrations/rule-catalog.js';
import type { Bump } from '../../migrations/types.js';
import type { RegisterCommand } from '../context.js';
import { packageVersion } from '../package-version.js';
import { printJson, writeChunks } from '../io.js';
import { BUMPS } from '../../policy/release-kinds.js';

interface LintOptions {
  format: string;
  json?: boolean;
  releaseBump?: string;
}

export const registerMigrations: RegisterCommand = (program, context) => {
  const migrations = program.command('migrations').description("the policy's database rules: forward-only, reversible, additive migrations");

  migrations
    .command('lint')
    .description('parse every migration with the PostgreSQL parser and report statements that break the database rules (exit 1 on an error)')
    .argument('[paths...]', "migration files or directories (default: the policy's migrations.paths)")
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--json', 'same as --format json')
    .option('--release-bump <bump>', 'the bump of the release (major, minor, patch): only a MAJOR may drop a deprecated column')
    .action(async (paths: string[], options: LintOptions) => {
      const format = (options.json ? 'json' : options.format) as ReportFormat;
      if (!FORMATS.includes(format)) throw errors.badOption(`unknown --format "${options.format}"`, `use one of: ${FORMATS.join(', ')}`);
      const bump = options.releaseBump as Bump | undefined;
      if (bump !== undefined && !BUMPS.includes(bump)) throw errors.badOption(`unknown --release-bump "${options.releaseBump}"`, 'use major, minor or patch');
      const globals = context.globals();
      const { policy } = await loadPolicy(globals);
      const { lint } = await lintMigrationPaths({ cwd: globals.cwd, paths, config: configFromPolicy(policy.migrations, bump) });
      // Each report but SARIF is written while the lint runs, one migration at a time.
      const output = {
        text: () => textReport(lint),
        json: () => jsonReport(lint),
        sarif: () => [formatSarif(collectReport(lint), packageVersion())],
        github: () => githubReport(lint),
      }[format]();
      writeChunks(context.io, output);
      // A reader that went away (`| head`) stops the output, not the lint: the exit code counts every migration.
      if (lint.finish().errors > 0) context.exit(1);
    });

  migrations
    .command('rules')
    .description('list the migration rules, their default levels and what each asks for')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const rules = RULE_IDS.map((id) => ruleInfo(id));
      if (options.json) return printJson(context.io, rules);
      const width = Math.max(...rules.map((rule) => rule.id.length));
      context.io.out(rules.map((rule) => `${rule.id.padEnd(width)}  ${rule.level.padEnd(7)}  ${rule.summary}`).join('\n'));
    });
};
