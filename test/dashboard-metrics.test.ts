import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showMetrics } from '../src/app/show-metrics.js';
import { isShipgateError } from '../src/errors/shipgate-error.js';
import { SESSION_COOKIE } from '../src/server/dashboard/session.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { createRepo, type TestRepo } from './helpers/git-repo.js';
import { history, policy } from './helpers/metrics-history.js';
import { serverApp } from './helpers/server-app.js';

/*
 * The dashboard's metrics page in-process (app.request) on the hand-worked history of
 * test/metrics-history.test.ts: the figures that test works out, each chart's points and target line,
 * the filter form, and a bad filter answered as the CLI answers it.
 */
const NOW = new Date('2026-03-01T00:00:00Z');
const WINDOW = 'since=2026-02-02&until=2026-02-15';
let dir: string;
let repo: TestRepo;
let store: Store;
let app: ReturnType<typeof serverApp>;
let session: Record<string, string>;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shipgate-dashboard-metrics-'));
  repo = createRepo();
  repo.commit('chore: init', { 'README.md': 'x\n' });
  store = await openStore({ kind: 'sqlite', file: path.join(dir, 'store.db') });
  await history(store);
  app = serverApp(store, repo.dir, { now: () => NOW });
  token = await app.token('lead@example.com');
  session = { Cookie: `${SESSION_COOKIE}=${token}` };
});

