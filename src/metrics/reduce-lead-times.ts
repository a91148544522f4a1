import { quantiles } from './stats.js';
import type { LeadStats, LeadTimes } from './types.js';

/** The commits first deployed in a window, column by column (the store reads them so: one array per column, no object per commit). */
export interface FirstDeploys {
  readonly components: readonly string[];
  readonly deployedMs: readonly number[];
  readonly seconds: readonly number[];
  readonly feature: readonly boolean[];
}

interface Part {
  readonly all: number[];
  readonly feature: number[];
}

/**
 * Count, median and p90 of the lead times (and of the feature commits' alone) for the scope, each
 * component, each train and each week, in one pass over the commits: each commit goes to its four
 * parts, then each part is sorted once (stats.ts: PERCENTILE_CONT's interpolation, as Four Keys').
 * A commit counts in the last week started at or before its deploy. Pure.
 */
export function reduceLeadTimes(commits: FirstDeploys, trains: ReadonlyMap<string, string | null>, weekStarts: readonly number[]): LeadTimes {
  const scope: Part = { all: [], feature: [] };
  const components = new Map<string, Part>();
  const trainParts = new Map<string, Part>();
  const weeks = new Map<number, Part>();
  const part = <K>(parts: Map<K, Part>, key: K): Part => {
    let found = parts.get(key);
    if (found === undefined) parts.set(key, (found = { all: [], feature: [] }));
    return found;
  };
  // Consecutive commits are mostly of one component (the store reads them by deploy time): its parts are looked up once per run.
  let lastComponent: string | undefined;
  let componentPart = scope;
  let trainPart: Part | undefined;
  // And of one deploy, so of one week.
  let lastDeployed: number | undefined;
  let weekPart = scope;
  for (let index = 0; index < commits.seconds.length; index += 1) {
    const component = commits.components[index] as string;
    if (component !== lastComponent) {
      lastComponent = component;
      componentPart = part(components, component);
      const train = trains.get(component) ?? null;
      trainPart = train === null ? undefined : part(trainParts, train);
    }
    const seconds = commits.seconds[index] as number;
    const deployedMs = commits.deployedMs[index] as number;
    if (deployedMs !== lastDeployed) {
      lastDeployed = deployedMs;
      weekPart = part(weeks, weekOf(weekStarts, deployedMs));
    }
    scope.all.push(seconds);
    componentPart.all.push(seconds);
    weekPart.all.push(seconds);
    trainPart?.all.push(seconds);
    if (commits.feature[index]) {
      scope.feature.push(seconds);
      componentPart.feature.push(seconds);
      weekPart.feature.push(seconds);
      trainPart?.feature.push(seconds);
    }
  }
  return { scope: toStats(scope), components: statsOf(components), trains: statsOf(trainParts), weeks: statsOf(weeks) };
}

function statsOf<K>(parts: ReadonlyMap<K, Part>): Map<K, LeadStats> {
  return new Map([...parts].map(([key, part]) => [key, toStats(part)]));
}

function toStats(part: Part): LeadStats {
  const [medianSeconds = null, p90Seconds = null] = quantiles(part.all, [0.5, 0.9]);
  const [featureMedian = null, featureP90 = null] = quantiles(part.feature, [0.5, 0.9]);
  return { commits: part.all.length, medianSeconds, p90Seconds, feature: { commits: part.feature.length, medianSeconds: featureMedian, p90Seconds: featureP90 } };
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
