import { git } from '../git/run-git.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { listReleases } from '../store/releases.js';
import { collectMigrationEvidence } from './collect-migration-evidence.js';

export interface RollbackSafety {
  readonly safe: boolean;
  /** What the migration guard says, to put on the record. */
  readonly evidence: readonly string[];
}

/**
 * Whether going back from `from` to `to` is safe for the database: the migration guard's verdict on
 * the migrations added since `to`'s tag (up to `from`'s tag, else HEAD). When `to` has no tag in the
 * repository every migration counts, since which ones came later cannot be told.
 */
export async function rollbackSafety(options: { store: Store; policy: Policy; cwd: string; component: string; to: string; from: string | null }): Promise<RollbackSafety> {
  const { store, policy, cwd, component } = options;
  const releases = await listReleases(store, { component });
  const older = releases.find((release) => release.version === options.to);
  const newer = releases.find((release) => release.version === options.from) ?? releases[0];
  const base = newer ?? older;
  if (base === undefined) return { safe: true, evidence: [`no release of ${component} is recorded: its migrations were not checked`] };
  const since = older?.tag != null && (await tagExists(cwd, older.tag)) ? older.tag : null;
  const upTo = newer?.tag != null && (await tagExists(cwd, newer.tag)) ? `refs/tags/${newer.tag}` : 'HEAD';
  const changed = async () => (since === null ? [] : (await git(['diff', '--name-only', '--no-renames', '--end-of-options', `refs/tags/${since}..${upTo}`, '--'], { cwd })).stdout.split('\n').filter((line) => line !== ''));
  const result = await collectMigrationEvidence({ cwd, policy, release: { ...base, lastTag: since }, changed });
  if (result === undefined) return { safe: true, evidence: ['no migrations directory: nothing to guard'] };
  const scope = since === null ? `every migration (${options.to} has no tag to compare with)` : `migrations since ${since}`;
  return { safe: result.rollbackSafe, evidence: [`migration guard on ${scope}:`, ...result.evidence] };
}

async function tagExists(cwd: string, tag: string): Promise<boolean> {
  const { code } = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `refs/tags/${tag}^{commit}`], { cwd, okCodes: [1, 128] });
  return code === 0;
}
