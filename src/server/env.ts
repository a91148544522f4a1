import type { EvidenceReader } from '../app/cached-evidence.js';
import type { Logger } from 'pino';
import type { GoverningPolicy } from '../app/governing-policy.js';
import type { Store } from '../store/open-store.js';
import type { FailureLimiter } from './auth.js';
import type { Authenticate } from './cache-tokens.js';

/** Who a request acts as: the token's user, and the token's id (never the token) for the event log. */
export interface Caller {
  readonly user: string;
  readonly tokenId: string;
}

/** What the app is built from; serve.ts gives the real ones, tests their own. */
export interface ServerDeps {
  readonly store: Store;
  /** The clone the server governs. */
  readonly cwd: string;
  readonly log: Logger;
  /** The policy and CODEOWNERS committed on main (as last fetched): what every decision is made under. */
  readonly policy: () => Promise<GoverningPolicy>;
  /** The current time for reads that take one (calendar, freeze); decisions use the store's clock. */
  readonly now?: () => Date;
  /** The shared secret of the push webhook (X-Hub-Signature-256); without one the hook is refused. */
  readonly webhookSecret?: string | undefined;
  /** Asks the server's clones to fetch now (the push webhook); returns how many fetch jobs it planted. */
  readonly onPush?: (delivery: string) => Promise<number>;
  readonly limiter?: FailureLimiter;
  /** How the API checks a bearer token (buildApp remembers accepted tokens for a few seconds: cache-tokens.ts). */
  readonly authenticate?: Authenticate;
  /**
   * How old a read of the clone's refs a request may reuse (ms; 0, the default: each request reads
   * them). `shipgate serve` allows a second: its own fetches are seen at once, a change by hand within it.
   */
  readonly refsMaxAgeMs?: number;
  /** The gate evidence reader the API and the dashboard share (buildApp makes one from refsMaxAgeMs). */
  readonly readEvidence?: EvidenceReader;
}

export interface ServerEnv {
  Variables: { caller: Caller; requestId: string };
}