afterAll(async () => {
  await store?.close();
  repo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (query: string) => {
  const response = await app.app.request(`http://localhost/metrics${query === '' ? '' : `?${query}`}`, { headers: session });
  return { status: response.status, csp: response.headers.get('content-security-policy'), text: await response.text() };
};
const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The text of the figures table's row for a metric, tags dropped. */
const row = (page: string, metric: string) => {
  const found = new RegExp(`<tr data-metric="${metric}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
  return unescape(found.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
};
/** One chart's markup: its figure and its table. */
const chart = (page: string, id: string) => new RegExp(`<section class="chart-card" aria-labelledby="chart-${id}-h">([\\s\\S]*?)</section>`).exec(page)?.[1] ?? '';
/** The points a chart's series draws, as [week, value]. */
const points = (markup: string, series: number) => {
  const group = new RegExp(`<g class="series series-${series}"[^>]*>([\\s\\S]*?)</g>`).exec(markup)?.[1] ?? '';
  return [...group.matchAll(/data-week="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]);
};

describe('the metrics page', () => {
  it('is in the navigation, and without a session asks for sign-in first', async () => {
    const anonymous = await app.app.request(`http://localhost/metrics?${WINDOW}`);
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, `/sign-in?next=${encodeURIComponent(`/metrics?${WINDOW}`)}`]);
    const page = await get(WINDOW);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/metrics" aria-current="page">Metrics</a>');
    const releases = await app.app.request('http://localhost/releases', { headers: session });
    expect(await releases.text()).toContain('<a href="/metrics">Metrics</a>');
  });

  it('shows each figure as the hand-worked history gives it, with its DORA level, its target and whether it is met', async () => {
    const { text } = await get(WINDOW);
    expect(text).toContain('Deploys to <strong>production</strong> for the organization, 2026-02-02 to 2026-02-15 (14 days, America/Los_Angeles).');
    // Lead times 1, 2, 14, 21, 25, 36 h: median 17.5 h, p90 30.5 h; features 25 and 36 h: median 30.5 h.
    expect(row(text, 'lead-time-median')).toBe('Lead time for changes (median) 17.5 h (6 commits) elite < 24 h met');
    expect(row(text, 'lead-time-p90')).toBe('Lead time for changes (p90) 30.5 h none');
    expect(row(text, 'feature-to-production')).toBe('Feature to production (median) 30.5 h (2 commits) < 14 d met');
    // 7 deploys in 14 days, on 5 of the 14 days and in both weeks: high.
    expect(row(text, 'deployment-frequency')).toBe('Deployment frequency 0.5 a day (7 deploys); deploys on 35.7% of days, 100% of weeks high none');
    // PATCH: 5 in 14 days (0.357 a day < 1: not met); MINOR: 2 in the one two-week period (met).
    expect(row(text, 'patch')).toBe('PATCH releases 0.4 a day (5 deploys) daily not met');
    expect(row(text, 'minor')).toBe('MINOR releases 2 a 2 weeks (2 deploys) biweekly met');
    // 4 of 7 deploys failed (a hotfix, a rollback, an incident, a failed deploy): low, over the 5% target.
    expect(row(text, 'change-failure-rate')).toBe('Change failure rate 57.1% (4 of 7) low < 5% not met');
    // Restores 30, 40, 75 and 120 min: median 57.5 min, elite, under the 1 h target.
    expect(row(text, 'time-to-restore')).toBe('Time to restore (median) 57.5 min (4 restored) elite < 1 h met');
    expect(text).toMatch(/<th scope="row">billing<\/th>\s*<td data-label="Deploys">5<\/td>/);
    expect(text).toMatch(/<th scope="row">platform<\/th>\s*<td data-label="Deploys">2<\/td>/);
  });

  it('draws a chart of each metric with a point per week that had data and the policy\'s target line, and the same numbers in a table', async () => {
    const { text } = await get(WINDOW);
    expect(text.match(/<svg [^>]*role="img"/g)).toHaveLength(7);
    // Week of 02-02: c1-c4 (1, 2, 21, 25 h): median 11.5 h, p90 21 + 0.7 x 4 = 23.8 h.
    // Week of 02-09: c5, c6 (14, 36 h): median 25 h, p90 14 + 0.9 x 22 = 33.8 h.
    const lead = chart(text, 'lead-time');
    expect(points(lead, 0)).toEqual([['2026-02-02', 11.5], ['2026-02-09', 25]]);
    expect(points(lead, 1).map(([week, value]) => [week, Math.round((value as number) * 10) / 10])).toEqual([['2026-02-02', 23.8], ['2026-02-09', 33.8]]);
    expect(lead).toContain('data-target="24"');
    expect(lead).toContain('target &lt; 24 h');
    // Change failure rate: 2 of 3, then 2 of 4, against 5%.
    const cfr = chart(text, 'change-failure-rate');
    expect(points(cfr, 0)).toEqual([['2026-02-02', 2 / 3], ['2026-02-09', 0.5]]);
    expect(cfr).toContain('data-target="0.05"');
    expect(cfr).toMatch(/<th scope="row">2026-02-02<\/th><td>66.7%<\/td><\/tr><tr><th scope="row">2026-02-09<\/th><td>50%<\/td>/);
    // Time to restore: 2 h and 30 min (median 1.25 h), then 75 and 40 min (57.5 min), against 1 h.
    const ttr = chart(text, 'time-to-restore');
    expect(points(ttr, 0)).toEqual([['2026-02-02', 1.25], ['2026-02-09', 57.5 / 60]]);
    expect(ttr).toContain('<td>57.5 min</td>');
    // PATCH: 2 then 3 a week against daily (7 a week); all deploys: 3 then 4, with no target line.
    expect(points(chart(text, 'patch'), 0)).toEqual([['2026-02-02', 2], ['2026-02-09', 3]]);
    expect(chart(text, 'patch')).toContain('data-target="7"');
    expect(points(chart(text, 'deployment-frequency'), 0)).toEqual([['2026-02-02', 3], ['2026-02-09', 4]]);
    expect(chart(text, 'deployment-frequency')).not.toContain('data-target');
    // Feature to production: c1 (25 h) in the first week, c5 (36 h) in the second, against 14 days.
    expect(points(chart(text, 'feature-to-production'), 0).map(([, value]) => Math.round((value as number) * 24))).toEqual([25, 36]);
  });

  it('draws the same weekly series the API answers', async () => {
    const api = await app.call('GET', `/api/v1/metrics?${WINDOW}`, { token });
    expect(api.status).toBe(200);
    const series = api.json.series as { weeks: string[]; lines: { metric: string; values: (number | null)[] }[] };
    const { text } = await get(WINDOW);
    const p90 = series.lines.find((line) => line.metric === 'leadTimeP90')?.values;
    expect(p90?.map((v) => Math.round((v as number) * 10) / 10)).toEqual([23.8, 33.8]);
    expect(points(chart(text, 'lead-time'), 1).map(([, value]) => value)).toEqual(p90);
    expect(points(chart(text, 'minor'), 0).map(([, value]) => value)).toEqual(series.lines.find((line) => line.metric === 'minorDeploys')?.values.filter((v) => v !== null));
  });

  it('filters by component and train with a GET form that keeps what was asked', async () => {
    // No filter: as the CLI, 90 days before now (00:00 UTC on 1 March is 16:00 on 28 February in Los Angeles), from the start of that day.
    const { status, text } = await get('');
    expect(status).toBe(200);
    expect(text).toContain('for the organization, 2025-11-30 to 2026-02-28 (91 days, America/Los_Angeles)');
    expect(text).toMatch(/<form class="filters" method="get" action="\/metrics">/);
    for (const name of ['since', 'until']) expect(text).toMatch(new RegExp(`<label for="f-${name}">[^<]+</label><input id="f-${name}" name="${name}" type="text" value=""`));
    expect(text).toContain('<option value="billing">billing</option>');
    expect(text).toContain('<option value="platform">Platform</option>');

    const billing = (await get(`${WINDOW}&component=billing`)).text;
    expect(billing).toContain('<input id="f-since" name="since" type="text" value="2026-02-02"');
    expect(billing).toContain('<option value="billing" selected>billing</option>');
    expect(billing).toContain('for component billing, 2026-02-02 to 2026-02-15');
    // billing alone: 3 of 5 failed; restores 2 h, 75 min and 40 min: median 75 min (high, over the 1 h target).
    expect(row(billing, 'change-failure-rate')).toBe('Change failure rate 60% (3 of 5) low < 5% not met');
    expect(row(billing, 'time-to-restore')).toBe('Time to restore (median) 1.3 h (3 restored) high < 1 h not met');

    const platform = (await get(`${WINDOW}&train=platform&component=`)).text;
    expect(platform).toContain('<option value="platform" selected>Platform</option>');
    expect(row(platform, 'lead-time-median')).toBe('Lead time for changes (median) 2 h (1 commits) elite < 24 h met');
  });

  it('says "no data" for a window with no deploys, in each figure and each chart', async () => {
    const { status, text } = await get('since=2026-03-02&until=2026-03-08');
    expect(status).toBe(200);
    for (const metric of ['lead-time-median', 'lead-time-p90', 'feature-to-production', 'deployment-frequency', 'patch', 'minor', 'change-failure-rate', 'time-to-restore']) expect(row(text, metric), metric).toContain('no data');
    // Lead time, feature to production, failure rate and restore have nothing to measure; the deploy counts are a real 0.
    for (const id of ['lead-time', 'feature-to-production', 'change-failure-rate', 'time-to-restore']) {
      expect(chart(text, id), id).toContain('>no data in this window</text>');
      expect(chart(text, id), id).not.toContain('<circle');
    }
    for (const id of ['deployment-frequency', 'patch', 'minor']) expect(points(chart(text, id), 0), id).toEqual([['2026-03-02', 0]]);
    expect(text).not.toMatch(/NaN|Infinity/);
  });

  it('answers a bad date or an unknown train with the CLI\'s message and status, and the form to correct it', async () => {
    const cliMessage = async (options: { since?: string; train?: string }) => {
      try {
        await showMetrics({ store, policy, ...options, now: NOW });
      } catch (error) {
        if (isShipgateError(error)) return { message: error.message, hint: error.hint };
        throw error;
      }
      throw new Error('no error');
    };
    const bad = await get('since=2026-02-30&until=2026-02-15');
    expect(bad.status).toBe(400);
    const text = unescape(bad.text);
    const expected = await cliMessage({ since: '2026-02-30' });
    expect(expected.message).toBe('--since "2026-02-30" is not a valid date');
    expect(text).toContain(`<div class="flash error" role="alert"><p>${expected.message}</p><p>${expected.hint}</p></div>`);
    expect(text).toContain('<input id="f-since" name="since" type="text" value="2026-02-30"');
    expect(text).not.toContain('<svg');

    const backwards = await get('since=2026-02-15&until=2026-02-02');
    expect(backwards.status).toBe(400);
    expect(unescape(backwards.text)).toContain('the window is empty');

    const train = await get('train=nightly');
    expect(train.status).toBe(404);
    expect(unescape(train.text)).toContain((await cliMessage({ train: 'nightly' })).message);
    // Markup in a filter is shown as text, never run.
    const hostile = await get(`since=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(hostile.status).toBe(400);
    expect(hostile.text).not.toContain('<script>alert');
  });

  it('has a Content-Security-Policy and no inline script or style', async () => {
    const { status, csp, text } = await get(WINDOW);
    expect([status, text.includes('<svg')]).toEqual([200, true]);
    expect(csp).toMatch(/script-src 'self'; style-src 'self'/);
    expect(text.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
    expect(text.match(/<style|\sstyle=|\son[a-z]+=/gi) ?? []).toEqual([]);
  });
});
