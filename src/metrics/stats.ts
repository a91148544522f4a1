/**
 * Percentiles by linear interpolation between the closest ranks, as PERCENTILE_CONT does in Four Keys'
 * queries (dora-team/fourkeys queries/lead_time_for_changes.sql): the median of 1 h and 3 h is 2 h.
 * Null for no values: a window with nothing to measure has no median, never a 0.
 */
export function percentile(values: readonly number[], fraction: number): number | null {
  return quantiles(values, [fraction])[0] ?? null;
}

/** Several percentiles of one set, sorted once (a typed array's numeric sort: no comparator calls). */
export function quantiles(values: readonly number[], fractions: readonly number[]): (number | null)[] {
  if (values.length === 0) return fractions.map(() => null);
  const sorted = Float64Array.from(values).sort();
  return fractions.map((fraction) => {
    const position = fraction * (sorted.length - 1);
    const low = Math.floor(position);
    const lower = sorted[low] as number;
    return lower + ((sorted[Math.ceil(position)] as number) - lower) * (position - low);
  });
}

export const median = (values: readonly number[]): number | null => percentile(values, 0.5);

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** A share that is null, not NaN, when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
