import type { Measurement, MetricName, RunLimits, RunVerdict } from './types.js';

/**
 * The verdict of an analysis run from its rounds so far (one round = every metric measured once).
 * Argo Rollouts' rules: a metric fails once its failed measurements exceed the failure limit, is
 * inconclusive once its inconclusive ones exceed theirs or it could not be measured more than
 * consecutiveErrorLimit times in a row; failed wins over inconclusive. After `count` rounds a metric
 * that never measured successfully makes the run inconclusive: no data is never a pass. Pure.
 */
export function decideAnalysis(limits: RunLimits, rounds: readonly (readonly Measurement[])[]): RunVerdict {
  const byMetric = new Map<MetricName, Measurement[]>();
  for (const round of rounds) for (const measurement of round) byMetric.set(measurement.metric, [...(byMetric.get(measurement.metric) ?? []), measurement]);

  for (const [metric, measurements] of byMetric) {
    const failed = measurements.filter((m) => m.phase === 'failed');
    const limit = metric === 'health' ? Math.max(0, limits.healthFailures - 1) : limits.failureLimit;
    if (failed.length > limit) return { phase: 'failed', reason: `${metric}: ${failed.length} failed measurement${failed.length === 1 ? '' : 's'} (limit ${limit}): ${failed.at(-1)?.message ?? ''}`, evidence: failed };
  }
  for (const [metric, measurements] of byMetric) {
    const inconclusive = measurements.filter((m) => m.phase === 'inconclusive');
    if (inconclusive.length > limits.inconclusiveLimit) {
      return { phase: 'inconclusive', reason: `${metric}: ${inconclusive.length} inconclusive measurement${inconclusive.length === 1 ? '' : 's'} (limit ${limits.inconclusiveLimit}): ${inconclusive.at(-1)?.message ?? ''}`, evidence: inconclusive };
    }
    const errors = trailingErrors(measurements);
    if (errors.length > limits.consecutiveErrorLimit) return { phase: 'inconclusive', reason: `${metric}: could not be measured ${errors.length} time${errors.length === 1 ? '' : 's'} in a row: ${errors.at(-1)?.message ?? ''}`, evidence: errors };
  }
  if (rounds.length < limits.count) return { phase: 'running', reason: `${rounds.length} of ${limits.count} measurements taken`, evidence: [] };
  if (byMetric.size === 0) return { phase: 'inconclusive', reason: 'nothing was measured', evidence: [] };
  for (const [metric, measurements] of byMetric) {
    if (!measurements.some((m) => m.phase === 'successful')) {
      const last = measurements.at(-1);
      return { phase: 'inconclusive', reason: `${metric}: no successful measurement in ${measurements.length}${last ? `: ${last.message}` : ''}`, evidence: measurements };
    }
  }
  const successful = [...byMetric.values()].flat().filter((m) => m.phase === 'successful');
  return { phase: 'successful', reason: `${rounds.length} of ${limits.count} measurements taken: ${[...byMetric.keys()].join(', ')} within their limits`, evidence: successful };
}

function trailingErrors(measurements: readonly Measurement[]): Measurement[] {
  const trailing: Measurement[] = [];
  for (let index = measurements.length - 1; index >= 0 && measurements[index]?.phase === 'error'; index -= 1) trailing.unshift(measurements[index] as Measurement);
  return trailing;
}
