import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Authenticate } from './cache-tokens.js';
import type { ServerEnv } from './env.js';
import { problemResponse, simpleProblem } from './problem.js';

/**
 * Counts failed authentications per address in a fixed window; an address past the limit is refused
 * with 429 until its window ends. In memory and per process on purpose: it only slows a guesser down,
 * and losing it on a restart loses nothing that matters.
 */
export interface FailureLimiter {
  /** Seconds until the address may try again, or 0. */
  blockedFor(address: string): number;
  fail(address: string): void;
}

export function failureLimiter(options: { max?: number; windowMs?: number; clock?: () => number } = {}): FailureLimiter {
  const max = options.max ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  const windows = new Map<string, { start: number; failures: number }>();
  const current = (address: string) => {
    const now = clock();
    const window = windows.get(address);
    if (window !== undefined && now - window.start < windowMs) return window;
    windows.delete(address);
    return undefined;
  };
  return {
    blockedFor(address) {
      const window = current(address);
      if (window === undefined || window.failures < max) return 0;
      return Math.max(1, Math.ceil((window.start + windowMs - clock()) / 1000));
    },
    fail(address) {
      // A flood of addresses must not grow the map without bound: expired windows go first.
      if (windows.size > 10_000) for (const key of [...windows.keys()]) current(key);
      const window = current(address) ?? { start: clock(), failures: 0 };
      window.failures += 1;
      windows.set(address, window);
    },
  };
}

/** The peer's address; in-process requests (tests) without a socket count as one address. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const REASONS = {
  missing: 'no Authorization header: every /api/v1 request needs "Authorization: Bearer <token>"',
  malformed: 'the Authorization header is not "Bearer <token>" with a shipgate token',
  unknown: 'the token is not known',
  expired: 'the token has expired',
  revoked: 'the token was revoked',
} as const;

export function tooManyFailures(c: Context, seconds: number): Response {
  return problemResponse(c, simpleProblem(429, 'ERATELIMIT', 'Too many requests', `too many failed authentications from this address; try again in ${seconds} s`, 'check the token you send'), { 'Retry-After': String(seconds) });
}

/** The one route a calendar app reads. It cannot send a header, so a calendar feed token may come as `?token=`. */
export const FEED_PATH = '/api/v1/calendar.ics';

/**
 * Every request it guards needs a valid bearer token; the token's user becomes the caller. A calendar
 * feed token (scope calendar) reads the feed and nothing else, and is the only token taken from a
 * URL: a URL lands in browser histories and proxy logs, so a full token found there is refused.
 */
export function requireToken(authenticate: Authenticate, limiter: FailureLimiter): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const address = clientAddress(c);
    const wait = limiter.blockedFor(address);
    if (wait > 0) return tooManyFailures(c, wait);
    const header = c.req.header('authorization');
    const feed = c.req.path === FEED_PATH;
    const inUrl = header === undefined && feed ? c.req.query('token') : undefined;
    const bearer = header === undefined ? inUrl : /^Bearer +(\S+) *$/i.exec(header)?.[1];
    const outcome = header === undefined && inUrl === undefined ? ({ ok: false, reason: 'missing' } as const) : bearer === undefined ? ({ ok: false, reason: 'malformed' } as const) : await authenticate(bearer);
    if (!outcome.ok) {
      limiter.fail(address);
      const hint = outcome.reason === 'missing' || outcome.reason === 'malformed' ? 'create a token with `shipgate token create --user <email>` on the server' : 'ask for a new token (`shipgate token create`)';
      return problemResponse(c, simpleProblem(401, 'EAUTH', 'Unauthorized', REASONS[outcome.reason], hint), { 'WWW-Authenticate': 'Bearer realm="shipgate"' });
    }
    if (inUrl !== undefined && outcome.scope !== 'calendar') {
      return problemResponse(c, simpleProblem(401, 'EAUTH', 'Unauthorized', 'only a calendar feed token is accepted in a URL; a full token is sent in the Authorization header', 'revoke this token (it has been in a URL) and subscribe with a calendar feed token: `shipgate token create --user <email> --scope calendar`'), { 'WWW-Authenticate': 'Bearer realm="shipgate"' });
    }
    if (outcome.scope === 'calendar' && !feed) {
      return problemResponse(c, simpleProblem(403, 'ESCOPE', 'Forbidden', `a calendar feed token may only read GET ${FEED_PATH}`, 'use a full token (`shipgate token create --user <email>`) for anything else'));
    }
    c.set('caller', { user: outcome.user, tokenId: outcome.tokenId });
    await next();
  };
}
