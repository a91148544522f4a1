import type { OpenAPIHono } from '@hono/zod-openapi';
import { calendarJson, freezeJson, showCalendar } from '../../app/show-calendar.js';
import { showNotes } from '../../app/show-notes.js';
import { planJson, showPlan } from '../../app/show-plan.js';
import { parseTime } from '../../calendar/parse-time.js';
import { renderCalendarIcs } from '../../calendar/render-ics.js';
import { listJobs } from '../../jobs/job-store.js';
import { renderNotesHtml } from '../../notes/render-html.js';
import { renderNotesMarkdown } from '../../notes/render-markdown.js';
import { z } from '@hono/zod-openapi';
import type { ServerDeps, ServerEnv } from '../env.js';
import * as s from '../schemas.js';
import { addRoute } from './route-kit.js';

/**
 * What the server reads, each under the policy committed on main: the policy, the calendar (JSON and
 * an iCalendar feed to subscribe to), the freeze, the components and the plan, release notes, jobs.
 */
export function readRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps): void {
  const { cwd, store } = deps;
  const now = deps.now ?? (() => new Date());
  const policy = async () => (await deps.policy()).policy;

  addRoute(app, { method: 'get', path: '/api/v1/policy', summary: 'the policy committed on main, in effect (`shipgate policy show --json`)', tags: ['policy'], ok: { status: 200, schema: s.schemas.policy, description: 'the policy' }, problems: [] }, async () => ({
    status: 200,
    json: await policy(),
  }));

  addRoute(
    app,
    { method: 'get', path: '/api/v1/calendar', summary: 'the trains\' upcoming releases with freezes, notices and deployments (`shipgate calendar --json`)', tags: ['calendar'], query: s.calendarQuery, ok: { status: 200, schema: s.schemas.calendar, description: 'the calendar' }, problems: [400, 404] },
    async (_c, { query }) => ({ status: 200, json: calendarJson(await showCalendar({ cwd, policy: await policy(), from: query.from, to: query.to, trains: query.train, versions: query.versions, now: now(), what: { from: 'from', to: 'to' } })) }),
  );

  addRoute(
    app,
    { method: 'get', path: '/api/v1/calendar.ics', summary: 'the calendar as iCalendar, to subscribe to (`shipgate calendar --format ics`)', tags: ['calendar'], query: s.icsQuery, ok: { status: 200, schema: z.string(), mediaType: 'text/calendar', description: 'an iCalendar feed' }, problems: [400, 404] },
    async (c, { query }) => {
      const current = await policy();
      const shown = await showCalendar({ cwd, policy: current, from: query.from, to: query.to, trains: query.train, versions: false, now: now(), what: { from: 'from', to: 'to' } });
      return c.body(renderCalendarIcs(shown.result.events, { now: now(), organization: current.organization }), 200, { 'Content-Type': 'text/calendar; charset=utf-8' });
    },
  );

  addRoute(
    app,
    { method: 'get', path: '/api/v1/freeze', summary: 'which trains are frozen and until when (`shipgate freeze status --json`)', tags: ['calendar'], query: s.freezeQuery, ok: { status: 200, schema: s.schemas.freeze, description: 'the freeze status' }, problems: [400, 404] },
    async (_c, { query }) => {
      const current = await policy();
      const at = query.at === undefined ? now() : parseTime(query.at, 'at', current.timezone, now());
      return { status: 200, json: freezeJson(current, at, query.train) };
    },
  );

  const plan = async (query: { type: 'scheduled' | 'hotfix' | 'emergency'; train?: string | undefined; prerelease: boolean }) =>
    planJson(await showPlan({ cwd, policy: await policy(), type: query.type, train: query.train, ...(query.prerelease ? { prerelease: true } : {}) }));

  addRoute(app, { method: 'get', path: '/api/v1/components', summary: 'every component with its current and next version (`shipgate status --json`)', tags: ['plan'], query: s.planQuery, ok: { status: 200, schema: s.schemas.plan, description: 'the components' }, problems: [400, 404] }, async (_c, { query }) => ({
    status: 200,
    json: await plan(query),
  }));

  addRoute(app, { method: 'get', path: '/api/v1/plan', summary: 'the release plan: versions, tags and bundle contents (`shipgate plan --json`)', tags: ['plan'], query: s.planQuery, ok: { status: 200, schema: s.schemas.plan, description: 'the plan' }, problems: [400, 404] }, async (_c, { query }) => ({
    status: 200,
    json: await plan(query),
  }));

  addRoute(
    app,
    { method: 'get', path: '/api/v1/notes/{target}', summary: 'release notes of the next release or a past one (`shipgate notes`): markdown, html or json', tags: ['notes'], params: s.notesParams, query: s.notesQuery, ok: { status: 200, schema: s.schemas.notes, description: 'the notes (text/markdown and text/html for those formats)' }, problems: [400, 404] },
    async (c, { params, query }) => {
      const current = await policy();
      const notes = await showNotes({ cwd, policy: current, target: params.target, date: query.date, now: now() });
      if (query.format === 'json') return { status: 200, json: notes };
      const markdown = renderNotesMarkdown(current, notes);
      if (query.format === 'markdown') return c.body(markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
      return c.body(renderNotesHtml(markdown, `${notes.component} v${notes.version}`), 200, { 'Content-Type': 'text/html; charset=utf-8' });
    },
  );

  addRoute(app, { method: 'get', path: '/api/v1/jobs', summary: 'the durable jobs, newest first (`shipgate jobs --json`): timeline steps, fetches, retries', tags: ['jobs'], query: s.jobsQuery, ok: { status: 200, schema: s.schemas.jobs, description: 'a page of jobs; pass `next` as `before` for the next page' }, problems: [400] }, async (_c, { query }) => ({
    status: 200,
    json: await listJobs(store, { limit: query.limit, ...(query.state === undefined ? {} : { state: query.state }), ...(query.before === undefined ? {} : { before: query.before }) }),
  }));
}
