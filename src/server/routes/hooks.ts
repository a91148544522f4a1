import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { clientAddress, tooManyFailures, type FailureLimiter } from '../auth.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import { problemResponse, simpleProblem } from '../problem.js';
import { addRoute } from './route-kit.js';

/** GitHub's X-Hub-Signature-256: `sha256=` and the HMAC-SHA256 of the raw body under the shared secret, hex. */
export function pushSignature(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function signatureMatches(secret: string, body: Uint8Array, header: string | undefined): boolean {
  if (header === undefined || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(pushSignature(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The push webhook: a forge (GitHub, or anything that signs the same way) says the repository moved,
 * and every server clone fetches now instead of at its next interval. It carries no bearer token: the
 * signature under the shared secret is its authentication, and failures count as failed logins.
 */
export function hookRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps, limiter: FailureLimiter): void {
  addRoute(
    app,
    {
      method: 'post',
      path: '/api/v1/hooks/push',
      summary: 'a push happened: the server fetches its clone now (GitHub push webhook, signed with X-Hub-Signature-256)',
      tags: ['hooks'],
      public: true,
      ok: { status: 202, schema: z.object({ planted: z.number().int(), event: z.string() }), description: 'the fetch jobs planted' },
      problems: [401, 413, 429, 503],
    },
    async (c) => {
      const address = clientAddress(c);
      const wait = limiter.blockedFor(address);
      if (wait > 0) return tooManyFailures(c, wait);
      if (deps.webhookSecret === undefined) {
        return problemResponse(c, simpleProblem(503, 'ENOHOOK', 'Unavailable', 'this server has no webhook secret, so it accepts no push webhook', 'start it with SHIPGATE_WEBHOOK_SECRET set to the secret the forge signs with'));
      }
      const body = new Uint8Array(await c.req.arrayBuffer());
      if (!signatureMatches(deps.webhookSecret, body, c.req.header('x-hub-signature-256'))) {
        limiter.fail(address);
        return problemResponse(c, simpleProblem(401, 'ESIGNATURE', 'Unauthorized', 'the X-Hub-Signature-256 header does not sign this body with the shared secret', 'set the same secret on the webhook and in SHIPGATE_WEBHOOK_SECRET'));
      }
      const event = c.req.header('x-github-event') ?? 'push';
      if (event !== 'push') return { status: 202, json: { planted: 0, event } };
      // A redelivery of the same push plants nothing new: the delivery id (or the body's hash) keys the jobs.
      const given = c.req.header('x-github-delivery');
      const delivery = given !== undefined && /^[A-Za-z0-9-]{1,100}$/.test(given) ? given : createHash('sha256').update(body).digest('hex').slice(0, 32);
      const planted = deps.onPush === undefined ? 0 : await deps.onPush(delivery);
      return { status: 202, json: { planted, event } };
    },
  );
}
