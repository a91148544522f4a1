import { afterEach, describe, expect, it } from 'vitest';
import { showMetrics } from '../src/app/show-metrics.js';
import type { Store } from '../src/store/open-store.js';
import { HOUR, history, local, policy, ran, release } from './helpers/metrics-history.js';
import { freshStore, storeBackends } from './helpers/stores.js';

/* The hand-worked history and its table of deploys are in helpers/metrics-history.ts (the dashboard's tests read it too). */

describe.each(storeBackends())('metrics of a hand-worked history on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('computes each figure as worked out by hand, with its DORA level and the policy\'s target', async () => {
    ({ store } = await freshStore(backend));
    await history(store);
    const report = await showMetrics({ store, policy, since: '2026-02-02', until: '2026-02-15', now: new Date('2026-03-01T00:00:00Z') });
    expect(report.environment).toBe('production');
    expect(report.window).toEqual({ since: local('2026-02-02T00:00'), until: local('2026-02-16T00:00'), firstDay: '2026-02-02', lastDay: '2026-02-15', timezone: 'America/Los_Angeles', days: 14 });
    const f = report.figures;

    // Lead time: sorted 1 h, 2 h, 14 h, 21 h, 25 h, 36 h. Median = (14 + 21) / 2 = 17.5 h (elite: < 1 day; < 24 h target met).
    // p90 = rank 0.9 x 5 = 4.5: 25 h + 0.5 x (36 h - 25 h) = 30.5 h.
    // Features c1 (25 h) and c5 (36 h): median 30.5 h (< 2 weeks: met), p90 = 25 h + 0.9 x 11 h = 34.9 h.
    expect(f.leadTime).toEqual({
      commits: 6,
      medianSeconds: 17.5 * HOUR,
      p90Seconds: 30.5 * HOUR,
      level: 'elite',
      commitToDeploy: { target: 24 * HOUR, met: true },
      featureToProduction: { commits: 2, medianSeconds: 30.5 * HOUR, p90Seconds: expect.closeTo(34.9 * HOUR, 6), target: 14 * 24 * HOUR, met: true },
    });

    // Frequency: 7 production deploys in 14 days = 0.5 a day, 3.5 a week. Days with one (local): 02-03, 02-04,
    // 02-10 (#4 is 06:00 UTC on the 11th, but 22:00 on the 10th in Los Angeles), 02-12, 02-13 = 5 of 14.
    // Deploy days per week: week of 02-02 has 2, week of 02-09 has 3: median 2.5 < 3, but every week has one: high.
    // PATCH (daily): 1.1.1, identity 2.0.1, identity 2.0.2 (2.0.0 -> 2.0.2), billing 1.2.1 and 1.2.2 = 5 in 14 days:
    //   0.357 a day < 1, not met; on 4 days (02-03, 02-04, 02-12, 02-13).
    // MINOR (biweekly): 1.1.0 and 1.2.0 = 2 in one two-week period: met.
    const freq = f.deploymentFrequency;
    expect(freq).toMatchObject({
      deploys: 7,
      perDay: 0.5,
      perWeek: 3.5,
      days: { total: 14, withDeploy: 5, share: 5 / 14 },
      weeks: { total: 2, withDeploy: 2, share: 1 },
      months: { total: 1, withDeploy: 1, share: 1 },
      medianDeployDaysPerWeek: 2.5,
      level: 'high',
      patch: { target: 'daily', deploys: 5, periods: 14, perPeriod: 5 / 14, periodsWithDeploy: 4, met: false },
      minor: { target: 'biweekly', deploys: 2, periods: 1, perPeriod: 2, periodsWithDeploy: 1, met: true },
    });

    // Change failure rate: #1 (a hotfix followed it), #3 (rolled back), #4 (INC-1 opened while it ran), #6 (failed)
    // = 4 of 7 = 57.1 %: low (> 15 %), above the 5 % target.
    expect(f.changeFailureRate).toEqual({
      deploys: 7,
      failed: 4,
      rate: 4 / 7,
      causes: { failed: 1, rollback: 1, hotfix: 1, incident: 1 },
      failedDeploys: expect.arrayContaining(['billing@1.1.0', 'identity@2.0.1', 'billing@1.2.0', 'billing@1.2.1']),
      level: 'low',
      target: 0.05,
      met: false,
    });

    // Time to restore: #1 -> the hotfix #2 = 2 h; #3 -> its rollback = 30 min; INC-1 = 75 min (it covers #4);
    // #6 -> #7 = 40 min. Sorted 30, 40, 75, 120 min: median (40 + 75) / 2 = 57.5 min: elite (< 1 h), target met.
    // Mean = 265 / 4 = 66.25 min.
    expect(f.timeToRestore).toEqual({ restores: 4, open: 0, medianSeconds: 57.5 * 60, meanSeconds: 66.25 * 60, level: 'elite', target: HOUR, met: true });

    // Per component: billing has #1 #2 #4 #6 #7 with #1 #4 #6 failed = 3 of 5; identity #3 #5 with #3 failed = 1 of 2.
    expect(report.components.map((c) => [c.component, c.train, c.figures.deploymentFrequency.deploys, c.figures.changeFailureRate.rate])).toEqual([
      ['billing', 'module', 5, 3 / 5],
      ['identity', 'platform', 2, 1 / 2],
    ]);
    // Per train: billing rides the module train, identity (a platform crate, even its recorded deploy) the platform train.
    expect(report.trains.map((t) => [t.train, t.figures.deploymentFrequency.deploys, t.figures.leadTime.commits])).toEqual([
      ['module', 5, 5],
      ['platform', 2, 1],
    ]);

    // The weekly series: week of 02-02 has #1 #2 #3 (2 failed of 3), c1-c4 (1, 2, 21, 25 h: median 11.5 h),
    // restores 2 h and 30 min (median 1.25 h); week of 02-09 has #4-#7 (2 of 4), c5 c6 (14, 36 h: median 25 h),
    // restores 75 and 40 min (median 57.5 min).
    const line = (metric: string) => report.series.lines.find((l) => l.metric === metric);
    expect(report.series.weeks).toEqual(['2026-02-02', '2026-02-09']);
    expect(line('deploys')?.values).toEqual([3, 4]);
    expect(line('changeFailureRate')).toMatchObject({ target: 0.05, goal: 'below', values: [2 / 3, 0.5] });
    expect(line('leadTime')).toMatchObject({ unit: 'hours', target: 24, values: [11.5, 25] });
    expect(line('timeToRestore')).toMatchObject({ unit: 'hours', target: 1, values: [1.25, 57.5 / 60] });
    expect(line('patchDeploys')).toMatchObject({ target: 7, goal: 'atLeast', values: [2, 3] });
  });

  it('scopes to a component or a train', async () => {
    ({ store } = await freshStore(backend));
    await history(store);
    const billing = await showMetrics({ store, policy, since: '2026-02-02', until: '2026-02-15', component: 'billing', now: new Date('2026-03-01T00:00:00Z') });
    // billing alone: 3 of 5 failed; restores 2 h, 75 min, 40 min: median 75 min (high: < 1 day, over the 1 h target).
    expect(billing.scope).toEqual({ component: 'billing', train: null });
    expect(billing.figures.changeFailureRate.rate).toBe(3 / 5);
    expect(billing.figures.timeToRestore).toMatchObject({ medianSeconds: 75 * 60, level: 'high', met: false });
    const platform = await showMetrics({ store, policy, since: '2026-02-02', until: '2026-02-15', train: 'platform', now: new Date('2026-03-01T00:00:00Z') });
    // identity's one commit c4: 2 h.
    expect(platform.figures.leadTime).toMatchObject({ commits: 1, medianSeconds: 2 * HOUR });
    expect(platform.components.map((c) => c.component)).toEqual(['identity']);
  });

  it('counts by the policy\'s days: the incident at 23:30 on the 10th in Los Angeles (07:30 UTC on the 11th) is the 10th\'s', async () => {
    ({ store } = await freshStore(backend));
    await history(store);
    const day = (date: string) => showMetrics({ store: store!, policy, since: date, until: date, now: new Date('2026-03-01T00:00:00Z') });
    // The 10th: #4 at 22:00 and INC-1 from 23:30 to 00:45 the next day (75 min), which it caused.
    const tenth = await day('2026-02-10');
    expect([tenth.window.days, tenth.figures.deploymentFrequency.deploys, tenth.figures.changeFailureRate.rate]).toEqual([1, 1, 1]);
    expect(tenth.figures.timeToRestore).toMatchObject({ restores: 1, medianSeconds: 75 * 60, level: 'high' });
    // The 11th had neither (in UTC both would be the 11th's).
    const eleventh = await day('2026-02-11');
    expect([eleventh.figures.deploymentFrequency.deploys, eleventh.figures.timeToRestore.restores, eleventh.figures.timeToRestore.level]).toEqual([0, 0, 'no data']);
  });

  it('counts the commits of a release created after an earlier report: the copy of the log catches up once', async () => {
    ({ store } = await freshStore(backend));
    await history(store);
    const ask = () => showMetrics({ store: store!, policy, since: '2026-02-02', until: '2026-02-15', now: new Date('2026-03-01T00:00:00Z') });
    expect((await ask()).figures.leadTime.commits).toBe(6);
    // c7 authored Fri 02-13 16:00, deployed Sat 02-14 10:00: 18 h. Sorted 1, 2, 14, 18, 21, 25, 36 h: median 18 h.
    await release(store, 'billing', 'module', '1.2.3', 'patch', 'scheduled', [{ n: 7, authored: '2026-02-13T16:00', type: 'fix' }]);
    await ran(store, 'billing', '1.2.3', 'scheduled', 'production', '2026-02-14T10:00', 'succeeded');
    expect((await ask()).figures.leadTime).toMatchObject({ commits: 7, medianSeconds: 18 * HOUR });
    expect((await ask()).figures.leadTime.commits).toBe(7);
  });

  it('says "no data" for a window with no deploys, never dividing by zero', async () => {
    ({ store } = await freshStore(backend));
    await history(store);
    const empty = await showMetrics({ store, policy, since: '2026-03-02', until: '2026-03-08', now: new Date('2026-04-01T00:00:00Z') });
    const f = empty.figures;
    expect([f.leadTime.level, f.deploymentFrequency.level, f.changeFailureRate.level, f.timeToRestore.level]).toEqual(['no data', 'no data', 'no data', 'no data']);
    expect(f.changeFailureRate).toMatchObject({ deploys: 0, failed: 0, rate: null, met: null });
    expect(f.deploymentFrequency).toMatchObject({ deploys: 0, perDay: 0, days: { total: 7, withDeploy: 0, share: 0 }, medianDeployDaysPerWeek: 0, patch: { met: null } });
    expect(f.leadTime).toMatchObject({ commits: 0, medianSeconds: null, p90Seconds: null, commitToDeploy: { met: null } });
    expect(f.timeToRestore).toMatchObject({ restores: 0, medianSeconds: null, meanSeconds: null, met: null });
    expect(empty.components).toEqual([]);
    expect(empty.series.lines.find((l) => l.metric === 'changeFailureRate')?.values).toEqual([null]);
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
  });
});
