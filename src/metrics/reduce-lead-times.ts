import { quantilesInPlace } from './stats.js';
import type { LeadStats, LeadTimes } from './types.js';

/**
 * The commits first deployed in a window, grouped by the deploy that carried them (the store keeps
 * them so): each deploy's component and time, and where its commits end in `seconds` and `feature`
 * (deploy i's are [ends[i - 1] ?? 0, ends[i])). Typed arrays: no JavaScript value per commit.
 */
export interface FirstDeploys {
  readonly components: readonly string[];
  readonly deployedMs: readonly number[];
  readonly ends: readonly number[];
  readonly seconds: Float64Array;
  /** 1 for a feature commit. */
  readonly feature: Uint8Array;
}

export const NO_FIRST_DEPLOYS: FirstDeploys = { components: [], deployedMs: [], ends: [], seconds: new Float64Array(0), feature: new Uint8Array(0) };

/** A part's lead times: counted first, then filled into arrays of exactly that size. */
class Part {
  commits = 0;
  features = 0;
  all = new Float64Array(0);
  feature = new Float64Array(0);
  private filled = 0;
  private featuresFilled = 0;

  allocate(): void {
    this.all = new Float64Array(this.commits);
    this.feature = new Float64Array(this.features);
  }

  add(seconds: number, feature: boolean): void {
    this.all[this.filled++] = seconds;
    if (feature) this.feature[this.featuresFilled++] = seconds;
  }
}

/**
 * Count, median and p90 of the lead times (and of the feature commits' alone) for the scope, each
 * component, each train and each week: each deploy's commits go to its four parts (counted, then
 * copied into one typed array per part), then each part's ranks are selected in place (stats.ts:
 * PERCENTILE_CONT's interpolation, as Four Keys'). A commit counts in the last week started at or
 * before its deploy. Pure.
 */
export function reduceLeadTimes(commits: FirstDeploys, trains: ReadonlyMap<string, string | null>, weekStarts: readonly number[]): LeadTimes {
  const scope = new Part();
  const components = new Map<string, Part>();
  const trainParts = new Map<string, Part>();
  const weeks = new Map<number, Part>();
  const part = <K>(parts: Map<K, Part>, key: K): Part => {
    let found = parts.get(key);
    if (found === undefined) parts.set(key, (found = new Part()));
    return found;
  };
  // Each deploy's parts, found once.
  const partsOf = commits.components.map((component, index) => {
    const train = trains.get(component) ?? null;
    return [scope, part(components, component), part(weeks, weekOf(weekStarts, commits.deployedMs[index] as number)), ...(train === null ? [] : [part(trainParts, train)])];
  });
  const each = (visit: (parts: readonly Part[], start: number, end: number) => void) => {
    let start = 0;
    partsOf.forEach((parts, index) => {
      const end = commits.ends[index] as number;
      visit(parts, start, end);
      start = end;
    });
  };
  each((parts, start, end) => {
    let features = 0;
    for (let commit = start; commit < end; commit += 1) features += commits.feature[commit] as number;
    for (const owner of parts) {
      owner.commits += end - start;
      owner.features += features;
    }
  });
  for (const owner of [scope, ...components.values(), ...trainParts.values(), ...weeks.values()]) owner.allocate();
  each((parts, start, end) => {
    for (const owner of parts) for (let commit = start; commit < end; commit += 1) owner.add(commits.seconds[commit] as number, commits.feature[commit] === 1);
  });
  return { scope: toStats(scope), components: statsOf(components), trains: statsOf(trainParts), weeks: statsOf(weeks) };
}

function statsOf<K>(parts: ReadonlyMap<K, Part>): Map<K, LeadStats> {
  return new Map([...parts].map(([key, part]) => [key, toStats(part)]));
}

function toStats(part: Part): LeadStats {
  const [medianSeconds = null, p90Seconds = null] = quantilesInPlace(part.all, [0.5, 0.9]);
  const [featureMedian = null, featureP90 = null] = quantilesInPlace(part.feature, [0.5, 0.9]);
  return { commits: part.commits, medianSeconds, p90Seconds, feature: { commits: part.features, medianSeconds: featureMedian, p90Seconds: featureP90 } };
}

/** The index of the last week started at or before `ms` (0 before the first), by binary search. */
function weekOf(starts: readonly number[], ms: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] as number) <= ms) low = middle;
    else high = middle - 1;
  }
  return Math.max(low, 0);
}
