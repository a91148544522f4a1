import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { approveRelease } from '../../app/approve-release.js';
import { rollbackComponent } from '../../app/rollback-component.js';
import { showRelease } from '../../app/show-release.js';
import { authenticateToken } from '../../app/api-tokens.js';
import { waiveGate } from '../../app/waive-gate.js';
import { httpStatusFor, isShipgateError } from '../../errors/shipgate-error.js';
import { clientAddress, type FailureLimiter } from '../auth.js';
import type { ServerDeps, ServerEnv } from '../env.js';
import { assetRoutes } from './assets.js';
import { html, type SafeHtml } from './html.js';
import { renderPage } from './layout.js';
import { loadMetrics, metricsFilter } from './load-metrics.js';
import { frozenTrains, loadBoard, loadCalendar, loadComponents, loadRelease, type PageContext } from './load-pages.js';
import { renderCalendar } from './render-calendar.js';
import { renderComponents } from './render-components.js';
import { renderMetrics } from './render-metrics.js';
import { releaseHref, renderReleases, STATE_CHOICES } from './render-releases.js';
import { renderRelease, type ReleaseView } from './render-release.js';
import { renderSignIn } from './render-sign-in.js';
import { crossOrigin, csrfMatches, endSession, localPath, readSession, startSession, type Session } from './session.js';

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

const DONE: Readonly<Record<string, string>> = { approved: 'Your approval is recorded.', waived: 'Your waiver is recorded.', 'rolled-back': 'Your rollback is recorded: its row is in the deployments.' };

/**
 * The dashboard under /: server-rendered pages that read through the same app/ functions as the API,
 * and forms that write through the same use cases (approve, waive, rollback) as the API's POSTs. Every page
 * needs a session (the pasted token, in a cookie); every form a CSRF token and this site's Origin.
 */
