import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticateToken } from '../../app/api-tokens.js';
import type { Store } from '../../store/open-store.js';
import type { Caller } from '../env.js';

/*
 * A dashboard session is the token the person pasted, kept in an HttpOnly, SameSite=Strict cookie and
 * checked on every request exactly as the API checks a bearer token: revoking or expiring the token
 * ends the session, and replicas share nothing but the store. Writes also need a CSRF token: an HMAC
 * of the session keyed by the session itself, which a page of another site cannot compute because it
 * cannot read the cookie. It is stateless, so any replica checks it.
 */
export const SESSION_COOKIE = 'shipgate_session';

export interface Session extends Caller {
  readonly csrf: string;
}

/** Whether the request reached us over HTTPS (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

export function csrfToken(session: string): string {
  return createHmac('sha256', session).update('shipgate dashboard form').digest('base64url');
}

export async function readSession(c: Context, store: Store): Promise<Session | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token === undefined || token === '') return null;
  const outcome = await authenticateToken(store, token);
  if (!outcome.ok || outcome.scope !== 'full') return null;
  return { user: outcome.user, tokenId: outcome.tokenId, csrf: csrfToken(token) };
}

export function startSession(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

export function csrfMatches(session: Session, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A form posted from another site: its Origin (browsers send one with every POST) is not ours. Checked
 * on every dashboard POST, sign-in included, which has no session to bind a CSRF token to yet.
 */
export function crossOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return origin === 'null';
  const ours = new URL(c.req.url);
  const host = c.req.header('host') ?? ours.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** A path on this site to return to after signing in; anything else (another site, `//host`) goes home. */
export function localPath(next: string | undefined): string {
  if (next === undefined || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
