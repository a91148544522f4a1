import { describe, expect, it } from 'vitest';
import { decideAnalysis } from './decide-analysis.js';
import { judgeErrorRate, judgeHealth, judgeLatency } from './judge-measurement.js';
import type { Measurement, RunLimits } from './types.js';

const now = new Date('2026-03-01T10:00:00Z');
const limits: RunLimits = { count: 3, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 2, healthFailures: 1 };
const value = (v: number) => ({ kind: 'value' as const, value: v });
const empty = { kind: 'empty' as const, why: 'the query returned no series' };
const down = { kind: 'error' as const, why: 'Prometheus at http://127.0.0.1:1 did not answer (ECONNREFUSED)' };
const rate = (v: number) => judgeErrorRate(value(v), 0.05, 'errors', now);

describe('single measurements', () => {
  it('an error rate above the threshold fails, at or below succeeds, with the query, value and threshold kept', () => {
    expect(rate(0.2)).toMatchObject({ phase: 'failed', value: 0.2, threshold: 0.05, query: 'errors', at: now.toISOString() });
    expect(rate(0.05).phase).toBe('successful');
    expect(rate(0).phase).toBe('successful');
  });

  it('no data is never a pass: an empty result and NaN are inconclusive, an unreachable Prometheus is an error', () => {
    expect(judgeErrorRate(empty, 0.05, 'q', now)).toMatchObject({ phase: 'inconclusive', value: null });
    expect(judgeErrorRate(value(Number.NaN), 0.05, 'q', now).phase).toBe('inconclusive');
    expect(judgeErrorRate(down, 0.05, 'q', now)).toMatchObject({ phase: 'error' });
  });

  it('latency is held against the baseline times the factor (Kayenta), and a baseline of zero, NaN or none is inconclusive', () => {
    expect(judgeLatency(value(0.25), value(0.1), 2, 'q', now)).toMatchObject({ phase: 'failed', value: 0.25, baseline: 0.1, threshold: 0.2 });
    expect(judgeLatency(value(0.15), value(0.1), 2, 'q', now).phase).toBe('successful');
    expect(judgeLatency(value(0.15), value(0), 2, 'q', now).phase).toBe('inconclusive');
    expect(judgeLatency(value(0.15), value(Number.NaN), 2, 'q', now).phase).toBe('inconclusive');
    expect(judgeLatency(value(0.15), empty, 2, 'q', now).phase).toBe('inconclusive');
    expect(judgeLatency(value(Number.NaN), value(0.1), 2, 'q', now).phase).toBe('inconclusive');
    expect(judgeLatency(empty, value(0.1), 2, 'q', now).phase).toBe('inconclusive');
    expect(judgeLatency(value(0.1), down, 2, 'q', now).phase).toBe('error');
    expect(judgeLatency(value(Number.POSITIVE_INFINITY), value(0.1), 2, 'q', now).phase).toBe('failed');
  });

  it('a health check passes only on the expected status; no answer fails', () => {
    expect(judgeHealth({ status: 200 }, 200, 'http://x/health', now).phase).toBe('successful');
    expect(judgeHealth({ status: 500 }, 200, 'http://x/health', now)).toMatchObject({ phase: 'failed', value: 500 });
    expect(judgeHealth({ error: 'ECONNREFUSED' }, 200, 'http://x/health', now).phase).toBe('failed');
  });
});

describe('the verdict of an analysis run', () => {
  const ok = rate(0.01);
  it('runs until count rounds, then is successful when every metric measured successfully', () => {
    expect(decideAnalysis(limits, [[ok]]).phase).toBe('running');
    expect(decideAnalysis(limits, [[ok], [ok], [ok]]).phase).toBe('successful');
  });

  it('fails as soon as failed measurements exceed the failure limit, with the failing measurements as evidence', () => {
    const verdict = decideAnalysis(limits, [[ok], [rate(0.2)]]);
    expect(verdict.phase).toBe('failed');
    expect(verdict.evidence).toEqual([rate(0.2)]);
    expect(verdict.reason).toContain('error-rate');
    expect(decideAnalysis({ ...limits, failureLimit: 1 }, [[rate(0.2)]]).phase).toBe('running');
  });

  it('is inconclusive on empty data, never successful: empty rounds, NaN, nothing measured at all', () => {
    const none = judgeErrorRate(empty, 0.05, 'q', now);
    expect(decideAnalysis(limits, [[none]]).phase).toBe('inconclusive');
    expect(decideAnalysis({ ...limits, inconclusiveLimit: 5 }, [[none], [none], [none]]).phase).toBe('inconclusive');
    expect(decideAnalysis({ ...limits, inconclusiveLimit: 5 }, [[judgeErrorRate(value(Number.NaN), 0.05, 'q', now)], [ok], [ok]]).phase).toBe('successful');
    expect(decideAnalysis(limits, [[], [], []])).toMatchObject({ phase: 'inconclusive', reason: 'nothing was measured' });
  });

  it('an unreachable Prometheus is inconclusive once errors run past consecutiveErrorLimit, and never a pass at the end', () => {
    const error = judgeErrorRate(down, 0.05, 'q', now);
    expect(decideAnalysis(limits, [[error], [error]]).phase).toBe('running');
    expect(decideAnalysis(limits, [[error], [error], [error]]).phase).toBe('inconclusive');
    expect(decideAnalysis({ ...limits, consecutiveErrorLimit: 10 }, [[error], [error], [error]]).phase).toBe('inconclusive');
  });

  it('a health check fails the run at the policy\'s number of failures, and failed wins over inconclusive', () => {
    const bad = judgeHealth({ status: 503 }, 200, 'u', now);
    const good = judgeHealth({ status: 200 }, 200, 'u', now);
    expect(decideAnalysis(limits, [[good, bad]]).phase).toBe('failed');
    expect(decideAnalysis({ ...limits, healthFailures: 2 }, [[good, bad]]).phase).toBe('running');
    const none: Measurement = judgeErrorRate(empty, 0.05, 'q', now);
    expect(decideAnalysis(limits, [[none, bad]]).phase).toBe('failed');
  });
});