export function dashboardRoutes(app: OpenAPIHono<ServerEnv>, deps: ServerDeps, limiter: FailureLimiter): void {
  const { store, cwd } = deps;
  const now = deps.now ?? (() => new Date());
  const context = async (): Promise<PageContext> => ({ store, cwd, governing: await deps.policy(), now: now(), readEvidence: deps.readEvidence });
  const formLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('the form is too large', 413) });

  assetRoutes(app);

  const errorPage = (c: Context, error: unknown, session: Session | null, title = 'Something went wrong') => {
    if (!isShipgateError(error) || error.category === 'internal') throw error;
    const body = html`<div class="flash error" role="alert"><p>${error.message}</p>${error.hint ? html`<p>${error.hint}</p>` : null}</div><p><a href="/releases">Back to the releases</a></p>`;
    return c.html(renderPage({ title, path: c.req.path, session }, body), httpStatusFor(error.category) as Status);
  };

  /** A page for a signed-in person; anyone else is sent to sign in and back here afterwards. */
  const page = (render: (c: Context<ServerEnv>, session: Session, pc: PageContext) => Promise<{ title: string; body: SafeHtml; status?: Status }>) => async (c: Context<ServerEnv>) => {
    const session = await readSession(c, store);
    if (session === null) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
    c.set('caller', { user: session.user, tokenId: session.tokenId });
    try {
      const pc = await context();
      const { title, body, status } = await render(c, session, pc);
      return c.html(renderPage({ title, path: c.req.path, session, frozen: frozenTrains(pc), timezone: pc.governing.policy.timezone }, body), status ?? 200);
    } catch (error) {
      return errorPage(c, error, session);
    }
  };

  app.get('/', (c) => c.redirect('/releases', 303));

  app.get('/sign-in', async (c) => {
    const next = localPath(c.req.query('next'));
    if ((await readSession(c, store)) !== null) return c.redirect(next, 303);
    return c.html(renderPage({ title: 'Sign in', path: '/sign-in', session: null }, renderSignIn({ next, error: null })));
  });

  app.post('/sign-in', formLimit, async (c) => {
    if (crossOrigin(c)) return c.text('cross-site form refused', 403);
    const form = await c.req.parseBody();
    const next = localPath(typeof form.next === 'string' ? form.next : undefined);
    const address = clientAddress(c);
    const wait = limiter.blockedFor(address);
    const refuse = (status: Status, error: string) => c.html(renderPage({ title: 'Sign in', path: '/sign-in', session: null }, renderSignIn({ next, error })), status);
    if (wait > 0) return refuse(429, `Too many failed sign-ins from this address: try again in ${wait} s.`);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const outcome = await authenticateToken(store, token);
    if (!outcome.ok) {
      limiter.fail(address);
      return refuse(401, outcome.reason === 'expired' ? 'That token has expired: create a new one.' : outcome.reason === 'revoked' ? 'That token was revoked.' : 'That is not a valid shipgate token.');
    }
    // A calendar feed token may read the feed and nothing else: the dashboard is not the feed.
    if (outcome.scope !== 'full') return refuse(403, 'That token may only read the calendar feed: sign in with a full token.');
    startSession(c, token);
    return c.redirect(next, 303);
  });

  app.post('/sign-out', formLimit, async (c) => {
    if (crossOrigin(c)) return c.text('cross-site form refused', 403);
    const session = await readSession(c, store);
    const form = await c.req.parseBody();
    if (session !== null && !csrfMatches(session, form.csrf)) return c.text('the form is stale: reload the page', 403);
    endSession(c);
    return c.redirect('/sign-in', 303);
  });

  app.get(
    '/calendar',
    page(async (c, _session, pc) => ({ title: 'Calendar', body: renderCalendar(await loadCalendar(pc, c.req.query('month'))) })),
  );

  app.get(
    '/releases',
    page(async (c, _session, pc) => {
      const state = c.req.query('state') ?? 'in-flight';
      const filter = { train: c.req.query('train') ?? '', component: c.req.query('component') ?? '', state: (STATE_CHOICES as readonly string[]).includes(state) ? state : 'in-flight' };
      return { title: 'Releases', body: renderReleases(await loadBoard(pc, filter)) };
    }),
  );

  app.get('/components', page(async (_c, _session, pc) => ({ title: 'Components', body: renderComponents(await loadComponents(pc)) })));

  app.get(
    '/metrics',
    page(async (c, _session, pc) => {
      // A refused filter (a bad date, an unknown train) answers the API's status, with the form to fix it.
      const view = await loadMetrics(pc, metricsFilter((name) => c.req.query(name)));
      return { title: 'Metrics', body: renderMetrics(view), ...(view.error === null ? {} : { status: httpStatusFor(view.error.category) as Status }) };
    }),
  );

  const releasePage = async (c: Context<ServerEnv>, session: Session, pc: PageContext, flash: ReleaseView['flash']) => {
    const view = await loadRelease(pc, c.req.param('id') ?? '', session.user);
    return { title: `${view.shown.release.component} ${view.shown.release.version}`, body: renderRelease({ ...view, csrf: session.csrf, flash }) };
  };

  app.get(
    '/releases/:id',
    page(async (c, session, pc) => {
      const done = c.req.query('done');
      return releasePage(c, session, pc, done !== undefined && Object.hasOwn(DONE, done) ? { kind: 'ok', text: DONE[done] as string } : null);
    }),
  );

  /** A form that writes through a use case; a refusal is shown on the release page with the API's status. */
  const write = (action: (session: Session, form: Record<string, unknown>, id: string) => Promise<string>) =>
    page(async (c, session, pc) => {
      if (crossOrigin(c)) return { title: 'Refused', body: html`<p role="alert">A form from another site was refused.</p>`, status: 403 };
      const form = await c.req.parseBody();
      if (!csrfMatches(session, form.csrf)) return { title: 'Refused', body: html`<p role="alert">The form is stale or was not sent by this dashboard: reload the page and try again.</p>`, status: 403 };
      const id = c.req.param('id') ?? '';
      try {
        const done = await action(session, form, id);
        throw new Redirect(`${releaseHref(id)}?done=${done}`);
      } catch (error) {
        if (error instanceof Redirect || !isShipgateError(error) || error.category === 'internal' || error.category === 'not-found') throw error;
        const shown = await releasePage(c, session, await context(), { kind: 'error', text: error.message, hint: error.hint });
        return { ...shown, status: httpStatusFor(error.category) as Status };
      }
    });

  const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

  app.post(
    '/releases/:id/approve',
    formLimit,
    redirecting(
      write(async (session, form, id) => {
        const { policy, codeowners } = await deps.policy();
        const comment = field(form, 'comment').trim();
        await approveRelease({ store, policy, codeowners, cwd, ref: id, role: field(form, 'role'), comment: comment === '' ? undefined : comment, actor: session.user, tokenId: session.tokenId });
        return 'approved';
      }),
    ),
  );

  app.post(
    '/releases/:id/waive',
    formLimit,
    redirecting(
      write(async (session, form, id) => {
        const { policy, codeowners } = await deps.policy();
        await waiveGate({ store, policy, codeowners, cwd, ref: id, gate: field(form, 'gate'), reason: field(form, 'reason'), actor: session.user, tokenId: session.tokenId });
        return 'waived';
      }),
    ),
  );

  // The same use case as `shipgate rollback` and POST /api/v1/rollbacks: it refuses who may not roll back.
  app.post(
    '/releases/:id/rollback',
    formLimit,
    redirecting(
      write(async (session, form, id) => {
        const { policy, codeowners } = await deps.policy();
        const { release } = await showRelease(store, id);
        const to = field(form, 'to').trim();
        await rollbackComponent({ store, policy, cwd, codeowners, component: release.component, environment: field(form, 'environment'), to: to === '' ? undefined : to, reason: field(form, 'reason').trim(), force: field(form, 'force') === '1', actor: session.user, tokenId: session.tokenId, env: process.env });
        return 'rolled-back';
      }),
    ),
  );
}

/** A page that does not exist, as a page (the API's paths answer problem+json instead). */
export function dashboardNotFound(c: Context): Response | Promise<Response> {
  return c.html(renderPage({ title: 'Not found', path: c.req.path, session: null }, html`<p>There is no page ${c.req.path}.</p><p><a href="/releases">Go to the releases</a></p>`), 404);
}

/** After a successful form, the browser is sent to the page that shows the result (POST, redirect, GET). */
class Redirect extends Error {
  constructor(readonly location: string) {
    super('redirect');
  }
}

function redirecting(handler: (c: Context<ServerEnv>) => Promise<Response>) {
  return async (c: Context<ServerEnv>) => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof Redirect) return c.redirect(error.location, 303);
      throw error;
    }
  };
}
