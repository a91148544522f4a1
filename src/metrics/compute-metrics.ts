import { DateTime } from 'luxon';
import { analyzeRows, NO_LEADS, type Analysis } from './analyze-rows.js';
import { bucketOf, sliceBuckets } from './calendar-buckets.js';
import { computeFigures, windowCalendar, type Calendar, type Figures } from './compute-figures.js';
import type { Cadence, LeadStats, MetricRows, MetricTargets, MetricWindow } from './types.js';

export interface MetricsFilter {
  readonly component?: string | undefined;
  readonly train?: string | undefined;
}

/** One line of a chart: a value per week (null: nothing to measure that week) and the policy's target. */
export interface SeriesLine {
  readonly metric: 'leadTime' | 'leadTimeP90' | 'featureToProduction' | 'deploys' | 'patchDeploys' | 'minorDeploys' | 'changeFailureRate' | 'timeToRestore';
  readonly title: string;
  readonly unit: 'hours' | 'days' | 'deploys per week' | 'ratio';
  /** The target line; null where the policy sets none. */
  readonly target: number | null;
  /** Whether a value under the target (below) or at least the target (atLeast) meets it. */
  readonly goal: 'below' | 'atLeast' | null;
  readonly values: readonly (number | null)[];
}

export interface MetricsReport {
  /** since/until: the instants, until excluded; firstDay/lastDay: the local dates they cover. */
  readonly window: { readonly since: string; readonly until: string; readonly firstDay: string; readonly lastDay: string; readonly timezone: string; readonly days: number };
  readonly scope: { readonly component: string | null; readonly train: string | null };
  readonly figures: Figures;
  readonly components: readonly { readonly component: string; readonly train: string | null; readonly figures: Figures }[];
  readonly trains: readonly { readonly train: string; readonly figures: Figures }[];
  /** Per week (Monday first, in the policy's time zone), ready for a chart. */
  readonly series: { readonly weeks: readonly string[]; readonly lines: readonly SeriesLine[] };
}

/** The report `shipgate metrics` and GET /api/v1/metrics answer: figures for the scope, each component and train in it, and the weekly series. Pure. */
export function computeMetrics(rows: MetricRows, window: MetricWindow, targets: MetricTargets, filter: MetricsFilter = {}, calendar: Calendar = windowCalendar(window)): MetricsReport {
  const analysis = analyzeRows(rows, calendar);
  const scoped = select(analysis, (item) => (filter.component === undefined || item.component === filter.component) && (filter.train === undefined || item.train === filter.train), filter.component === undefined && filter.train === undefined);
  const since = window.since.getTime();
  const until = window.until.getTime();
  const active = (ms: number) => ms >= since && ms < until;

  // Each component's and train's part, gathered in one pass (not one filter of everything per component).
  // The store reduced the lead times of the scope's commits per component and train (only those with commits in the window).
  const byComponent = group(scoped, (item) => item.component, rows.leads.components);
  const byTrain = group(scoped, (item) => item.train, rows.leads.trains);
  const components = [...byComponent.entries()]
    .filter(([, part]) => part.deploys.some((d) => active(d.atMs)) || part.lead.commits > 0 || part.restores.some((r) => active(r.startMs)))
    .map(([component, part]) => ({ component, train: part.deploys[0]?.train ?? part.restores[0]?.train ?? rows.trains.get(component) ?? null, part }))
    .sort((a, b) => a.component.localeCompare(b.component));
  const trains = [...new Set(components.map((c) => c.train).filter((train): train is string => train !== null))].sort();
  return {
    window: {
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      firstDay: DateTime.fromJSDate(window.since, { zone: window.zone }).toISODate() as string,
      lastDay: DateTime.fromMillis(window.until.getTime() - 1, { zone: window.zone }).toISODate() as string,
      timezone: window.zone,
      days: calendar.days.starts.length,
    },
    scope: { component: filter.component ?? null, train: filter.train ?? null },
    figures: computeFigures(scoped, window, targets, calendar),
    components: components.map(({ component, train, part }) => ({ component, train, figures: computeFigures(part, window, targets, calendar) })),
    trains: trains.map((train) => ({ train, figures: computeFigures(byTrain.get(train) ?? EMPTY, window, targets, calendar) })),
    series: weeklySeries(scoped, rows.leads.weeks, window, targets, calendar),
  };
}

const EMPTY: Analysis = { deploys: [], restores: [], lead: NO_LEADS };

