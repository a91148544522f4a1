import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/open-store.js';
import { billingRepo, PEOPLE } from './helpers/gate-fixtures.js';
import type { TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';

describe('a calendar feed token: a team subscribes to the calendar with a URL, and that URL reads nothing else', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let db: string;
  let store: Store;
  beforeAll(() => {
    repo = billingRepo();
    temp = tempDir();
    db = path.join(temp.dir, 'store.db');
  });
  afterAll(async () => {
    await store?.close();
    temp.cleanup();
    repo.cleanup();
  });

  it('shipgate token create --scope calendar prints a token and the URL to subscribe to; other scopes are refused', () => {
    const created = runCli(['token', 'create', '--user', PEOPLE.alice, '--scope', 'calendar', '--db', db], { cwd: repo.dir });
    expect(created.code).toBe(0);
    const token = created.stdout.split('\n')[0] ?? '';
    expect(created.stdout).toContain(`subscribe to <server>/api/v1/calendar.ics?token=${token}; it reads nothing else`);
    const listed = runCli(['token', 'list', '--json', '--db', db], { cwd: repo.dir });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ user: PEOPLE.alice, scope: 'calendar' }]);
    const bad = runCli(['token', 'create', '--user', PEOPLE.alice, '--scope', 'admin', '--db', db], { cwd: repo.dir });
    expect([bad.code, expectOneLineError(bad)]).toEqual([2, 'shipgate: --scope "admin" is not a token scope (scopes: full, calendar (calendar: may only read the calendar feed, to subscribe to it))']);
  });

  it('reads the feed from ?token= with no header; is refused (403) everywhere else; a full token in the URL is refused (401); the log never has a token', async () => {
    store = await openStore({ kind: 'sqlite', file: db });
    const { call, token, logged, app } = serverApp(store, repo.dir);
    const feed = await token(PEOPLE.bob, { scope: 'calendar' });
    const full = await token(PEOPLE.bob);

    const subscribed = await app.request(`/api/v1/calendar.ics?from=2026-02-01&to=2026-02-28&token=${feed}`);
    expect([subscribed.status, subscribed.headers.get('content-type')]).toEqual([200, 'text/calendar; charset=utf-8']);
    expect(await subscribed.text()).toMatch(/^BEGIN:VCALENDAR\r?\n/);
    // A calendar app that can send the header may do that instead.
    expect((await call('GET', '/api/v1/calendar.ics', { token: feed })).status).toBe(200);

    for (const route of ['/api/v1/calendar', '/api/v1/releases', '/api/v1/policy', '/api/v1/jobs']) {
      const refused = await call('GET', route, { token: feed });
      expect([route, refused.status, refused.json.code, refused.json.detail]).toEqual([route, 403, 'ESCOPE', 'a calendar feed token may only read GET /api/v1/calendar.ics']);
    }
    // Only the feed takes a token from the URL: elsewhere it is not even looked at.
    const elsewhere = await app.request(`/api/v1/releases?token=${feed}`);
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { detail: string }).detail).toContain('no Authorization header');

    const leaked = await app.request(`/api/v1/calendar.ics?token=${full}`);
    const problem = (await leaked.json()) as { status: number; detail: string; hint: string };
    expect([leaked.status, problem.detail]).toEqual([401, 'only a calendar feed token is accepted in a URL; a full token is sent in the Authorization header']);
    expect(problem.hint).toContain('--scope calendar');
    expect(JSON.stringify(problem)).not.toContain(full);
    // The full token still works where it belongs.
    expect((await call('GET', '/api/v1/calendar.ics', { token: full })).status).toBe(200);

    const lines = logged.filter((line) => line.includes('"msg":"request"'));
    expect(lines.length).toBeGreaterThanOrEqual(9);
    for (const line of logged) {
      expect(line).not.toContain(feed);
      expect(line).not.toContain(full);
      expect(line).not.toContain('token=');
    }
    expect(lines.some((line) => line.includes('"path":"/api/v1/calendar.ics"') && line.includes('"status":200'))).toBe(true);
  });
});
