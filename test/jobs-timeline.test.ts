import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { plantTimeline, TIMELINE_STEP, timelineHandlers } from '../src/app/plant-timeline.js';
import { findJob, listJobs, plantJob } from '../src/jobs/job-store.js';
import { startJobRunner, type JobRunner } from '../src/jobs/run-jobs.js';
import type { TimelineStep } from '../src/jobs/timeline-steps.js';
import { builtinPolicy } from '../src/policy/parse-policy.js';
import type { Store } from '../src/store/open-store.js';
import { freshStore, storeBackends } from './helpers/stores.js';

const policy = builtinPolicy();
const la = (local: string) => DateTime.fromISO(local, { zone: 'America/Los_Angeles' }).toJSDate();
const WEEK = 7 * 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(storeBackends())('the policy timeline as jobs on $name', (backend) => {
  let store: Store | undefined;
  let runner: JobRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
    await store?.close();
    runner = undefined;
    store = undefined;
  });

  it('plants each step once: planting the same window again, or a window that overlaps it, adds only the new steps', async () => {
    ({ store } = await freshStore(backend));
    const first = await plantTimeline({ store, policy, now: la('2026-02-09T00:00'), windowMs: WEEK });
    expect([first.steps.length, first.planted]).toEqual([6, 6]);
    const again = await plantTimeline({ store, policy, now: la('2026-02-09T00:00'), windowMs: WEEK });
    expect([again.steps.length, again.planted]).toEqual([6, 0]);
    // Two days later the window reaches the module release of 02-17: its release-day step and freeze end.
    const later = await plantTimeline({ store, policy, now: la('2026-02-11T00:00'), windowMs: WEEK });
    expect([later.steps.length, later.planted]).toEqual([5, 2]);
    const { jobs } = await listJobs(store);
    expect(jobs).toHaveLength(8);
    expect(await findJob(store, 'timeline:module:2026-02-17:freeze-start')).toMatchObject({
      kind: TIMELINE_STEP,
      state: 'due',
      // 10:00 in Los Angeles on Sunday 02-15, in the store's UTC.
      runAt: '2026-02-15T18:00:00.000Z',
      payload: { train: 'module', releaseDate: '2026-02-17', step: 'freeze-start', at: '2026-02-15T10:00:00-08:00', timezone: 'America/Los_Angeles' },
    });
  });

  it('a due step is recorded through recordStepDue once, and the outcome is kept in its job', async () => {
    ({ store } = await freshStore(backend));
    const open = store;
    // Steps of February 2026: already due by the database's clock, so the runner takes them at once.
    await plantTimeline({ store: open, policy, now: la('2026-02-09T00:00'), windowMs: WEEK });
    await plantJob(open, { kind: TIMELINE_STEP, key: 'timeline:garbled', payload: { step: 42 }, maxAttempts: 1 });
    const recorded: TimelineStep[] = [];
    runner = startJobRunner({
      store: open,
      pollMs: 20,
      handlers: timelineHandlers(async (step) => {
        recorded.push(step);
        return { history: `${step.train}@${step.releaseDate}` };
      }),
    });
    const settled = async () => (await listJobs(open, { state: 'done' })).jobs.length === 6 && (await listJobs(open, { state: 'dead' })).jobs.length === 1;
    for (let wait = 0; !(await settled()); wait += 1) {
      if (wait > 500) throw new Error('the timeline jobs did not settle');
      await sleep(20);
    }
    expect(recorded.map((step) => step.key).sort()).toEqual([
      'timeline:module:2026-02-17:communication:code-freeze-reminder',
      'timeline:module:2026-02-17:communication:pre-release-notice',
      'timeline:module:2026-02-17:freeze-start',
      'timeline:product:2026-02-10:communication:post-release',
      'timeline:product:2026-02-10:communication:release-day',
      'timeline:product:2026-02-10:freeze-end',
    ]);
    expect((await findJob(open, 'timeline:product:2026-02-10:freeze-end'))?.result).toEqual({ step: 'freeze-end', due: '2026-02-10T10:00:00-08:00', outcome: { history: 'product@2026-02-10' } });
    // A payload that is not a step is refused before anything is recorded.
    expect((await findJob(open, 'timeline:garbled'))?.lastError).toMatch(/^the payload is not a timeline step: key: .*expected string.*; step: .*expected string/);
  });
});