/** Splits an analysis by a key, each part with its lead times from `leads`; items whose key is null (an incident tied to no component) go nowhere. */
function group(analysis: Analysis, key: (item: { component: string | null; train: string | null }) => string | null, leads: ReadonlyMap<string, LeadStats>): Map<string, Analysis> {
  const parts = new Map<string, { deploys: Analysis['deploys'][number][]; restores: Analysis['restores'][number][]; lead: LeadStats }>();
  const part = (name: string) => {
    let found = parts.get(name);
    if (found === undefined) parts.set(name, (found = { deploys: [], restores: [], lead: leads.get(name) ?? NO_LEADS }));
    return found;
  };
  for (const item of analysis.deploys) {
    const name = key(item);
    if (name !== null) part(name).deploys.push(item);
  }
  for (const name of leads.keys()) part(name);
  for (const item of analysis.restores) {
    const name = key(item);
    if (name !== null) part(name).restores.push(item);
  }
  return parts;
}

/** The part of an analysis a scope sees; an incident tied to no component belongs only to the organization. The lead times came scoped from the store. */
function select(analysis: Analysis, keep: (item: { component: string | null; train: string | null }) => boolean, organization: boolean): Analysis {
  return {
    deploys: analysis.deploys.filter(keep),
    restores: analysis.restores.filter((restore) => (restore.component === null ? organization : keep(restore))),
    lead: analysis.lead,
  };
}

const PER_WEEK: Readonly<Record<Cadence, number>> = { daily: 7, weekly: 1, biweekly: 0.5, monthly: 12 / 52 };

function weeklySeries(analysis: Analysis, leads: ReadonlyMap<number, LeadStats>, window: MetricWindow, targets: MetricTargets, calendar: Calendar): MetricsReport['series'] {
  const weeks = calendar.weeks;
  // Each item goes to its week once, so a year of weeks costs one pass, not one per week.
  const parts = weeks.starts.map((_, index): { deploys: Analysis['deploys'][number][]; restores: Analysis['restores'][number][]; lead: LeadStats } => ({ deploys: [], restores: [], lead: leads.get(index) ?? NO_LEADS }));
  const start = window.since.getTime();
  for (const deploy of analysis.deploys) if (deploy.atMs >= start) parts[deploy.week]?.deploys.push(deploy);
  for (const restore of analysis.restores) if (restore.startMs >= start) parts[bucketOf(weeks, restore.startMs)]?.restores.push(restore);
  const figures = parts.map((part, index) => {
    const since = new Date(Math.max(weeks.starts[index] as number, window.since.getTime()));
    const until = new Date(Math.min(weeks.starts[index + 1] ?? weeks.end, weeks.end));
    // The week's days and months, cut from the window's: no time-zone arithmetic per week.
    const from = since.getTime();
    const to = until.getTime();
    const first = { day: bucketOf(calendar.days, from), week: index, month: bucketOf(calendar.months, from) };
    const week: Calendar = { ...calendar, days: sliceBuckets(calendar.days, from, to), weeks: sliceBuckets(weeks, from, to), months: sliceBuckets(calendar.months, from, to), first };
    return computeFigures(part, { since, until, zone: window.zone }, targets, week);
  });
  const hours = (seconds: number | null) => (seconds === null ? null : seconds / 3600);
  const line = (metric: SeriesLine['metric'], title: string, unit: SeriesLine['unit'], target: number | null, goal: SeriesLine['goal'], value: (f: Figures) => number | null): SeriesLine => ({ metric, title, unit, target, goal, values: figures.map(value) });
  return {
    weeks: weeks.labels,
    lines: [
      line('leadTime', 'Lead time for changes (median)', 'hours', targets.commitToDeploySeconds / 3600, 'below', (f) => hours(f.leadTime.medianSeconds)),
      // The policy's target is for the median; the p90 line shows the tail against the same chart.
      line('leadTimeP90', 'Lead time for changes (p90)', 'hours', null, null, (f) => hours(f.leadTime.p90Seconds)),
      line('featureToProduction', 'Feature to production (median)', 'days', targets.featureToProductionSeconds / 86400, 'below', (f) => (f.leadTime.featureToProduction.medianSeconds === null ? null : f.leadTime.featureToProduction.medianSeconds / 86400)),
      line('deploys', 'Production deploys', 'deploys per week', null, null, (f) => f.deploymentFrequency.deploys),
      line('patchDeploys', 'PATCH releases in production', 'deploys per week', PER_WEEK[targets.patch], 'atLeast', (f) => f.deploymentFrequency.patch.deploys),
      line('minorDeploys', 'MINOR releases in production', 'deploys per week', PER_WEEK[targets.minor], 'atLeast', (f) => f.deploymentFrequency.minor.deploys),
      line('changeFailureRate', 'Change failure rate', 'ratio', targets.changeFailureRateBelow, 'below', (f) => f.changeFailureRate.rate),
      line('timeToRestore', 'Time to restore (median)', 'hours', targets.timeToRestoreBelowSeconds / 3600, 'below', (f) => hours(f.timeToRestore.medianSeconds)),
    ],
  };
}
