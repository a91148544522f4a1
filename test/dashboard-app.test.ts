import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../src/app/api-tokens.js';
import { prepareDemo, type DemoWorkspace } from '../src/demo/prepare-demo.js';
import { buildApp } from '../src/server/app.js';
import { csrfToken, SESSION_COOKIE } from '../src/server/dashboard/session.js';
import { policySource } from '../src/server/policy-source.js';
import { listEvents } from '../src/store/releases.js';
import { tempDir } from './helpers/run-cli.js';

/*
 * The dashboard in-process (app.request) on the demo workspace: sessions, CSRF, what a page without a
 * session shows, the security headers, and how long each page takes on the demo data.
 */
const temp = tempDir('shipgate-dashboard-');
let workspace: DemoWorkspace;
let app: ReturnType<typeof buildApp>;
const ORIGIN = 'http://localhost';

beforeAll(async () => {
  workspace = await prepareDemo({ dir: temp.dir });
  app = buildApp({ store: workspace.store, cwd: workspace.dir, log: pino({ level: 'silent' }), policy: policySource(workspace.dir) });
});

afterAll(async () => {
  await workspace?.store.close();
  temp.cleanup();
});

const token = (label: string) => workspace.signIns.find((s) => s.label === label)?.token ?? '';
const cookie = (value: string) => ({ Cookie: `${SESSION_COOKIE}=${value}` });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request(`${ORIGIN}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...headers }, body: form(fields) });
const get = (path: string, headers: Record<string, string> = {}) => app.request(`${ORIGIN}${path}`, { headers });

const PAGES = ['/releases', '/releases?state=all', '/calendar', '/components', '/releases/identity%401.6.0', '/releases/billing%402.6.0'];

describe('the dashboard without a session', () => {
  it('sends every page to sign-in and back, and the sign-in page shows no release', async () => {
    for (const path of PAGES) {
      for (const headers of [{}, cookie('sgt_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), cookie('nonsense')]) {
        const response = await get(path, headers);
        expect(response.status, path).toBe(303);
        expect(response.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
        expect(await response.text()).toBe('');
      }
    }
    const signIn = await get('/sign-in?next=/calendar');
    expect(signIn.status).toBe(200);
    const text = await signIn.text();
    expect(text).toContain('shipgate token create');
    for (const id of workspace.releases) expect(text).not.toContain(id.split('@')[0]);
  });

  it('signs in with a pasted token into an HttpOnly, SameSite=Strict cookie, Secure behind HTTPS, and returns only to a path of this site', async () => {
    const bad = await post('/sign-in', { token: 'sgt_nope', next: '/calendar' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect(await bad.text()).toContain('not a valid shipgate token');

    const good = await post('/sign-in', { token: token('tech lead'), next: '/calendar' });
    expect([good.status, good.headers.get('location')]).toEqual([303, '/calendar']);
    const set = good.headers.get('set-cookie') ?? '';
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=sgt_`));
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Path=/');
    expect(set).not.toContain('Secure');

    const https = await post('/sign-in', { token: token('tech lead'), next: '//evil.example/x' }, { 'X-Forwarded-Proto': 'https' });
    expect(https.headers.get('location')).toBe('/');
    expect(https.headers.get('set-cookie')).toContain('Secure');

    // A sign-in form posted from another site (login CSRF) is refused.
    const foreign = await post('/sign-in', { token: token('engineer'), next: '/' }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
  });
});

