import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { recordDeployIn, recordIncidentIn, resolveIncidentIn } from '../../app/record-metrics.js';
import { showMetrics } from '../../app/show-metrics.js';
import { takeDelivery } from '../../store/incidents.js';
import { databaseNow, writeTransaction } from '../../store/write-transaction.js';
import { clientAddress, tooManyFailures, type FailureLimiter } from '../auth.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import { interpretGithubEvent } from '../github-events.js';
import { problemResponse, simpleProblem } from '../problem.js';
import { componentName } from '../schemas.js';
import { signatureMatches } from './hooks.js';
import { addRoute } from './route-kit.js';

const day = z.string().max(40).openapi({ description: 'a date YYYY-MM-DD or an ISO 8601 date-time, in the policy\'s time zone unless it has an offset' });
export const metricsQuery = z.object({
  since: day.optional(),
  until: day.optional(),
  component: componentName.optional(),
  train: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a train id such as "module"').optional(),
});
const metricsReport = z.object({}).catchall(z.unknown()).openapi('Metrics', { description: 'as `shipgate metrics --json`: figures with DORA levels and targets, per component and train, and `series` per week for charts' });

/**
 * The metrics, read as `shipgate metrics --json` prints them, and the GitHub webhook that tells the
 * server about deploys (deployment_status) and incidents (issues with the policy's incident label).
 */
export function metricsRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps, limiter: FailureLimiter): void {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  addRoute(
    app,
    { method: 'get', path: '/api/v1/metrics', summary: 'DORA metrics of production deploys against the policy\'s targets, with a weekly series per metric (`shipgate metrics --json`)', tags: ['metrics'], query: metricsQuery, ok: { status: 200, schema: metricsReport, description: 'the metrics' }, problems: [400, 404] },
    async (_c, { query }) => {
      const { policy } = await deps.policy();
      return { status: 200, json: await showMetrics({ store, policy, since: query.since, until: query.until, component: query.component, train: query.train, now: now(), what: { since: 'since', until: 'until' } }) };
    },
  );

  addRoute(
    app,
    {
      method: 'post',
      path: '/api/v1/hooks/github',
      summary: 'GitHub deployment_status and issues events (signed with X-Hub-Signature-256): finished deploys and incidents for the metrics; each X-GitHub-Delivery is taken once',
      tags: ['hooks'],
      public: true,
      ok: { status: 202, schema: z.object({ event: z.string(), recorded: z.boolean(), detail: z.string() }), description: 'what the delivery recorded, or why it changes nothing' },
      problems: [400, 401, 409, 413, 429, 503],
    },
    async (c) => {
      const address = clientAddress(c);
      const wait = limiter.blockedFor(address);
      if (wait > 0) return tooManyFailures(c, wait);
      if (deps.webhookSecret === undefined) {
        return problemResponse(c, simpleProblem(503, 'ENOHOOK', 'Unavailable', 'this server has no webhook secret, so it accepts no webhook', 'start it with SHIPGATE_WEBHOOK_SECRET set to the secret the forge signs with'));
      }
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!signatureMatches(deps.webhookSecret, raw, c.req.header('x-hub-signature-256'))) {
        limiter.fail(address);
        return problemResponse(c, simpleProblem(401, 'ESIGNATURE', 'Unauthorized', 'the X-Hub-Signature-256 header does not sign this body with the shared secret', 'set the same secret on the webhook and in SHIPGATE_WEBHOOK_SECRET'));
      }
      const event = c.req.header('x-github-event') ?? '';
      const delivery = c.req.header('x-github-delivery');
      if (delivery === undefined || !/^[A-Za-z0-9-]{1,100}$/.test(delivery)) return problemResponse(c, bad('header.x-github-delivery', 'a delivery id (GitHub sends one with every delivery) is required, so a replay can be refused'));
      if (event === 'ping') return { status: 202, json: { event, recorded: false, detail: 'pong' } };
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch (error) {
        return problemResponse(c, { ...bad('body', `the body is not JSON: ${(error as Error).message}`), code: 'EJSON', type: 'urn:shipgate:error:EJSON' });
      }
      const { policy } = await deps.policy();
      const interpreted = interpretGithubEvent(event, body, policy.metrics.incidentLabel);
      if (!interpreted.ok) return problemResponse(c, bad(interpreted.field, interpreted.message));
      const { fact } = interpreted;
      const outcome = await writeTransaction(store.db, store.dialect, async (db) => {
        const tx = { db, dialect: store.dialect };
        // The delivery id is taken in the transaction that records what it says: both or neither.
        if (!(await takeDelivery(tx, delivery, event, await databaseNow(db, store.dialect)))) return null;
        if (fact.kind === 'ignored') return { recorded: false, detail: fact.reason };
        if (fact.kind === 'deploy') {
          if (!Object.hasOwn(policy.environments, fact.environment)) return { recorded: false, detail: `environment "${fact.environment}" is not one of the policy's` };
          const done = await recordDeployIn(tx, policy, { ref: fact.ref, environment: fact.environment, at: fact.at, failed: fact.failed, actor: fact.actor, source: 'github' });
          return { recorded: done.recorded, detail: `deploy of ${fact.ref} to ${fact.environment} (${fact.failed ? 'failed' : 'succeeded'})` };
        }
        if (fact.kind === 'incident') {
          const done = await recordIncidentIn(tx, { id: fact.id, component: fact.component, at: fact.at, actor: fact.actor, source: 'github', ifAbsent: true });
          return { recorded: done.recorded, detail: `incident ${fact.id}` };
        }
        // An incident labelled before the webhook existed is recorded as it closes.
        await recordIncidentIn(tx, { id: fact.id, component: fact.component, at: fact.openedAt, actor: fact.actor, source: 'github', ifAbsent: true });
        const done = await resolveIncidentIn(tx, { id: fact.id, at: fact.at, ifOpen: true });
        return { recorded: done.recorded, detail: `incident ${fact.id} resolved` };
      }).catch((error: unknown) => {
        // Two copies of one delivery at once on PostgreSQL: the second insert of its id loses.
        if ((error as { code?: string }).code === '23505') return null;
        throw error;
      });
      if (outcome === null) {
        return problemResponse(c, simpleProblem(409, 'EREPLAY', 'Conflict', `delivery ${delivery} was already received; a replay records nothing`, 'redeliver only deliveries that failed'));
      }
      return { status: 202, json: { event, ...outcome } };
    },
  );
}

function bad(field: string, message: string) {
  return { ...simpleProblem(400, 'EINPUT', 'Bad request', `${field}: ${message}`, 'send the payload GitHub sends for this event'), field, errors: [{ field, message }] };
}
