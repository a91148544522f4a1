import type { ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';

/** What the messaging jobs need; the server (or a worker) gives them its store, policy and environment. */
export interface NotifyDeps {
  readonly store: Store;
  readonly policy: Policy;
  /** Where the secrets are read, at send time only. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The release notes (Markdown) of a release, for steps whose messages carry them; null when there are none to be had. */
  readonly notes?: (release: ReleaseRecord) => Promise<string | null>;
  /** A new delivery id; default a random UUID. */
  readonly newId?: () => string;
}

/** The job kinds of the communication plan. */
export const NOTIFY_SEND = 'notify-send';
export const BRANCH_LOCK = 'branch-lock';
