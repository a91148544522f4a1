import path from 'node:path';
import type { Policy } from '../policy/schema.js';
import { openStore, parseStoreLocation, type Store } from '../store/open-store.js';

/**
 * The store a command uses: --db, else SHIPGATE_DATABASE_URL, else the policy's SQLite file under the
 * repository. The database driver is loaded only when a command actually needs the store.
 */
export function openReleaseStore(options: { cwd: string; policy: Policy; db?: string | undefined; env: Readonly<Record<string, string | undefined>> }): Promise<Store> {
  const value = options.db ?? nonEmpty(options.env.SHIPGATE_DATABASE_URL) ?? path.resolve(options.cwd, options.policy.store.sqlite);
  return openStore(parseStoreLocation(value, options.cwd));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
