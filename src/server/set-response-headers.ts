import type { Context } from 'hono';

/**
 * Sets headers on the response a handler already made. Hono's `c.header()` after the handler copies
 * the whole response to get headers it may change, which makes the node adapter send the body through
 * a web stream: that copy cost a read more than its query. A response we made has mutable headers, so
 * they are set in place; only a response whose headers are locked (one passed through from a fetch)
 * takes Hono's copy.
 */
export function setResponseHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  try {
    const target = c.res.headers;
    for (const [name, value] of Object.entries(headers)) target.set(name, value);
  } catch {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  }
}
