import type { MiddlewareHandler } from 'hono';
import { setResponseHeaders } from '../set-response-headers.js';

/**
 * Every response says what a browser may load: scripts and styles only from this origin (no inline
 * script or style, so injected markup cannot run), forms only to this origin, no framing.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const HEADERS = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' };

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setResponseHeaders(c, HEADERS);
  };
}
