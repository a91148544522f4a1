import type { Analysis, CountedDeploy, FailureCause } from './analyze-rows.js';
import { bucketOf, calendarBuckets, type Buckets } from './calendar-buckets.js';
import { changeFailureLevel, frequencyLevel, leadTimeLevel, restoreLevel } from './levels.js';
import { mean, median, ratio } from './stats.js';
import type { Cadence, Level, MetricTargets, MetricWindow } from './types.js';

export interface Target {
  /** The policy's target: a duration in seconds, a rate, or a cadence. */
  readonly target: number | Cadence;
  /** null: no data to judge. */
  readonly met: boolean | null;
}

export interface LeadTimeFigure {
  readonly commits: number;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
  readonly level: Level;
  /** The policy's commit to deploy target, against the median. */
  readonly commitToDeploy: Target;
  /** The policy's split: feature commits (feat) to production, against their median. */
  readonly featureToProduction: Target & { readonly commits: number; readonly medianSeconds: number | null; readonly p90Seconds: number | null };
}

export interface CadenceFigure extends Target {
  readonly deploys: number;
  readonly periods: number;
  readonly perPeriod: number | null;
  readonly periodsWithDeploy: number;
  readonly share: number | null;
}

export interface FrequencyFigure {
  readonly deploys: number;
  readonly perDay: number | null;
  readonly perWeek: number | null;
  readonly days: { readonly total: number; readonly withDeploy: number; readonly share: number | null };
  readonly weeks: { readonly total: number; readonly withDeploy: number; readonly share: number | null };
  readonly months: { readonly total: number; readonly withDeploy: number; readonly share: number | null };
  readonly medianDeployDaysPerWeek: number | null;
  readonly level: Level;
  /** The policy's split by bump: PATCH releases and MINOR releases, each against its cadence. */
  readonly patch: CadenceFigure;
  readonly minor: CadenceFigure;
}

export interface ChangeFailureFigure extends Target {
  readonly deploys: number;
  readonly failed: number;
  readonly rate: number | null;
  readonly causes: Readonly<Record<FailureCause, number>>;
  /** The failed deploys, component@version. */
  readonly failedDeploys: readonly string[];
  readonly level: Level;
}

export interface RestoreFigure extends Target {
  readonly restores: number;
  /** Failures in the window service has not come back from yet. */
  readonly open: number;
  readonly medianSeconds: number | null;
  readonly meanSeconds: number | null;
  readonly level: Level;
}

export interface Figures {
  readonly leadTime: LeadTimeFigure;
  readonly deploymentFrequency: FrequencyFigure;
  readonly changeFailureRate: ChangeFailureFigure;
  readonly timeToRestore: RestoreFigure;
}

/**
 * The days, weeks and months figures are counted over: the window's, or a week's cut from them. A
 * deploy's place in them is worked out once, on the window's (analyzeRows): `first` says where this
 * calendar's first day, week and month are among the window's, so a week's figures shift those
 * indices instead of searching again.
 */
export interface Calendar {
  readonly days: Buckets;
  readonly weeks: Buckets;
  readonly months: Buckets;
  readonly first: { readonly day: number; readonly week: number; readonly month: number };
  /** For each of the window's days, the window's week and month it is in. */
  readonly dayWeek: readonly number[];
  readonly dayMonth: readonly number[];
}

export function windowCalendar(window: MetricWindow): Calendar {
  const { days, weeks, months } = calendarBuckets(window);
  // A day that starts before the first week or month of the window (the window began mid-day) belongs to it.
  const dayWeek = days.starts.map((start) => Math.max(0, bucketOf(weeks, start)));
  const dayMonth = days.starts.map((start) => Math.max(0, bucketOf(months, start)));
  return { days, weeks, months, first: { day: 0, week: 0, month: 0 }, dayWeek, dayMonth };
}

const below = (value: number | null, limit: number): boolean | null => (value === null ? null : value < limit);

