import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/open-store.js';
import { inspectPage, openBrowser } from './helpers/browser.js';
import { createRepo, type TestRepo } from './helpers/git-repo.js';
import { history } from './helpers/metrics-history.js';
import { serverApp } from './helpers/server-app.js';

/*
 * The metrics page in real headless Chromium, served on loopback from the hand-worked history of
 * test/metrics-history.test.ts: the charts draw their points and target lines, the filter form works,
 * and the page loads nothing from anywhere but the server, trips no Content-Security-Policy and logs
 * no error. Screenshots go to test-results/screenshots/metrics/.
 */
const WINDOW = 'since=2026-02-02&until=2026-02-15';
let dir: string;
let repo: TestRepo;
let store: Store;
let server: ReturnType<typeof serve>;
let url: string;
let token: string;
let browser: Awaited<ReturnType<typeof openBrowser>>;
const requested: string[] = [];
const failed: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shipgate-metrics-browser-'));
  repo = createRepo();
  repo.commit('chore: init', { 'README.md': 'x\n' });
  store = await openStore({ kind: 'sqlite', file: path.join(dir, 'store.db') });
  await history(store);
  const app = serverApp(store, repo.dir, { now: () => new Date('2026-03-01T00:00:00Z') });
  token = await app.token('lead@example.com');
  [server, browser] = await Promise.all([
    new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
    }),
    openBrowser(),
  ]);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser.page.on('request', (request) => requested.push(request.url()));
  browser.page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}${new URL(response.url()).search}`);
  });
});

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  await store?.close();
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the metrics page in Chromium', { timeout: 180_000 }, () => {
  it('draws each chart with its points and target line, filters with the form, and stays within the page\'s policy', async () => {
    const { page } = browser;
    await page.goto(`${url}/metrics?${WINDOW}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/metrics?${WINDOW}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Metrics' }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('link', { name: 'Metrics' }).getAttribute('aria-current')).toBe('page');

    // Seven charts, each an image with a name, drawn at a real size.
    const charts = page.locator('figure.chart svg[role="img"]');
    expect(await charts.count()).toBe(7);
    for (const svg of await charts.all()) {
      const box = await svg.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(80);
    }
    expect(await page.getByRole('img', { name: /Change failure rate/ }).count()).toBe(1);

    // The change failure rate: a point per week (2 of 3, then 2 of 4) above the 5% target line, both visible.
    const cfr = page.locator('#chart-change-failure-rate');
    const dots = cfr.locator('circle');
    expect(await dots.count()).toBe(2);
    const target = await cfr.locator('.target line').boundingBox();
    const [first, second] = [await dots.nth(0).boundingBox(), await dots.nth(1).boundingBox()];
    expect(target?.width ?? 0).toBeGreaterThan(200);
    // Higher on the screen is a larger value: 66.7% above 50%, both above 5%.
    expect((first?.y ?? 0) < (second?.y ?? 0)).toBe(true);
    expect((second?.y ?? 0) < (target?.y ?? 0)).toBe(true);
    expect(await cfr.locator('.target line').evaluate((line) => (globalThis as unknown as { getComputedStyle(element: unknown): { strokeDasharray: string } }).getComputedStyle(line).strokeDasharray)).not.toBe('none');
    // Lead time draws the median and the p90: two lines of two points.
    expect(await page.locator('#chart-lead-time circle').count()).toBe(4);
    expect(await page.locator('#chart-lead-time path').count()).toBe(2);

    // The same numbers as a table, behind a disclosure.
    await page.getByText('Change failure rate: the weekly values as a table').click();
    expect(await page.getByRole('row', { name: '2026-02-02 66.7%' }).isVisible()).toBe(true);
    expect(await page.getByRole('row', { name: /Change failure rate 57.1% \(4 of 7\) low < 5% not met/ }).count()).toBe(1);
    expect(await inspectPage(page, 'metrics', 'metrics'), 'axe on metrics').toEqual([]);

    // The filter form: one component.
    await page.getByLabel('Component', { exact: true }).selectOption('billing');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/component=billing/);
    expect(new URL(page.url()).searchParams.get('since')).toBe('2026-02-02');
    expect(await page.getByRole('row', { name: /Change failure rate 60% \(3 of 5\)/ }).count()).toBe(1);
    expect(await page.locator('#chart-change-failure-rate circle').count()).toBe(2);
    expect(await inspectPage(page, 'metrics', 'metrics-billing'), 'axe on metrics-billing').toEqual([]);

    // A bad date: the CLI's message, the form kept to correct it.
    await page.getByLabel('Since').fill('2026-02-30');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/metrics?')), page.getByRole('button', { name: 'Show' }).click()]);
    expect(response.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('--since "2026-02-30" is not a valid date');
    expect(await page.getByLabel('Since').inputValue()).toBe('2026-02-30');
    expect(await inspectPage(page, 'metrics', 'metrics-bad-date'), 'axe on metrics-bad-date').toEqual([]);

    // Nothing but this server was asked for anything, and the page never tripped its policy or threw.
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((address) => new URL(address).host !== new URL(url).host)).toEqual([]);
    // The page's requests all answered (but the bad date's 400); Chromium's own favicon request is not the page's and logs its 404 only as text.
    expect(failed).toEqual(['400 /metrics?since=2026-02-30&until=2026-02-15&component=billing&train=']);
    expect(browser.console.filter((line) => /Content Security Policy|pageerror|^error:/i.test(line) && !/^error: Failed to load resource/.test(line))).toEqual([]);
  });
});
