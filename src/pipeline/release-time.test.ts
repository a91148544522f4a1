import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { releaseTime } from './release-time.js';

describe('when a pipeline starts', () => {
  const policy = builtinPolicy();
  it('a scheduled module release waits for its train\'s release time (Tuesday 10:00 America/Los_Angeles)', () => {
    const now = new Date('2026-02-01T18:00:00Z');
    expect(releaseTime(policy, { kind: 'module', trainDate: '2026-02-03' }, now).toISOString()).toBe('2026-02-03T18:00:00.000Z');
  });
  it('goes now once the train time has passed, and at once for an on-demand release', () => {
    const now = new Date('2026-02-04T00:00:00Z');
    expect(releaseTime(policy, { kind: 'module', trainDate: '2026-02-03' }, now)).toBe(now);
    expect(releaseTime(policy, { kind: 'module', trainDate: null }, now)).toBe(now);
  });
});
