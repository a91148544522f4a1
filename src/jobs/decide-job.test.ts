import { describe, expect, it } from 'vitest';
import { afterFailure, afterLostLease, errorText, retryDelay } from './decide-job.js';

describe('job retry decisions', () => {
  it('doubles the delay after each failed attempt, up to the cap, and never overflows', () => {
    const backoff = { baseMs: 5_000, capMs: 3_600_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, backoff))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect([retryDelay(10, backoff), retryDelay(11, backoff)]).toEqual([2_560_000, 3_600_000]);
    expect(retryDelay(10_000, backoff)).toBe(3_600_000);
  });

  it('retries while attempts remain, then the job is dead; a lost lease counts as an attempt', () => {
    const now = new Date('2026-02-17T18:00:00.000Z');
    expect(afterFailure(2, 3, now, { baseMs: 1_000, capMs: 60_000 })).toEqual({ state: 'due', runAt: '2026-02-17T18:00:02.000Z' });
    expect(afterFailure(3, 3, now, { baseMs: 1_000, capMs: 60_000 })).toEqual({ state: 'dead' });
    expect([afterLostLease(2, 3), afterLostLease(3, 3)]).toEqual(['claim', 'dead']);
  });

  it('keeps what any thrown value says, bounded', () => {
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
    expect(errorText({ status: 500 })).toBe('{"status":500}');
    expect(errorText('x'.repeat(5_000))).toHaveLength(4_001);
  });
});
