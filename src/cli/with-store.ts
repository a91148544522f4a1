import { loadPolicy } from '../app/load-policy.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import type { CliContext } from './context.js';

export interface StoreOptions {
  db?: string;
  as?: string;
}

/**
 * Loads the policy, opens the release store and, for commands that act, identifies the caller; the
 * store (and its database driver) is imported only here, so commands without a store stay fast.
 */
export async function withStore<T>(
  context: CliContext,
  options: StoreOptions,
  work: (session: { store: Store; policy: Policy; cwd: string; now: Date; caller: () => Promise<string> }) => Promise<T>,
): Promise<T> {
  const globals = context.globals();
  const { policy } = await loadPolicy(globals);
  const { identifyCaller } = await import('../app/identify-caller.js');
  const caller = () => identifyCaller({ cwd: globals.cwd, policy, as: options.as });
  const { openReleaseStore } = await import('../app/open-store.js');
  const store = await openReleaseStore({ cwd: globals.cwd, policy, db: options.db, env: context.io.env });
  try {
    return await work({ store, policy, cwd: globals.cwd, now: context.io.now(), caller });
  } finally {
    await store.close();
  }
}

export const DB_OPTION = ['--db <url>', 'the release store: a PostgreSQL URL or a SQLite file (default: SHIPGATE_DATABASE_URL, else the policy\'s store.sqlite)'] as const;
export const AS_OPTION = ['--as <email>', 'act as this person (only where the policy sets identity.allowAs)'] as const;
