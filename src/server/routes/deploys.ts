import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { DEPLOYMENT_STEP_JOB } from '../../app/advance-deployment.js';
import { startDeployment } from '../../app/deploy-release.js';
import { rollbackComponent } from '../../app/rollback-component.js';
import { signoffGate } from '../../app/signoff-gate.js';
import { releaseDeployments, resumePipeline, startPipeline } from '../../app/start-pipeline.js';
import { plantJob } from '../../jobs/job-store.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import { componentName, releaseParams, releaseRecord } from '../schemas.js';
import { addRoute } from './route-kit.js';

const tags = ['deploys'];
const environment = z.string().regex(/^[a-z][a-z0-9-]*$/, 'an environment id such as "staging"');
const reason = z.string().max(10_000).min(1);
const deployment = z.object({ id: z.number().int(), environment: z.string(), version: z.string(), kind: z.enum(['deploy', 'rollback']), outcome: z.string().nullable(), phase: z.string() }).catchall(z.unknown()).openapi('Deployment');
const object = (name: string, description: string) => z.object({}).catchall(z.unknown()).openapi(name, { description });

/**
 * Deploys, the pipeline, rollbacks and sign-offs, through the same use cases as the CLI. A deploy or
 * a pipeline is accepted (202) and run by the server's job runner: its steps land in the release's
 * history and in GET .../deployments.
 */
export function deployRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps): void {
  const { store, cwd } = deps;
  const writes = [400, 404, 409, 413, 422];

  addRoute(
    app,
    { method: 'get', path: '/api/v1/releases/{id}/deployments', summary: 'the deployments of a release, newest first (`shipgate pipeline deployments`)', tags, params: releaseParams, ok: { status: 200, schema: z.object({ release: releaseRecord, deployments: z.array(deployment) }).openapi('ReleaseDeployments'), description: 'the release and its deployments' }, problems: [400, 404] },
    async (_c, { params }) => ({ status: 200, json: await releaseDeployments(store, params.id) }),
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/deployments', summary: 'deploy the release to an environment (`shipgate deploy --to`): refused now, or accepted and run by the server', tags, params: releaseParams, body: z.strictObject({ environment }).openapi('DeployRequest'), ok: { status: 202, schema: z.object({ deployment, created: z.boolean() }).openapi('DeployAccepted'), description: 'the deployment, run by the job runner' }, problems: writes },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy } = await deps.policy();
      const started = await startDeployment({ store, policy, cwd, ref: params.id, environment: body.environment, actor: caller.user, tokenId: caller.tokenId, pipeline: false });
      if (started.deployment.phase !== 'done') await plantJob(store, { kind: DEPLOYMENT_STEP_JOB, key: `deployment:${started.deployment.id}:start`, payload: { deployment: started.deployment.id } });
      return { status: 202, json: started };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/pipeline', summary: 'start the release\'s path through its environments (`shipgate pipeline start`)', tags, params: releaseParams, ok: { status: 202, schema: object('PipelineStart', 'as `shipgate pipeline start --json`'), description: 'the deploy jobs planted' }, problems: writes },
    async (c, { params }) => {
      const caller = c.get('caller');
      const { policy } = await deps.policy();
      return { status: 202, json: await startPipeline({ store, policy, ref: params.id, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/pipeline/resume', summary: 'let a paused deployment stand and go on (`shipgate pipeline resume`)', tags, params: releaseParams, body: z.strictObject({ environment, reason }).openapi('ResumeRequest'), ok: { status: 200, schema: deployment, description: 'the deployment, now succeeded' }, problems: writes },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy } = await deps.policy();
      return { status: 200, json: await resumePipeline({ store, policy, ref: params.id, environment: body.environment, reason: body.reason, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/signoffs', summary: 'sign off a post-release item (`shipgate signoff`)', tags, params: releaseParams, body: z.strictObject({ gate: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/), comment: z.string().max(10_000).optional() }).openapi('Signoff'), ok: { status: 200, schema: z.object({ release: releaseRecord, gate: z.string(), recorded: z.boolean() }).openapi('SignoffResult'), description: 'the release (verified once every item passes)' }, problems: [...writes, 403] },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy } = await deps.policy();
      return { status: 200, json: await signoffGate({ store, policy, ref: params.id, gate: body.gate, comment: body.comment, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );

  addRoute(
    app,
    {
      method: 'post',
      path: '/api/v1/rollbacks',
      summary: 'roll a component back by hand (`shipgate rollback`); refused when not rollback-safe unless forced',
      tags,
      body: z.strictObject({ component: componentName, environment, to: z.string().max(100).optional(), reason, force: z.boolean().default(false) }).openapi('RollbackRequest'),
      ok: { status: 200, schema: object('RollbackResult', 'as `shipgate rollback --json`'), description: 'the rollback deployment, done' },
      problems: [...writes, 403],
    },
    async (c, { body }) => {
      const caller = c.get('caller');
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: await rollbackComponent({ store, policy, cwd, codeowners, component: body.component, environment: body.environment, to: body.to, reason: body.reason, force: body.force, actor: caller.user, tokenId: caller.tokenId, env: process.env }) };
    },
  );
}
