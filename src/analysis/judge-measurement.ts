import type { Measurement, Sample } from './types.js';

/**
 * Single measurements judged against the policy's thresholds. Pure. No data is never a pass: an empty
 * result, NaN or a baseline of zero is inconclusive, an unreachable provider is an error.
 */

const at = (now: Date) => now.toISOString();
const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

export function judgeErrorRate(sample: Sample, above: number, query: string, now: Date): Measurement {
  const base = { metric: 'error-rate' as const, baseline: null, threshold: above, query, at: at(now) };
  if (sample.kind === 'error') return { ...base, phase: 'error', value: null, message: `could not measure the error rate: ${sample.why}` };
  if (sample.kind === 'empty') return { ...base, phase: 'inconclusive', value: null, message: `no error rate: ${sample.why}` };
  if (!Number.isFinite(sample.value)) return { ...base, phase: 'inconclusive', value: null, message: `the error rate is ${String(sample.value)} (no requests in the window?)` };
  const value = sample.value;
  if (value > above) return { ...base, phase: 'failed', value, message: `error rate ${percent(value)} is above ${percent(above)}` };
  return { ...base, phase: 'successful', value, message: `error rate ${percent(value)} is at most ${percent(above)}` };
}

/** Kayenta's comparison: the new version's latency against the previous version's over a window of the same length. */
export function judgeLatency(sample: Sample, baseline: Sample, factor: number, query: string, now: Date): Measurement {
  const base = { metric: 'latency' as const, query, at: at(now) };
  const baselineValue = baseline.kind === 'value' && Number.isFinite(baseline.value) ? baseline.value : null;
  const threshold = baselineValue === null ? null : baselineValue * factor;
  if (sample.kind === 'error' || baseline.kind === 'error') {
    const why = sample.kind === 'error' ? sample.why : baseline.kind === 'error' ? `the baseline: ${baseline.why}` : '';
    return { ...base, phase: 'error', value: null, baseline: baselineValue, threshold, message: `could not measure the latency: ${why}` };
  }
  if (sample.kind === 'value' && sample.value === Number.POSITIVE_INFINITY) {
    return { ...base, phase: 'failed', value: null, baseline: baselineValue, threshold, message: 'latency is +Inf (requests beyond the highest histogram bucket)' };
  }
  if (sample.kind === 'empty' || !Number.isFinite(sample.value)) {
    const why = sample.kind === 'empty' ? sample.why : `the value is ${String(sample.value)}`;
    return { ...base, phase: 'inconclusive', value: null, baseline: baselineValue, threshold, message: `no latency: ${why}` };
  }
  const value = sample.value;
  if (baseline.kind === 'empty' || baselineValue === null) {
    const why = baseline.kind === 'empty' ? baseline.why : `the value is ${String(baseline.kind === 'value' ? baseline.value : '')}`;
    return { ...base, phase: 'inconclusive', value, baseline: null, threshold: null, message: `no baseline to compare with: ${why}` };
  }
  if (baselineValue <= 0) return { ...base, phase: 'inconclusive', value, baseline: baselineValue, threshold, message: `the baseline is ${baselineValue}: no ratio can be taken` };
  const ratio = value / baselineValue;
  if (value > baselineValue * factor) return { ...base, phase: 'failed', value, baseline: baselineValue, threshold, message: `latency ${round(value)} is ${round(ratio)}x the baseline ${round(baselineValue)} (limit ${factor}x)` };
  return { ...base, phase: 'successful', value, baseline: baselineValue, threshold, message: `latency ${round(value)} is ${round(ratio)}x the baseline ${round(baselineValue)} (limit ${factor}x)` };
}

/** A health check: the expected status, or failed (a service that does not answer is not healthy). */
export function judgeHealth(answer: { readonly status: number } | { readonly error: string }, expect: number, url: string, now: Date): Measurement {
  const base = { metric: 'health' as const, baseline: null, threshold: expect, query: url, at: at(now) };
  if ('error' in answer) return { ...base, phase: 'failed', value: null, message: `${url} did not answer: ${answer.error}` };
  if (answer.status === expect) return { ...base, phase: 'successful', value: answer.status, message: `${url} answered ${answer.status}` };
  return { ...base, phase: 'failed', value: answer.status, message: `${url} answered ${answer.status}, expected ${expect}` };
}

function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
