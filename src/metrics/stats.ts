/**
 * Percentiles by linear interpolation between the closest ranks, as PERCENTILE_CONT does in Four Keys'
 * queries (dora-team/fourkeys queries/lead_time_for_changes.sql): the median of 1 h and 3 h is 2 h.
 * Null for no values: a window with nothing to measure has no median, never a 0.
 */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lower = sorted[low] as number;
  return lower + ((sorted[high] as number) - lower) * (position - low);
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
