import { loadPolicy } from '../app/load-policy.js';
import type { GoverningPolicy } from '../app/governing-policy.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import type { CliContext } from './context.js';

export interface StoreOptions {
  db?: string;
  as?: string;
}

interface Session {
  store: Store;
  policy: Policy;
  cwd: string;
  now: Date;
  caller: () => Promise<string>;
}

/**
 * Loads the policy, opens the release store and, for commands that act, identifies the caller; the
 * store (and its database driver) is imported only here, so commands without a store stay fast.
 * For commands that only read the store: the working tree's (or --policy) policy locates it.
 */
export async function withStore<T>(context: CliContext, options: StoreOptions, work: (session: Session) => Promise<T>): Promise<T> {
  const globals = context.globals();
  const { policy } = await loadPolicy(globals);
  return openSession(context, options, policy, work);
}

/**
 * For commands that decide about a release: `record` (approve, waive, notice, release changes,
 * post-mortems) runs under the policy and CODEOWNERS committed on main and refuses any other;
 * `check` also runs under main's, or previews another policy given with --policy.
 */
export async function withGoverningStore<T>(
  context: CliContext,
  options: StoreOptions,
  purpose: 'record' | 'check',
  work: (session: Session & { governing: GoverningPolicy }) => Promise<T>,
): Promise<T> {
  const { checkingPolicy, recordingPolicy } = await import('../app/governing-policy.js');
  const governing = await (purpose === 'record' ? recordingPolicy : checkingPolicy)(context.globals());
  return openSession(context, options, governing.policy, (session) => work({ ...session, governing }));
}

async function openSession<T>(context: CliContext, options: StoreOptions, policy: Policy, work: (session: Session) => Promise<T>): Promise<T> {
  const { cwd } = context.globals();
  const { identifyCaller } = await import('../app/identify-caller.js');
  // Who may act as whom (identity.allowAs) is the deciding policy's call, as everything else is.
  const caller = () => identifyCaller({ cwd, policy, as: options.as });
  const { openReleaseStore } = await import('../app/open-store.js');
  const store = await openReleaseStore({ cwd, policy, db: options.db, env: context.io.env });
  try {
    return await work({ store, policy, cwd, now: context.io.now(), caller });
  } finally {
    await store.close();
  }
}

export const DB_OPTION = ['--db <url>', 'the release store: a PostgreSQL URL or a SQLite file (default: SHIPGATE_DATABASE_URL, else the policy\'s store.sqlite)'] as const;
export const AS_OPTION = ['--as <email>', 'act as this person (only where the policy sets identity.allowAs)'] as const;
