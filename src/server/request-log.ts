import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { looksLikeToken } from '../app/api-tokens.js';
import { clientAddress } from './auth.js';
import { setResponseHeaders } from './set-response-headers.js';
import type { ServerEnv } from './env.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One structured line per request: its id (the caller's X-Request-Id when it is sane, else a new one,
 * returned in the response), method, path, status, time, and who (user and token id). Never a header,
 * a query string or a body: those are where secrets travel.
 */
export function requestLog(log: Logger): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    // The id is echoed and logged: a client that sends its token there by mistake must not see it written down.
    const requestId = given !== undefined && REQUEST_ID.test(given) && !looksLikeToken(given) ? given : randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      setResponseHeaders(c, { 'X-Request-Id': requestId });
      const caller = c.get('caller');
      log.info(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          address: clientAddress(c),
          ...(caller === undefined ? {} : { user: caller.user, tokenId: caller.tokenId }),
        },
        'request',
      );
    }
  };
}
