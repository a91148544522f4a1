import { judgeErrorRate, judgeHealth, judgeLatency } from '../analysis/judge-measurement.js';
import type { Measurement, Sample } from '../analysis/types.js';
import { httpStatus } from '../deploy-targets/http-check.js';
import { queryPrometheus } from '../metrics-providers/prometheus.js';
import { durationMs } from '../policy/duration.js';
import { fillPlaceholders, type DeployPlaceholders } from '../policy/placeholders.js';
import type { AnalysisSpec, Policy } from '../policy/schema.js';

export interface RoundInput {
  readonly policy: Policy;
  readonly spec: AnalysisSpec;
  /** The new version's placeholders. */
  readonly values: DeployPlaceholders;
  /** The version that ran before (the baseline), or null for the first version in the environment. */
  readonly previousVersion: string | null;
  /** When the new version started (the baseline's window ends here). */
  readonly startedAt: Date;
  readonly now: Date;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One round of an analysis: each metric the policy names, measured once. Latency is held against the
 * previous version's latency over a window of the same length ending when the new version started
 * (Kayenta's baseline). The first version in an environment has no baseline: its latency is not
 * measured (nothing to compare with) and the round says so; an empty baseline otherwise is inconclusive.
 */
export async function measureRound(input: RoundInput): Promise<{ measurements: Measurement[]; notes: string[] }> {
  const { spec, values, now } = input;
  const window = windowText(spec.interval);
  const fill = (text: string, version: string) => fillPlaceholders(text, { ...values, version, window });
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  const prometheus = spec.prometheus;
  if (prometheus !== null) {
    const ask = (query: string, at: Date): Promise<Sample> => queryPrometheus(prometheus.url, query, at, { timeoutMs: 10_000, ...(input.signal ? { signal: input.signal } : {}) });
    if (prometheus.errorRate !== null) {
      const query = fill(prometheus.errorRate, values.version);
      measurements.push(judgeErrorRate(await ask(query, now), input.policy.rollback.automatic.errorRate.above, query, now));
    }
    if (prometheus.latency !== null) {
      const query = fill(prometheus.latency, values.version);
      if (input.previousVersion === null) notes.push('latency: no earlier version in this environment to compare with');
      else {
        const baselineQuery = fill(prometheus.latency, input.previousVersion);
        const [sample, baseline] = await Promise.all([ask(query, now), ask(baselineQuery, input.startedAt)]);
        measurements.push(judgeLatency(sample, baseline, input.policy.rollback.automatic.latency.aboveBaselineFactor, query, now));
      }
    }
  }
  for (const check of spec.health) {
    const url = fillPlaceholders(check.url, { ...values });
    measurements.push(judgeHealth(await httpStatus(url, 10_000, input.signal), check.expect, url, now));
  }
  return { measurements, notes };
}

/** The interval as a PromQL range (`30s`, `5m`): whole seconds, which every Prometheus reads. */
function windowText(interval: string): string {
  return `${Math.max(1, Math.round(durationMs(interval) / 1000))}s`;
}
