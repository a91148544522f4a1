import { resolveInside } from '../fs/inside-repo.js';
import type { Policy } from '../policy/schema.js';
import { openStore, parseStoreLocation, type Store, type StoreLocation } from '../store/open-store.js';

/**
 * The store a command uses: --db, else SHIPGATE_DATABASE_URL, else the policy's SQLite file under the
 * repository. The database driver is loaded only when a command actually needs the store.
 */
export function openReleaseStore(options: { cwd: string; policy: Policy; db?: string | undefined; env: Readonly<Record<string, string | undefined>> }): Promise<Store> {
  return openStore(storeLocation(options));
}

/**
 * What the user gives on the command line or in the environment may name any database: that is their
 * choice. The file the policy names is the repository's choice, so it must stay inside the repository
 * (a `../x` or a symlinked `.shipgate/` would have a checked-in policy write anywhere).
 */
export function storeLocation(options: { cwd: string; policy: Policy; db?: string | undefined; env: Readonly<Record<string, string | undefined>> }): StoreLocation {
  const chosen = options.db ?? nonEmpty(options.env.SHIPGATE_DATABASE_URL);
  if (chosen !== undefined) return parseStoreLocation(chosen, options.cwd);
  return { kind: 'sqlite', file: resolveInside(options.cwd, options.policy.store.sqlite, 'the store file (store.sqlite in the policy)') };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
