import { afterEach, describe, expect, it } from 'vitest';
import { recordDeploy, recordIncident, resolveIncident } from '../src/app/record-metrics.js';
import { showMetrics } from '../src/app/show-metrics.js';
import { builtinPolicy } from '../src/policy/parse-policy.js';
import { insertDeployment, updateDeployment, type Deployment } from '../src/store/deployments.js';
import type { Store } from '../src/store/open-store.js';
import { createRelease } from '../src/store/releases.js';
import { freshStore, storeBackends } from './helpers/stores.js';

/*
 * A small history whose every figure is worked out by hand below. The policy's time zone is
 * America/Los_Angeles; in February it is UTC-8, so `local('2026-02-10T22:00')` is 06:00 UTC on the 11th.
 * The window is two ISO weeks, Monday 2026-02-02 to Sunday 2026-02-15 (14 days).
 *
 *  #  production deploy                         local time         what happened after
 *  1  billing@1.1.0 (scheduled, minor)          Tue 02-03 10:00    repaired by hotfix 1.1.1         -> failed (hotfix)
 *  2  billing@1.1.1 (hotfix, patch)             Tue 02-03 12:00
 *  3  identity@2.0.1 (scheduled, patch)         Wed 02-04 10:00    rolled back to 2.0.0 at 10:30     -> failed (rollback)
 *  4  billing@1.2.0 (scheduled, minor)          Tue 02-10 22:00    INC-1 opens 23:30, resolved 00:45 -> failed (incident)
 *  5  identity@2.0.2 (recorded, no release)     Thu 02-12 09:00
 *  6  billing@1.2.1 (recorded --failed)         Fri 02-13 15:00                                      -> failed
 *  7  billing@1.2.2 (recorded)                  Fri 02-13 15:40
 *  plus a staging deploy (not counted) and the rollback row of #3 (a rollback, not a deploy).
 */
const local = (wallClock: string) => new Date(`${wallClock}:00-08:00`).toISOString();
const sha = (n: number) => n.toString(16).padStart(40, 'c');
const HOUR = 3600;

const policy = builtinPolicy();

async function release(store: Store, component: string, kind: string, version: string, bump: 'major' | 'minor' | 'patch', type: 'scheduled' | 'hotfix', commits: { n: number; authored: string; type: string | null }[]) {
  await createRelease(
    store,
    { component, kind, path: `x/${component}`, version, tag: `${component}/v${version}`, lastTag: null, bump, type, breaking: false, state: 'approved', trainDate: null, commit: sha(999), createdBy: 'rel@example.com' },
    { kind: 'created', commit: sha(999), reasons: [], commits: commits.map((c) => ({ sha: sha(c.n), authoredAt: local(c.authored), type: c.type })) },
  );
}

/** A deploy as shipgate's pipeline writes it: started, rolled out, finished with an outcome. */
async function ran(store: Store, component: string, version: string, type: string, environment: string, at: string, outcome: 'succeeded' | 'rolled-back', kind: 'deploy' | 'rollback' = 'deploy'): Promise<Deployment> {
  const row = await insertDeployment(store, { releaseId: kind === 'deploy' ? `${component}@${version}` : null, component, environment, version, releaseType: type, kind, previousVersion: null, phase: 'deploy', pipeline: true, actor: 'shipgate', reason: null, startedAt: local(at) });
  return updateDeployment(store, row.id, { phase: 'done', rolledOutAt: local(at), finishedAt: local(at), outcome });
}

async function history(store: Store): Promise<void> {
  // Lead times (commit authored -> its first production deploy):
  //   c1 feat Mon 02-02 09:00 -> #1 Tue 10:00 = 25 h     c2 fix  Mon 02-02 13:00 -> #1 = 21 h
  //   c3 fix  Tue 02-03 11:00 -> #2 Tue 12:00 =  1 h     c4 fix  Wed 02-04 08:00 -> #3 Wed 10:00 = 2 h
  //   c5 feat Mon 02-09 10:00 -> #4 Tue 22:00 = 36 h     c6 chore Tue 02-10 08:00 -> #4 = 14 h
  await release(store, 'billing', 'module', '1.1.0', 'minor', 'scheduled', [{ n: 1, authored: '2026-02-02T09:00', type: 'feat' }, { n: 2, authored: '2026-02-02T13:00', type: 'fix' }]);
  await release(store, 'billing', 'module', '1.1.1', 'patch', 'hotfix', [{ n: 3, authored: '2026-02-03T11:00', type: 'fix' }]);
  await release(store, 'identity', 'platform', '2.0.1', 'patch', 'scheduled', [{ n: 4, authored: '2026-02-04T08:00', type: 'fix' }]);
  // c1 rides 1.2.0 too (a product carries it again): its first production deploy stays #1.
  await release(store, 'billing', 'module', '1.2.0', 'minor', 'scheduled', [{ n: 5, authored: '2026-02-09T10:00', type: 'feat' }, { n: 6, authored: '2026-02-10T08:00', type: 'chore' }, { n: 1, authored: '2026-02-02T09:00', type: 'feat' }]);

  await ran(store, 'billing', '1.1.0', 'scheduled', 'staging', '2026-02-02T15:00', 'succeeded');
  await ran(store, 'billing', '1.1.0', 'scheduled', 'production', '2026-02-03T10:00', 'succeeded');
  await ran(store, 'billing', '1.1.1', 'hotfix', 'production', '2026-02-03T12:00', 'succeeded');
  const bad = await ran(store, 'identity', '2.0.1', 'scheduled', 'production', '2026-02-04T10:00', 'rolled-back');
  const back = await ran(store, 'identity', '2.0.0', 'scheduled', 'production', '2026-02-04T10:30', 'succeeded', 'rollback');
  await updateDeployment(store, bad.id, { rolledBackBy: back.id });
  await ran(store, 'billing', '1.2.0', 'scheduled', 'production', '2026-02-10T22:00', 'succeeded');
  // An incident that spans midnight in Los Angeles: 23:30 to 00:45 the next day = 75 min.
  await recordIncident({ store, id: 'INC-1', component: 'billing', at: new Date(local('2026-02-10T23:30')), actor: 'oncall@example.com', source: 'cli' });
  await resolveIncident({ store, id: 'INC-1', at: new Date(local('2026-02-11T00:45')) });
  // Deploys shipgate only hears about: no release, so no commits; their bump comes from the version they replaced.
  const told = (ref: string, at: string, failed = false) => recordDeploy({ store, policy, ref, environment: 'production', at: new Date(local(at)), failed, actor: 'ci@example.com', source: 'cli' });
  await told('identity@2.0.2', '2026-02-12T09:00');
  await told('billing@1.2.1', '2026-02-13T15:00', true);
  await told('billing@1.2.2', '2026-02-13T15:40');
}

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
