/**
 * Argo Rollouts' vocabulary: a measurement is successful, failed, inconclusive (it was taken but
 * proves nothing: no data, NaN, a baseline of zero) or error (it could not be taken: Prometheus
 * unreachable). An analysis run ends successful, failed or inconclusive; never successful on no data.
 */
export const MEASUREMENT_PHASES = ['successful', 'failed', 'inconclusive', 'error'] as const;
export type MeasurementPhase = (typeof MEASUREMENT_PHASES)[number];

export const RUN_PHASES = ['running', 'successful', 'failed', 'inconclusive'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export const METRICS = ['error-rate', 'latency', 'health'] as const;
export type MetricName = (typeof METRICS)[number];

/** One metric measured once, with everything a person needs to trust the verdict. */
export interface Measurement {
  readonly metric: MetricName;
  readonly phase: MeasurementPhase;
  /** The value measured; null when there was none (empty result, NaN, unreachable). */
  readonly value: number | null;
  /** Latency: the previous version's value over a window of the same length; null otherwise. */
  readonly baseline: number | null;
  /** The limit the value was held against (an error rate, a latency, an HTTP status). */
  readonly threshold: number | null;
  /** The PromQL or the URL measured. */
  readonly query: string;
  /** When it was measured (UTC ISO). */
  readonly at: string;
  readonly message: string;
}

/** What a provider answered for one query: a number, nothing, or no answer at all. */
export type Sample = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'empty'; readonly why: string } | { readonly kind: 'error'; readonly why: string };

/** The limits of a run, as the policy's `analysis` gives them. */
export interface RunLimits {
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
  /** Health checks have their own limit: rollback.automatic.healthChecks.failures. */
  readonly healthFailures: number;
}

export interface RunVerdict {
  readonly phase: RunPhase;
  /** One line: why the run ended (or how far it got). */
  readonly reason: string;
  /** The measurements the verdict rests on (the failing ones when it failed). */
  readonly evidence: readonly Measurement[];
}
