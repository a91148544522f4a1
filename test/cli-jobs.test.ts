import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobs, completeJob, failJob, plantJob } from '../src/jobs/job-store.js';
import { openStore } from '../src/store/open-store.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';
import { storeBackends } from './helpers/stores.js';

describe.each(storeBackends())('shipgate jobs on $name', (backend) => {
  const workspace = tempDir();
  let db = '';
  afterAll(() => workspace.cleanup());
  const cli = (...args: string[]) => runCli([...args, '--db', db], { cwd: workspace.dir });

  beforeAll(async () => {
    const fresh = await backend.fresh();
    db = fresh.db;
    const store = await openStore(fresh.location);
    const claim = async (key: string) => (await claimJobs(store, { worker: 'server-1', kinds: [key], limit: 1, leaseMs: 60_000 }))[0]!.lease;
    await plantJob(store, { kind: 'later', key: 'timeline:module:2099-01-06:freeze-start', runAt: new Date('2099-01-04T18:00:00.000Z') });
    await plantJob(store, { kind: 'ok', key: 'ok-1' });
    await completeJob(store, await claim('ok'), { recorded: true });
    await plantJob(store, { kind: 'broken', key: 'broken-1', maxAttempts: 1 });
    await failJob(store, await claim('broken'), new Error('webhook answered 500\n<html>a long error page</html>'));
    await plantJob(store, { kind: 'busy', key: 'busy-1' });
    await claim('busy');
    await store.close();
  });

  it('lists jobs newest first with their state, run time, attempts and the first line of the last error', () => {
    const run = cli('jobs');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+Kind\s+Key\s+State\s+Run at\s+Attempts\s+Last error$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/).slice(0, 4))).toEqual([
      ['4', 'busy', 'busy-1', 'running'],
      ['3', 'broken', 'broken-1', 'dead'],
      ['2', 'ok', 'ok-1', 'done'],
      ['1', 'later', 'timeline:module:2099-01-06:freeze-start', 'due'],
    ]);
    expect(lines[3]).toMatch(/ 1\/1\s+webhook answered 500$/);
    expect(lines[5]).toMatch(/ 2099-01-04T18:00:00\.000Z\s+0\/10$/);
  });

  it('--state picks one state; --json prints the page with the cursor of the next one', () => {
    const dead = cli('jobs', '--state', 'dead');
    expect(dead.stdout.trimEnd().split('\n').slice(2).map((line) => line.split(/\s+/)[2])).toEqual(['broken-1']);
    expect(cli('jobs', '--state', 'due', '--json').stdout).toMatch(/"key": "timeline:module:2099-01-06:freeze-start"/);
    const first = JSON.parse(cli('jobs', '--json', '--limit', '2').stdout) as { jobs: { key: string; lastError: string | null }[]; next: number | null };
    expect(first.jobs.map((job) => job.key)).toEqual(['busy-1', 'broken-1']);
    expect(first.jobs[1]?.lastError).toBe('webhook answered 500\n<html>a long error page</html>');
    expect(first.next).toBe(3);
    const rest = JSON.parse(cli('jobs', '--json', '--limit', '2', '--before', String(first.next)).stdout) as typeof first;
    expect([rest.jobs.map((job) => job.key), rest.next]).toEqual([['ok-1', 'timeline:module:2099-01-06:freeze-start'], null]);
    expect(cli('jobs', '--limit', '1').stdout).toMatch(/\nmore: shipgate jobs --before 4\n$/);
  });

  it('an unknown state or a bad number is a one-line usage error', () => {
    const state = cli('jobs', '--state', 'failed');
    expect(state.code).toBe(2);
    expect(expectOneLineError(state)).toBe('shipgate: unknown job state "failed" (use one of: due, running, done, dead)');
    const limit = cli('jobs', '--limit', '10x');
    expect(limit.code).toBe(2);
    expect(expectOneLineError(limit)).toBe('shipgate: --limit must be a whole number from 1 to 1000, not "10x"');
  });
});
