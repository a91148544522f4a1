import type { OpenAPIHono } from '@hono/zod-openapi';
import { approveRelease } from '../../app/approve-release.js';
import { attachPostmortem } from '../../app/attach-postmortem.js';
import { checkUnderPolicy, gateReportJson } from '../../app/check-release.js';
import { createRelease } from '../../app/create-release.js';
import { noticeJson, recordNotice } from '../../app/record-notice.js';
import { releasePermissions } from '../../app/release-permissions.js';
import { listReleaseRecords, showRelease } from '../../app/show-release.js';
import { setCandidate, transitionRelease } from '../../app/transition-release.js';
import { waiveGate, waiverJson } from '../../app/waive-gate.js';
import { parseTime } from '../../calendar/parse-time.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import { renderApiNext } from '../render-next.js';
import * as s from '../schemas.js';
import { addRoute } from './route-kit.js';

const tags = ['releases'];

/** Release records: list, show, gates, and every write the CLI can make, through the same use cases. */
export function releaseRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps): void {
  const { store, cwd } = deps;
  const now = deps.now ?? (() => new Date());
  const writes = [400, 404, 409, 413];
  const { readEvidence } = deps;

  addRoute(
    app,
    { method: 'get', path: '/api/v1/releases', summary: 'releases, newest first, a page at a time (`shipgate release list`)', tags, query: s.releasesQuery, ok: { status: 200, schema: s.schemas.releases, description: 'a page of releases; the `Link` header (rel="next") names the next page while there is one' }, problems: [400] },
    async (c, { query }) => {
      // One more than the page says whether there is a next page, without counting the table.
      const rows = await listReleaseRecords(store, query.component, { limit: query.limit + 1, ...(query.after === undefined ? {} : { after: query.after }) });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      if (rows.length > query.limit && last !== undefined) {
        const next = new URLSearchParams({ ...(query.component === undefined ? {} : { component: query.component }), limit: String(query.limit), after: last.id });
        c.header('Link', `</api/v1/releases?${next.toString()}>; rel="next"`);
      }
      return { status: 200, json: page };
    },
  );

  addRoute(app, { method: 'get', path: '/api/v1/releases/{id}', summary: 'one release and its event log (`shipgate release show`)', tags, params: s.releaseParams, ok: { status: 200, schema: s.schemas.shownRelease, description: 'the release and its events' }, problems: [400, 404] }, async (_c, { params }) => ({
    status: 200,
    json: await showRelease(store, params.id),
  }));

  addRoute(
    app,
    { method: 'get', path: '/api/v1/releases/{id}/permissions', summary: 'the roles the token\'s user may approve the release as, and whether they may waive its gates (what the dashboard offers)', tags, params: s.releaseParams, ok: { status: 200, schema: s.schemas.permissions, description: 'what the caller may do' }, problems: [400, 404] },
    async (c, { params }) => {
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: await releasePermissions({ store, policy, codeowners, cwd, ref: params.id, user: c.get('caller').user }) };
    },
  );

  addRoute(
    app,
    {
      method: 'get',
      path: '/api/v1/releases/{id}/gates',
      summary: 'every gate of the release under the policy committed on main (`shipgate check`); like check, records that the release is approved when its gates now pass',
      tags,
      params: s.releaseParams,
      query: s.gatesQuery,
      ok: { status: 200, schema: s.schemas.gates, description: 'the gate report; `ok` says whether it may ship' },
      problems: [400, 404],
    },
    async (_c, { params, query }) => {
      const governing = await deps.policy();
      const when = query.at === undefined ? now() : parseTime(query.at, 'at', governing.policy.timezone, now());
      const report = await checkUnderPolicy({ store, governing, cwd, ref: params.id, now: when, readEvidence });
      return { status: 200, json: gateReportJson(report, renderApiNext) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases', summary: 'open a release from the plan of one component at the clone\'s HEAD (`shipgate release create`)', tags, body: s.createReleaseBody, ok: { status: 201, schema: s.releaseRecord, description: 'the release opened' }, problems: [...writes, 422] },
    async (c, { body }) => {
      const caller = c.get('caller');
      const { policy } = await deps.policy();
      return { status: 201, json: await createRelease({ store, policy, cwd, component: body.component, type: body.type, actor: caller.user, tokenId: caller.tokenId, now: now() }) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/approvals', summary: 'approve the candidate as one of your roles (`shipgate approve`)', tags, params: s.releaseParams, body: s.approvalBody, ok: { status: 200, schema: s.schemas.approval, description: 'the approval, counted once per person' }, problems: [...writes, 403, 422] },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: await approveRelease({ store, policy, codeowners, cwd, ref: params.id, role: body.role, comment: body.comment, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/waivers', summary: 'waive a failing evidence gate, with the reason on record (`shipgate waive`)', tags, params: s.releaseParams, body: s.waiverBody, ok: { status: 200, schema: s.schemas.waiver, description: 'the release and the gate waived' }, problems: [...writes, 403, 422] },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: waiverJson(await waiveGate({ store, policy, codeowners, cwd, ref: params.id, gate: body.gate, reason: body.reason, actor: caller.user, tokenId: caller.tokenId })) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/notices', summary: 'record that the release was announced (`shipgate notice`)', tags, params: s.releaseParams, body: s.noticeBody, ok: { status: 200, schema: s.schemas.notice, description: 'the release; `first` says whether this notice started the period' }, problems: writes },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: noticeJson(await recordNotice({ store, policy, codeowners, cwd, ref: params.id, comment: body.comment, actor: caller.user, tokenId: caller.tokenId })) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/postmortem', summary: 'attach the post-mortem (`shipgate postmortem`)', tags, params: s.releaseParams, body: s.postmortemBody, ok: { status: 200, schema: s.releaseRecord, description: 'the release' }, problems: writes },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: await attachPostmortem({ store, policy, codeowners, cwd, ref: params.id, url: body.url, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/candidate', summary: 'point the release at a new candidate commit, the clone\'s HEAD by default (`shipgate release candidate`)', tags, params: s.releaseParams, body: s.candidateBody, ok: { status: 200, schema: s.schemas.candidate, description: 'the release; `changed` says whether the candidate moved' }, problems: writes },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      const { policy, codeowners } = await deps.policy();
      return { status: 200, json: await setCandidate({ store, policy, codeowners, cwd, ref: params.id, commit: body.commit, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );

  addRoute(
    app,
    { method: 'post', path: '/api/v1/releases/{id}/abandon', summary: 'abandon a release that will not ship (`shipgate release abandon`)', tags, params: s.releaseParams, body: s.abandonBody, ok: { status: 200, schema: s.releaseRecord, description: 'the release, abandoned' }, problems: writes },
    async (c, { params, body }) => {
      const caller = c.get('caller');
      return { status: 200, json: await transitionRelease({ store, ref: params.id, to: 'abandoned', reason: body.reason, actor: caller.user, tokenId: caller.tokenId }) };
    },
  );
}
