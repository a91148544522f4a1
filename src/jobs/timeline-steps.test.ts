import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { timelineSteps } from './timeline-steps.js';

const policy = builtinPolicy();
const la = (local: string) => DateTime.fromISO(local, { zone: 'America/Los_Angeles' }).toJSDate();
const DAY = 86_400_000;
const brief = (steps: ReturnType<typeof timelineSteps>) => steps.map((step) => [step.at, step.key]);

describe('the policy timeline as steps', () => {
  // The built-in trains, worked out by hand: module releases on Tue 2026-02-03, 02-17, 03-03 …;
  // platform on the first Tuesday (02-03, 03-03); product on the second (02-10, 03-10); all 10:00 in
  // Los Angeles. Freeze: from 2 days before until the release. Communication: -7d, -2d, the release,
  // and after-release = production, 24 h after staging.
  it('lists the freeze and communication steps of the week from Monday 2026-02-09, with their times in the train zone', () => {
    const steps = timelineSteps(policy, { now: la('2026-02-09T00:00'), windowMs: 7 * DAY });
    expect(brief(steps)).toEqual([
      // Product 02-10 ships: its freeze ends and the release-day step is due; module 02-17 is 7 days out.
      ['2026-02-10T10:00:00-08:00', 'timeline:module:2026-02-17:communication:pre-release-notice'],
      ['2026-02-10T10:00:00-08:00', 'timeline:product:2026-02-10:communication:release-day'],
      ['2026-02-10T10:00:00-08:00', 'timeline:product:2026-02-10:freeze-end'],
      ['2026-02-11T10:00:00-08:00', 'timeline:product:2026-02-10:communication:post-release'],
      // Module 02-17: the freeze starts two days before, with its reminder.
      ['2026-02-15T10:00:00-08:00', 'timeline:module:2026-02-17:communication:code-freeze-reminder'],
      ['2026-02-15T10:00:00-08:00', 'timeline:module:2026-02-17:freeze-start'],
    ]);
    // The product freeze started on 02-08, before the window: not listed again.
    expect(steps.find((step) => step.key === 'timeline:product:2026-02-10:freeze-start')).toBeUndefined();
    expect(steps[0]).toEqual({
      key: 'timeline:module:2026-02-17:communication:pre-release-notice',
      train: 'module',
      releaseDate: '2026-02-17',
      releaseAt: '2026-02-17T10:00:00-08:00',
      step: 'communication:pre-release-notice',
      title: '7 days before',
      at: '2026-02-10T10:00:00-08:00',
      timezone: 'America/Los_Angeles',
      bumps: null,
    });
    expect(steps[2]?.title).toBe('Product release code freeze ends');
  });

  it('counts days on the wall clock across the DST change: the freeze before Tue 2026-03-10 starts Sunday 10:00 PDT', () => {
    const steps = timelineSteps(policy, { now: la('2026-03-07T00:00'), windowMs: 3 * DAY });
    expect(brief(steps)).toEqual([
      ['2026-03-08T10:00:00-07:00', 'timeline:product:2026-03-10:communication:code-freeze-reminder'],
      ['2026-03-08T10:00:00-07:00', 'timeline:product:2026-03-10:freeze-start'],
    ]);
  });

  it('includes a step due exactly at the window start and leaves out one due exactly at its end', () => {
    const at = la('2026-02-15T10:00');
    expect(brief(timelineSteps(policy, { now: at, windowMs: DAY })).map(([, key]) => key)).toEqual([
      'timeline:module:2026-02-17:communication:code-freeze-reminder',
      'timeline:module:2026-02-17:freeze-start',
    ]);
    expect(timelineSteps(policy, { now: new Date(at.getTime() - DAY), windowMs: DAY })).toEqual([]);
  });

  it('follows the policy: a freeze until production, a notice for MAJOR releases only, a disabled train', () => {
    const custom: Policy = {
      ...policy,
      freeze: { ...policy.freeze, until: 'production' },
      communication: [{ id: 'major-heads-up', at: '-30d', title: 'A month before a MAJOR', actions: [{ channel: '#engineering', message: 'Heads up' }], bumps: ['major'], template: null, notes: false }],
      trains: { module: policy.trains.module!, platform: { ...policy.trains.platform!, enabled: false }, product: { ...policy.trains.product!, enabled: false } },
    };
    const steps = timelineSteps(custom, { now: la('2026-02-15T00:00'), windowMs: 7 * DAY });
    expect(steps.map((step) => [step.at, step.key, step.bumps])).toEqual([
      ['2026-02-15T10:00:00-08:00', 'timeline:module:2026-02-17:freeze-start', null],
      // 30 days before the release of Tue 03-17 (February has 28 days).
      ['2026-02-15T10:00:00-08:00', 'timeline:module:2026-03-17:communication:major-heads-up', ['major']],
      // Production is 24 h after staging, so that is when the freeze ends.
      ['2026-02-18T10:00:00-08:00', 'timeline:module:2026-02-17:freeze-end', null],
    ]);
  });
});