/** The four keys and the policy's split for one scope's analysis over one window. Pure. */
export function computeFigures(analysis: Analysis, window: MetricWindow, targets: MetricTargets, calendar: Calendar = windowCalendar(window)): Figures {
  const since = window.since.getTime();
  const until = window.until.getTime();
  const inside = (ms: number) => ms >= since && ms < until;

  // Lead times arrive reduced to this window and scope (the store computes the percentiles where the commits are).
  const lead = analysis.lead;
  const leadTime: LeadTimeFigure = {
    commits: lead.commits,
    medianSeconds: lead.medianSeconds,
    p90Seconds: lead.p90Seconds,
    level: leadTimeLevel(lead.medianSeconds),
    commitToDeploy: { target: targets.commitToDeploySeconds, met: below(lead.medianSeconds, targets.commitToDeploySeconds) },
    featureToProduction: { ...lead.feature, target: targets.featureToProductionSeconds, met: below(lead.feature.medianSeconds, targets.featureToProductionSeconds) },
  };

  const deploys = analysis.deploys.filter((deploy) => inside(deploy.atMs));
  const { first } = calendar;
  const totalDays = calendar.days.starts.length;
  // Each deploy's day, week and month were found once on the window's calendar: here they are only counted.
  const dayHit = new Uint8Array(totalDays);
  const daysPerWeek: number[] = calendar.weeks.starts.map(() => 0);
  const daysPerMonth: number[] = calendar.months.starts.map(() => 0);
  let deployDays = 0;
  for (const deploy of deploys) {
    const day = deploy.day - first.day;
    if (day < 0 || day >= totalDays || dayHit[day] === 1) continue;
    dayHit[day] = 1;
    deployDays += 1;
    const week = Math.max(0, (calendar.dayWeek[deploy.day] as number) - first.week);
    const month = Math.max(0, (calendar.dayMonth[deploy.day] as number) - first.month);
    daysPerWeek[week] = (daysPerWeek[week] as number) + 1;
    daysPerMonth[month] = (daysPerMonth[month] as number) + 1;
  }
  const medianDays = median(daysPerWeek);
  const deploymentFrequency: FrequencyFigure = {
    deploys: deploys.length,
    perDay: ratio(deploys.length, totalDays),
    perWeek: totalDays === 0 ? null : deploys.length / (totalDays / 7),
    days: { total: totalDays, withDeploy: deployDays, share: ratio(deployDays, totalDays) },
    weeks: share(daysPerWeek),
    months: share(daysPerMonth),
    medianDeployDaysPerWeek: medianDays,
    level: frequencyLevel(deploys.length, medianDays, median(daysPerWeek.map((n) => (n > 0 ? 1 : 0))), median(daysPerMonth)),
    patch: cadence(deploys, 'patch', targets.patch, calendar),
    minor: cadence(deploys, 'minor', targets.minor, calendar),
  };

  const failed = deploys.filter((deploy) => deploy.causes.length > 0);
  const causes: Record<FailureCause, number> = { failed: 0, rollback: 0, hotfix: 0, incident: 0 };
  for (const deploy of failed) for (const cause of deploy.causes) causes[cause] += 1;
  const rate = ratio(failed.length, deploys.length);
  const changeFailureRate: ChangeFailureFigure = {
    deploys: deploys.length,
    failed: failed.length,
    rate,
    causes,
    failedDeploys: failed.map((deploy) => `${deploy.component}@${deploy.version}`),
    level: changeFailureLevel(rate),
    target: targets.changeFailureRateBelow,
    met: below(rate, targets.changeFailureRateBelow),
  };

  const restores = analysis.restores.filter((restore) => inside(restore.startMs));
  const durations: number[] = [];
  for (const restore of restores) if (restore.seconds !== null) durations.push(restore.seconds);
  const restoreMedian = median(durations);
  const timeToRestore: RestoreFigure = {
    restores: durations.length,
    open: restores.length - durations.length,
    medianSeconds: restoreMedian,
    meanSeconds: mean(durations),
    level: restoreLevel(restoreMedian),
    target: targets.timeToRestoreBelowSeconds,
    met: below(restoreMedian, targets.timeToRestoreBelowSeconds),
  };
  return { leadTime, deploymentFrequency, changeFailureRate, timeToRestore };
}

function share(counts: readonly number[]): { total: number; withDeploy: number; share: number | null } {
  const withDeploy = counts.filter((count) => count > 0).length;
  return { total: counts.length, withDeploy, share: ratio(withDeploy, counts.length) };
}

/**
 * A cadence is met when releases of that bump reached production at least once per period on
 * average (daily: per day of the window; biweekly: per two weeks). No deploys at all: no data.
 */
function cadence(deploys: readonly CountedDeploy[], bump: 'patch' | 'minor', target: Cadence, calendar: Calendar): CadenceFigure {
  const { first } = calendar;
  const periodOf = (deploy: CountedDeploy): number => {
    if (target === 'daily') return deploy.day - first.day;
    if (target === 'monthly') return deploy.month - first.month;
    const week = deploy.week - first.week;
    return target === 'biweekly' && week >= 0 ? week >> 1 : week;
  };
  const periods = target === 'daily' ? calendar.days.starts.length : target === 'monthly' ? calendar.months.starts.length : target === 'weekly' ? calendar.weeks.starts.length : Math.ceil(calendar.weeks.starts.length / 2);
  const hit = new Uint8Array(periods);
  let periodsWithDeploy = 0;
  let count = 0;
  for (const deploy of deploys) {
    if (deploy.bump !== bump) continue;
    count += 1;
    const period = periodOf(deploy);
    if (period < 0 || period >= periods || hit[period] === 1) continue;
    hit[period] = 1;
    periodsWithDeploy += 1;
  }
  const perPeriod = ratio(count, periods);
  return {
    target,
    deploys: count,
    periods,
    perPeriod,
    periodsWithDeploy,
    share: ratio(periodsWithDeploy, periods),
    met: deploys.length === 0 || perPeriod === null ? null : perPeriod >= 1,
  };
}
