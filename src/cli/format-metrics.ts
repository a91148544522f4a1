import type { MetricsJson } from '../app/show-metrics.js';
import type { CadenceFigure, Figures } from '../metrics/compute-figures.js';
import { formatDuration } from '../metrics/format-duration.js';
import { formatTable } from './format-table.js';

const NO_DATA = 'no data';

const round = (value: number) => String(Math.round(value * 10) / 10);
const percent = (value: number | null) => (value === null ? NO_DATA : `${round(value * 100)}%`);
const met = (value: boolean | null) => (value === null ? '-' : value ? 'yes' : 'no');

function cadenceCell(figure: CadenceFigure): string {
  if (figure.perPeriod === null || figure.met === null) return NO_DATA;
  const per = { daily: 'day', weekly: 'week', biweekly: '2 weeks', monthly: 'month' }[figure.target as string] ?? 'period';
  return `${round(figure.perPeriod)}/${per} (${figure.deploys})`;
}

/** The human report: the scope's four keys with their DORA level and the policy's target, then one line per component and train. */
export function formatMetrics(report: MetricsJson): string {
  const f = report.figures;
  const scope = report.scope.component !== null ? `component ${report.scope.component}` : report.scope.train !== null ? `train ${report.scope.train}` : 'organization';
  const head = `Delivery metrics of ${report.environment} deploys, ${scope}: ${report.window.firstDay} to ${report.window.lastDay} (${report.window.timezone}, ${report.window.days} days)\n\n`;
  const lead = f.leadTime;
  const freq = f.deploymentFrequency;
  const cfr = f.changeFailureRate;
  const ttr = f.timeToRestore;
  const rows = [
    ['lead time for changes', lead.medianSeconds === null ? NO_DATA : `${formatDuration(lead.medianSeconds)} median, ${formatDuration(lead.p90Seconds)} p90 (${lead.commits} commits)`, lead.level, `< ${formatDuration(lead.commitToDeploy.target as number)}`, met(lead.commitToDeploy.met)],
    ['  feature to production', lead.featureToProduction.medianSeconds === null ? NO_DATA : `${formatDuration(lead.featureToProduction.medianSeconds)} median (${lead.featureToProduction.commits} commits)`, '', `< ${formatDuration(lead.featureToProduction.target as number)}`, met(lead.featureToProduction.met)],
    ['deployment frequency', freq.deploys === 0 ? NO_DATA : `${round(freq.perDay ?? 0)}/day, ${freq.deploys} deploys; days ${percent(freq.days.share)}, weeks ${percent(freq.weeks.share)}, months ${percent(freq.months.share)} with one`, freq.level, '', ''],
    ['  PATCH releases', cadenceCell(freq.patch), '', String(freq.patch.target), met(freq.patch.met)],
    ['  MINOR releases', cadenceCell(freq.minor), '', String(freq.minor.target), met(freq.minor.met)],
    ['change failure rate', cfr.rate === null ? NO_DATA : `${percent(cfr.rate)} (${cfr.failed} of ${cfr.deploys})`, cfr.level, `< ${percent(cfr.target as number)}`, met(cfr.met)],
    ['time to restore', ttr.medianSeconds === null ? (ttr.open > 0 ? `${NO_DATA} (${ttr.open} open)` : NO_DATA) : `${formatDuration(ttr.medianSeconds)} median (${ttr.restores} restored${ttr.open > 0 ? `, ${ttr.open} open` : ''})`, ttr.level, `< ${formatDuration(ttr.target as number)}`, met(ttr.met)],
  ];
  let text = head + formatTable(['metric', 'value', 'DORA level', 'target', 'met'], rows);
  const line = (name: string, figures: Figures) => [
    name,
    String(figures.deploymentFrequency.deploys),
    formatDuration(figures.leadTime.medianSeconds),
    percent(figures.changeFailureRate.rate),
    formatDuration(figures.timeToRestore.medianSeconds),
    [figures.leadTime.level, figures.deploymentFrequency.level, figures.changeFailureRate.level, figures.timeToRestore.level].join(' / '),
  ];
  const header = ['', 'deploys', 'lead time', 'failure rate', 'restore', 'levels (lead / frequency / failures / restore)'];
  if (report.components.length > 0) text += `\n${formatTable(['component', ...header.slice(1)], report.components.map((c) => line(c.component, c.figures)))}`;
  if (report.trains.length > 0) text += `\n${formatTable(['train', ...header.slice(1)], report.trains.map((t) => line(t.train, t.figures)))}`;
  return text;
}

/** One row per figure of the scope, each component and each train: for a spreadsheet. Durations in seconds, rates as fractions. */
export function formatMetricsCsv(report: MetricsJson): string {
  const lines = [['scope', 'name', 'metric', 'value', 'level', 'target', 'met'].join(',')];
  const add = (scope: string, name: string, figures: Figures) => {
    const lead = figures.leadTime;
    const freq = figures.deploymentFrequency;
    const cfr = figures.changeFailureRate;
    const ttr = figures.timeToRestore;
    const rows: [string, number | null, string, number | string | null, boolean | null][] = [
      ['lead_time_median_seconds', lead.medianSeconds, lead.level, lead.commitToDeploy.target, lead.commitToDeploy.met],
      ['lead_time_p90_seconds', lead.p90Seconds, '', null, null],
      ['feature_to_production_median_seconds', lead.featureToProduction.medianSeconds, '', lead.featureToProduction.target, lead.featureToProduction.met],
      ['deploys', freq.deploys, freq.level, null, null],
      ['deploys_per_day', freq.perDay, '', null, null],
      ['days_with_deploy_share', freq.days.share, '', null, null],
      ['weeks_with_deploy_share', freq.weeks.share, '', null, null],
      ['months_with_deploy_share', freq.months.share, '', null, null],
      ['patch_deploys_per_period', freq.patch.perPeriod, '', freq.patch.target, freq.patch.met],
      ['minor_deploys_per_period', freq.minor.perPeriod, '', freq.minor.target, freq.minor.met],
      ['change_failure_rate', cfr.rate, cfr.level, cfr.target, cfr.met],
      ['time_to_restore_median_seconds', ttr.medianSeconds, ttr.level, ttr.target, ttr.met],
    ];
    for (const [metric, value, level, target, ok] of rows) lines.push([scope, name, metric, value === null ? NO_DATA : String(value), level, target === null ? '' : String(target), ok === null ? '' : String(ok)].map(csvCell).join(','));
  };
  add(report.scope.component !== null ? 'component' : report.scope.train !== null ? 'train' : 'organization', report.scope.component ?? report.scope.train ?? '', report.figures);
  for (const c of report.components) add('component', c.component, c.figures);
  for (const t of report.trains) add('train', t.train, t.figures);
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
