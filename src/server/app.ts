import { cachedGateEvidence } from '../app/cached-evidence.js';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { isShipgateError } from '../errors/shipgate-error.js';
import { failureLimiter, requireToken } from './auth.js';
import { cachedAuthentication } from './cache-tokens.js';
import { dashboardNotFound, dashboardRoutes } from './dashboard/dashboard-routes.js';
import { securityHeaders } from './dashboard/security-headers.js';
import type { ServerDeps, ServerEnv } from './env.js';
import { fromShipgateError, fromZodError, problemResponse, simpleProblem } from './problem.js';
import { requestLog } from './request-log.js';
import { deployRoutes } from './routes/deploys.js';
import { healthRoutes } from './routes/health.js';
import { hookRoutes } from './routes/hooks.js';
import { metricsRoutes } from './routes/metrics.js';
import { notifyRoutes } from './routes/notify.js';
import { readRoutes } from './routes/reads.js';
import { releaseRoutes } from './routes/releases.js';

const MiB = 1024 * 1024;
/** Reached without a token: the document that says how to get one, and the webhook, which is signed instead. */
const PUBLIC = new Set(['/api/v1/openapi.json', '/api/v1/hooks/push', '/api/v1/hooks/github']);
const PARTS: Readonly<Record<string, string>> = { json: 'body', query: 'query', param: 'path', header: 'header' };

/**
 * The server as a function from Request to Response: every route under /api/v1 calls the same app/
 * use cases as the CLI and answers the JSON its --json prints; the dashboard under / reads and writes
 * through the same functions. Tested in-process with app.request().
 */
export function buildApp(given: ServerDeps): OpenAPIHono<ServerEnv> {
  // Gate reports are read far more often than the clone or its reports change (cached-evidence.ts
  // says when a read is reused): one reader for the API and the dashboard, so a page warms the API.
  const deps: ServerDeps = { ...given, readEvidence: given.readEvidence ?? cachedGateEvidence({ maxAgeMs: given.refsMaxAgeMs ?? 0 }) };
  const limiter = deps.limiter ?? failureLimiter();
  const app = new OpenAPIHono<ServerEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problemResponse(c, fromZodError(result.error as unknown as ZodError, PARTS[result.target] ?? result.target));
      return undefined;
    },
  });

  app.use('*', requestLog(deps.log));
  app.use('*', securityHeaders());
  healthRoutes(app, deps);

  const tooLarge = (limit: number) => (c: Context) => problemResponse(c, simpleProblem(413, 'ETOOLARGE', 'Content too large', `the request body is larger than ${limit / MiB} MiB`, 'send less'));
  app.use('/api/v1/hooks/*', bodyLimit({ maxSize: 10 * MiB, onError: tooLarge(10 * MiB) }));
  const apiLimit = bodyLimit({ maxSize: MiB, onError: tooLarge(MiB) });
  // Only a request that may carry a body is limited: asking a GET for its body makes the node adapter
  // build a whole web Request with a stream, which cost the reads more than their query did.
  app.use('/api/v1/*', async (c, next) => (c.req.path.startsWith('/api/v1/hooks/') || c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : apiLimit(c, next)));
  const guard = requireToken(deps.authenticate ?? cachedAuthentication(deps.store), limiter);
  app.use('/api/v1/*', async (c, next) => (PUBLIC.has(c.req.path) ? next() : guard(c, next)));

  readRoutes(app, deps);
  releaseRoutes(app, deps);
  deployRoutes(app, deps);
  notifyRoutes(app, deps);
  hookRoutes(app, deps, limiter);
  dashboardRoutes(app, deps, limiter);
  metricsRoutes(app, deps, limiter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'a token from `shipgate token create`' });
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'shipgate', version: '1', description: 'The release policy, run as a server: the same decisions and JSON as the shipgate CLI.' },
  });

  app.notFound((c) => (c.req.path.startsWith('/api/') ? problemResponse(c, simpleProblem(404, 'ENOTFOUND', 'Not found', `no route ${c.req.method} ${c.req.path}`, 'see /api/v1/openapi.json')) : dashboardNotFound(c)));
  app.onError((error, c) => {
    if (isShipgateError(error) && error.category !== 'internal') return problemResponse(c, fromShipgateError(error));
    if (error instanceof HTTPException) {
      const detail = error.status === 400 ? `the body is not valid JSON: ${error.message}` : error.message;
      return problemResponse(c, simpleProblem(error.status, error.status === 400 ? 'EJSON' : 'EHTTP', error.status === 400 ? 'Bad request' : error.message, detail, error.status === 415 ? 'send Content-Type: application/json' : undefined));
    }
    deps.log.error({ requestId: c.get('requestId'), err: { message: error.message, stack: error.stack } }, 'internal error');
    return problemResponse(c, simpleProblem(500, isShipgateError(error) ? error.code : 'EINTERNAL', 'Internal error', 'shipgate failed on this request; the server log has the details', `report it with the request id ${c.get('requestId') ?? ''}`));
  });
  return app;
}
