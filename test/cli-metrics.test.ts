import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.js';
import { createRepo, type TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';
import { serverApp } from './helpers/server-app.js';

describe('shipgate record and shipgate metrics', () => {
  let repo: TestRepo;
  let temp: { dir: string; cleanup: () => void };
  let db: string;
  const cli = (...args: string[]) => runCli([...args, '--db', db], { cwd: repo.dir });
  beforeAll(() => {
    repo = createRepo();
    repo.commit('chore: init', { 'README.md': 'x\n' });
    temp = tempDir();
    db = path.join(temp.dir, 'store.db');
  });
  afterAll(() => {
    temp.cleanup();
    repo.cleanup();
  });

  it('says "no data" before anything is recorded', () => {
    const empty = cli('metrics', '--since', '2026-02-02', '--until', '2026-02-08');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^Delivery metrics of production deploys, organization: 2026-02-02 to 2026-02-08 \(America\/Los_Angeles, 7 days\)/);
    expect(empty.stdout).toMatch(/change failure rate\s+no data\s+no data/);
  });

  it('records deploys and incidents, and the CLI\'s metrics JSON is the API\'s', async () => {
    const first = cli('record', 'deploy', 'billing@1.0.0', '--env', 'production', '--at', '2026-02-03T10:00', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ recorded: true, deployment: { component: 'billing', version: '1.0.0', environment: 'production', startedAt: '2026-02-03T18:00:00.000Z', outcome: 'succeeded', releaseId: null } });
    // The same deploy again is on record already: nothing added.
    expect(cli('record', 'deploy', 'billing@1.0.0', '--env', 'production', '--at', '2026-02-03T10:00').stdout).toBe('already on record: the deploy of billing@1.0.0 to production at 2026-02-03T18:00:00.000Z (succeeded)\n');
    expect(cli('record', 'deploy', 'billing@v1.0.1', '--env', 'production', '--at', '2026-02-04T10:00', '--failed').stdout).toMatch(/^recorded the deploy of billing@1\.0\.1 .*\(failed\)\n$/);
    expect(cli('record', 'deploy', 'billing@1.0.2', '--env', 'production', '--at', '2026-02-04T10:20').code).toBe(0);
    expect(cli('record', 'incident', 'INC-9', '--component', 'billing', '--at', '2026-02-05T23:50').stdout).toBe('recorded incident INC-9 in billing, opened at 2026-02-06T07:50:00.000Z\n');
    expect(cli('record', 'resolve', 'INC-9', '--at', '2026-02-06T00:20').stdout).toBe('incident INC-9 resolved at 2026-02-06T08:20:00.000Z\n');

    const shown = cli('metrics', '--since', '2026-02-02', '--until', '2026-02-08', '--json');
    expect(shown.code).toBe(0);
    const report = JSON.parse(shown.stdout) as { figures: { changeFailureRate: { rate: number }; timeToRestore: { medianSeconds: number } } };
    // 3 deploys: 1.0.1 failed, 1.0.2 had INC-9 = 2 of 3; restores 20 min (1.0.1 -> 1.0.2) and 30 min (INC-9): median 25 min.
    expect([report.figures.changeFailureRate.rate, report.figures.timeToRestore.medianSeconds]).toEqual([2 / 3, 25 * 60]);

    const store = await openStore({ kind: 'sqlite', file: db });
    try {
      const { call, token } = serverApp(store, repo.dir);
      const api = await call('GET', '/api/v1/metrics?since=2026-02-02&until=2026-02-08', { token: await token('viewer@example.com') });
      expect(api.status).toBe(200);
      expect(api.json).toEqual(JSON.parse(shown.stdout));
      const bad = await call('GET', '/api/v1/metrics?train=nope', { token: await token('viewer@example.com') });
      expect([bad.status, bad.json.code]).toEqual([404, 'ETRAIN']);
      // The API was given query parameters, not flags: its 400s name them as sent.
      const viewer = await token('viewer@example.com');
      expect((await call('GET', '/api/v1/metrics?since=x', { token: viewer })).json).toMatchObject({ status: 400, code: 'EDATE', detail: 'since "x" is not a valid date' });
      expect((await call('GET', '/api/v1/metrics?until=2026-02-30', { token: viewer })).json).toMatchObject({ status: 400, code: 'EDATE', detail: 'until "2026-02-30" is not a valid date' });
      const backwards = (await call('GET', '/api/v1/metrics?since=2026-02-08&until=2026-02-02', { token: viewer })).json;
      expect(backwards).toMatchObject({ status: 400, hint: 'give a since before until' });
      expect(backwards.detail).toMatch(/^the window is empty: since \S+ is not before until \S+$/);
    } finally {
      await store.close();
    }

    const csv = cli('metrics', '--since', '2026-02-02', '--until', '2026-02-08', '--csv').stdout.split('\n');
    expect(csv[0]).toBe('scope,name,metric,value,level,target,met');
    expect(csv).toContain(`organization,,change_failure_rate,${2 / 3},low,0.05,false`);
    expect(csv).toContain('component,billing,time_to_restore_median_seconds,1500,elite,3600,true');
  });

  it('refuses bad input with one line and exit 2', () => {
    const refused = (args: string[], message: RegExp) => {
      const run = cli(...args);
      expect(run.code).toBe(2);
      expect(expectOneLineError(run)).toMatch(message);
    };
    refused(['record', 'deploy', 'billing', '--env', 'production'], /"billing" is not <component>@<version>/);
    refused(['record', 'deploy', 'billing@soon', '--env', 'production'], /"soon" is not a SemVer version/);
    refused(['record', 'deploy', 'billing@1.0.0', '--env', 'prod'], /unknown environment "prod" \(environments in the policy: staging, production\)/);
    refused(['record', 'deploy', 'billing@1.0.0', '--env', 'production', '--at', 'yesterday'], /--at "yesterday" is not a valid date/);
    refused(['record', 'deploy', 'billing@1.0.0', '--env', 'production', '--at', '2099-01-01'], /is in the future/);
    refused(['record', 'incident', 'bad id!'], /is not an incident id/);
    refused(['record', 'incident', 'INC-9'], /incident INC-9 is already recorded/);
    refused(['record', 'resolve', 'INC-404'], /unknown incident INC-404/);
    refused(['record', 'resolve', 'INC-9'], /already resolved/);
    expect(cli('record', 'incident', 'INC-10', '--at', '2026-02-07T10:00').code).toBe(0);
    refused(['record', 'resolve', 'INC-10', '--at', '2026-02-07T09:00'], /before it opened/);
    refused(['metrics', '--json', '--csv'], /--json and --csv cannot be used together/);
    refused(['metrics', '--train', 'nope'], /unknown train "nope"/);
    refused(['metrics', '--since', '2026-02-08', '--until', '2026-02-02'], /the window is empty: --since \S+ is not before --until/);
    refused(['metrics', '--since', 'x'], /--since "x" is not a valid date/);
    refused(['metrics', '--until', '2026-02-30'], /--until "2026-02-30" is not a valid date/);
    const missing = cli('record', 'deploy', 'billing@1.0.0');
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("required option '--env <environment>' not specified")]);
  });
});
