/**
 * Percentiles by linear interpolation between the closest ranks, as PERCENTILE_CONT does in Four Keys'
 * queries (dora-team/fourkeys queries/lead_time_for_changes.sql): the median of 1 h and 3 h is 2 h.
 * Null for no values: a window with nothing to measure has no median, never a 0.
 */
export function percentile(values: readonly number[], fraction: number): number | null {
  return quantiles(values, [fraction])[0] ?? null;
}

/**
 * Several percentiles of one set, by selecting the ranks they need (quickselect on a typed array:
 * linear, where a sort is n log n), then the same interpolation: the same figures a sort gives.
 */
export function quantiles(values: readonly number[] | Float64Array, fractions: readonly number[]): (number | null)[] {
  return quantilesInPlace(Float64Array.from(values), fractions);
}

/** The same, reordering `data` (the caller's own copy) instead of copying it. */
export function quantilesInPlace(data: Float64Array, fractions: readonly number[]): (number | null)[] {
  if (data.length === 0) return fractions.map(() => null);
  const last = data.length - 1;
  const ranks = [...new Set(fractions.flatMap((fraction) => [Math.floor(fraction * last), Math.ceil(fraction * last)]))].sort((a, b) => a - b);
  const ranked = new Map<number, number>();
  // A selection leaves every value above its rank to its right: the next (higher) rank is looked for there only.
  let left = 0;
  for (const rank of ranks) {
    select(data, rank, left, last);
    ranked.set(rank, data[rank] as number);
    left = rank;
  }
  return fractions.map((fraction) => {
    const position = fraction * last;
    const low = Math.floor(position);
    const lower = ranked.get(low) as number;
    return lower + ((ranked.get(Math.ceil(position)) as number) - lower) * (position - low);
  });
}

/** Puts the k-th smallest of data[left..right] at k, the smaller ones before it and the larger after (Hoare's quickselect). */
function select(data: Float64Array, k: number, left: number, right: number): void {
  while (left < right) {
    const pivot = data[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((data[i] as number) < pivot) i += 1;
      while ((data[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const swap = data[i] as number;
        data[i] = data[j] as number;
        data[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
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
