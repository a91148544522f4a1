import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveInside } from '../fs/inside-repo.js';
import type { ReleaseRecord } from '../gates/types.js';
import { configFromPolicy } from '../migrations/config-from-policy.js';
import { collectReport } from '../migrations/lint-migrations.js';
import { migrationGate, type MigrationGateResult } from '../migrations/migration-gate.js';
import type { Policy } from '../policy/schema.js';
import type { ChangedFiles } from './collect-evidence.js';
import { lintMigrationPaths } from './lint-migrations.js';

/**
 * Lints the repository's migrations (the policy's migrations.paths, under the component and at the
 * root) and judges the ones this release adds: those with a file changed since the last release.
 * Undefined when the repository has no migrations directory: then there is no database to guard.
 */
export async function collectMigrationEvidence(options: { cwd: string; policy: Policy; release: ReleaseRecord; changed: ChangedFiles }): Promise<MigrationGateResult | undefined> {
  const { cwd, policy, release } = options;
  const candidates = policy.migrations.paths.flatMap((dir) => (release.path === '' ? [dir] : [path.posix.join(release.path, dir), dir]));
  // Refused before anything is read: a migrations path with ../ or linked out of the repository.
  const roots = [...new Set(candidates)].filter((dir) => {
    const target = resolveInside(cwd, dir, 'migrations directory');
    return existsSync(target) && statSync(target).isDirectory();
  });
  if (roots.length === 0) return undefined;
  const { lint } = await lintMigrationPaths({ cwd, paths: roots, config: configFromPolicy(policy.migrations, release.bump) });
  const report = collectReport(lint);
  if (release.lastTag === null) return migrationGate(report);
  const changed = new Set(await options.changed());
  const added = report.migrations.filter((migration) => migration.files.some((file) => changed.has(file))).map((migration) => migration.id);
  return migrationGate(report, added);
}