describe('the dashboard with a session', { timeout: 120_000 }, () => {
  it('needs the session\'s CSRF token and this site\'s Origin for a write, and records nothing otherwise', async () => {
    const lead = token('tech lead');
    const path = '/releases/billing%402.6.0/approve';
    const before = (await listEvents(workspace.store, 'billing@2.6.0')).length;
    const refusals = [
      await post(path, { role: 'tech-lead' }, cookie(lead)),
      await post(path, { role: 'tech-lead', csrf: 'x'.repeat(43) }, cookie(lead)),
      await post(path, { role: 'tech-lead', csrf: csrfToken(token('engineer')) }, cookie(lead)),
      await post(path, { role: 'tech-lead', csrf: csrfToken(lead) }, { ...cookie(lead), Origin: 'https://evil.example' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect((await listEvents(workspace.store, 'billing@2.6.0')).length).toBe(before);

    const page = await (await get('/releases/billing%402.6.0', cookie(lead))).text();
    expect(page).toContain(`name="csrf" value="${csrfToken(lead)}"`);
    const approved = await post(path, { role: 'tech-lead', csrf: csrfToken(lead), comment: 'rounding fix reviewed' }, cookie(lead));
    expect([approved.status, approved.headers.get('location')]).toEqual([303, '/releases/billing%402.6.0?done=approved']);
    const events = await listEvents(workspace.store, 'billing@2.6.0');
    const approval = events.at(-1);
    expect(approval?.data).toMatchObject({ kind: 'approval', role: 'tech-lead', comment: 'rounding fix reviewed' });
    expect(approval?.actor).toBe('tess@fireproof.example');
    expect(approval?.tokenId).toBe(lead.split('_')[1]);
  });

  it('waives a failing gate for someone the policy lets waive, with the reason on record', async () => {
    const lead = token('tech lead');
    const waived = await post('/releases/billing%402.6.0/waive', { gate: 'checklist.contract-tests', reason: 'contract suite moves to the gateway repo this sprint', csrf: csrfToken(lead) }, cookie(lead));
    expect([waived.status, waived.headers.get('location')]).toEqual([303, '/releases/billing%402.6.0?done=waived']);
    const page = await (await get('/releases/billing%402.6.0?done=waived', cookie(lead))).text();
    expect(page).toContain('Your waiver is recorded.');
    expect(page).toMatch(/data-gate="checklist.contract-tests" data-verdict="waived"/);
  });

  it('offers the buttons GET /api/v1/releases/{id}/permissions answers for the same person', async () => {
    const ask = async (label: string, id: string) => (await (await get(`/api/v1/releases/${id}/permissions`, { Authorization: `Bearer ${token(label)}` })).json()) as Record<string, unknown>;
    expect(await ask('module owner', 'billing@2.6.0')).toEqual({ release: 'billing@2.6.0', user: 'maria@fireproof.example', approveAs: ['module-team'], approvedAs: null, waive: false, closed: null });
    expect(await ask('module owner', 'inventory@1.7.2')).toMatchObject({ approveAs: [], approvedAs: 'module-owner' });
    expect(await ask('tech lead', 'customer@3.2.1')).toMatchObject({ approveAs: [], waive: false, closed: 'customer@3.2.1 is production' });
    const page = await (await get('/releases/billing%402.6.0', cookie(token('module owner')))).text();
    expect(page.match(/>Approve as [a-z-]+</g)).toEqual(['>Approve as module-team<']);
    expect(page).not.toContain('Waive…');
  });

  it('a refused write shows the use case\'s message with the API\'s status', async () => {
    const owner = token('module owner');
    // Maria owns the modules, but she is no tech lead, and the policy lets only tech leads waive.
    const again = await post('/releases/identity%401.6.0/approve', { role: 'tech-lead', csrf: csrfToken(owner) }, cookie(owner));
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('maria@fireproof.example is not a member of tech-lead');
    const waive = await post('/releases/billing%402.6.0/waive', { gate: 'checklist.tests', reason: 'flaky', csrf: csrfToken(owner) }, cookie(owner));
    expect(waive.status).toBe(403);
    expect(await waive.text()).toContain('may not waive gates');
  });

  it('ends with sign-out or when the token is revoked, and the cookie never authenticates the API', async () => {
    const engineer = token('engineer');
    expect((await get('/releases', cookie(engineer))).status).toBe(200);
    expect((await get('/api/v1/releases', cookie(engineer))).status).toBe(401);
    const out = await post('/sign-out', { csrf: csrfToken(engineer) }, cookie(engineer));
    expect([out.status, out.headers.get('location')]).toEqual([303, '/sign-in']);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));

    await revokeApiToken(workspace.store, engineer.split('_')[1] ?? '');
    const after = await get('/releases', cookie(engineer));
    expect(after.status).toBe(303);
  });

  it('serves every page with a Content-Security-Policy and no inline script or style, its assets from the package, and nothing else', async () => {
    const lead = cookie(token('tech lead'));
    for (const path of [...PAGES, '/sign-in']) {
      const response = await get(path, path === '/sign-in' ? {} : lead);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
      const text = await response.text();
      expect(text.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [], path).toEqual([]);
      expect(text.match(/<style|\sstyle=|\son[a-z]+=/gi) ?? [], path).toEqual([]);
    }
    const css = await get('/assets/dashboard.css');
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    const js = await get('/assets/dashboard.js');
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await get('/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await get('/assets/dashboard.css', { 'If-None-Match': css.headers.get('etag') ?? '' })).status).toBe(304);
    const missing = await get('/nowhere', lead);
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'text/html; charset=UTF-8']);
    expect((await get('/api/v1/nowhere', lead)).headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers each page quickly on the demo data', async () => {
    const lead = cookie(token('tech lead'));
    const timings: Record<string, number> = {};
    for (const path of PAGES) {
      await get(path, lead);
      const runs: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        expect((await get(path, lead)).status).toBe(200);
        runs.push(performance.now() - started);
      }
      timings[path] = Math.round(runs.sort((a, b) => a - b)[1] ?? 0);
    }
    console.log(`dashboard page times (median of 3, ms): ${JSON.stringify(timings)}`);
    // The target is 100 ms on an idle machine; the bound here only catches a page gone pathological on a busy one.
    for (const [path, ms] of Object.entries(timings)) expect(ms, path).toBeLessThan(1500);
  });
});
