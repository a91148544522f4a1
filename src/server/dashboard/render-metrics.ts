import type { MetricsJson } from '../../app/show-metrics.js';
import { formatDuration } from '../../metrics/format-duration.js';
import type { ErrorCategory } from '../../errors/shipgate-error.js';
import type { CadenceFigure, Figures } from '../../metrics/compute-figures.js';
import type { SeriesLine } from '../../metrics/compute-metrics.js';
import type { Level } from '../../metrics/types.js';
import { html, type SafeHtml } from './html.js';
import { renderChart, type ChartSpec } from './render-chart.js';

/** The filter as typed: the CLI's --since, --until, --component and --train ('' for not given). */
export interface MetricsFilterForm {
  readonly since: string;
  readonly until: string;
  readonly component: string;
  readonly train: string;
}

export interface MetricsView {
  readonly filter: MetricsFilterForm;
  readonly trains: readonly { readonly name: string; readonly title: string }[];
  readonly components: readonly string[];
  readonly timezone: string;
  /** The policy's default window (metrics.window). */
  readonly window: string;
  /** null when the filter was refused. */
  readonly report: MetricsJson | null;
  readonly error: { readonly message: string; readonly hint: string | null; readonly category: ErrorCategory } | null;
}

const NO_DATA = 'no data';
const round = (value: number) => String(Math.round(value * 10) / 10);
const percent = (value: number | null) => (value === null ? NO_DATA : `${round(value * 100)}%`);
const PERIOD: Readonly<Record<string, string>> = { daily: 'day', weekly: 'week', biweekly: '2 weeks', monthly: 'month' };

function levelBadge(level: Level | null): SafeHtml | string {
  if (level === null) return '';
  return html`<span class="level ${level === 'no data' ? 'none' : level}">${level}</span>`;
}

function metCell(met: boolean | null): SafeHtml {
  if (met === null) return html`<span class="muted">${NO_DATA}</span>`;
  return met ? html`<span class="ok">met</span>` : html`<span class="ko">not met</span>`;
}

function cadenceValue(figure: CadenceFigure): string {
  if (figure.perPeriod === null || figure.met === null) return NO_DATA;
  return `${round(figure.perPeriod)} a ${PERIOD[figure.target as string] ?? 'period'} (${figure.deploys} deploys)`;
}

interface Row {
  readonly metric: string;
  readonly name: string;
  readonly value: string;
  readonly level: Level | null;
  readonly target: string;
  readonly met: boolean | null;
}

/** The scope's figures, one row per metric the policy or DORA names, as the CLI's table has them. */
function figureRows(f: Figures): Row[] {
  const lead = f.leadTime;
  const feature = lead.featureToProduction;
  const freq = f.deploymentFrequency;
  const cfr = f.changeFailureRate;
  const ttr = f.timeToRestore;
  return [
    { metric: 'lead-time-median', name: 'Lead time for changes (median)', value: lead.medianSeconds === null ? NO_DATA : `${formatDuration(lead.medianSeconds)} (${lead.commits} commits)`, level: lead.level, target: `< ${formatDuration(lead.commitToDeploy.target as number)}`, met: lead.commitToDeploy.met },
    { metric: 'lead-time-p90', name: 'Lead time for changes (p90)', value: formatDuration(lead.p90Seconds), level: null, target: '', met: null },
    { metric: 'feature-to-production', name: 'Feature to production (median)', value: feature.medianSeconds === null ? NO_DATA : `${formatDuration(feature.medianSeconds)} (${feature.commits} commits)`, level: null, target: `< ${formatDuration(feature.target as number)}`, met: feature.met },
    { metric: 'deployment-frequency', name: 'Deployment frequency', value: freq.deploys === 0 ? NO_DATA : `${round(freq.perDay ?? 0)} a day (${freq.deploys} deploys); deploys on ${percent(freq.days.share)} of days, ${percent(freq.weeks.share)} of weeks`, level: freq.level, target: '', met: null },
    { metric: 'patch', name: 'PATCH releases', value: cadenceValue(freq.patch), level: null, target: String(freq.patch.target), met: freq.patch.met },
    { metric: 'minor', name: 'MINOR releases', value: cadenceValue(freq.minor), level: null, target: String(freq.minor.target), met: freq.minor.met },
    { metric: 'change-failure-rate', name: 'Change failure rate', value: cfr.rate === null ? NO_DATA : `${percent(cfr.rate)} (${cfr.failed} of ${cfr.deploys})`, level: cfr.level, target: `< ${percent(cfr.target as number)}`, met: cfr.met },
    { metric: 'time-to-restore', name: 'Time to restore (median)', value: ttr.medianSeconds === null ? (ttr.open > 0 ? `${NO_DATA} (${ttr.open} open)` : NO_DATA) : `${formatDuration(ttr.medianSeconds)} (${ttr.restores} restored${ttr.open > 0 ? `, ${ttr.open} open` : ''})`, level: ttr.level, target: `< ${formatDuration(ttr.target as number)}`, met: ttr.met },
  ];
}

const FORMATS: Readonly<Record<SeriesLine['unit'], (value: number) => string>> = {
  hours: (value) => formatDuration(value * 3600),
  days: (value) => formatDuration(value * 86400),
  'deploys per week': (value) => `${round(value)} a week`,
  ratio: (value) => percent(value),
};
/** The y axis says the unit once, in the chart's note, where "a week" on every tick would not fit. */
const TICKS: Partial<Record<SeriesLine['unit'], (value: number) => string>> = { 'deploys per week': round };

/** Which series each chart draws: lead time's median and p90 share one chart and the median's target. */
const CHARTS: readonly { readonly id: string; readonly lines: readonly SeriesLine['metric'][]; readonly note: string }[] = [
  { id: 'lead-time', lines: ['leadTime', 'leadTimeP90'], note: 'each commit from its author time to its first production deploy, by the week of that deploy' },
  { id: 'feature-to-production', lines: ['featureToProduction'], note: 'feature (feat) commits only' },
  { id: 'deployment-frequency', lines: ['deploys'], note: 'production deploys a week; the policy\'s targets are for PATCH and MINOR releases' },
  { id: 'patch', lines: ['patchDeploys'], note: 'PATCH releases reaching production, a week' },
  { id: 'minor', lines: ['minorDeploys'], note: 'MINOR releases reaching production, a week' },
  { id: 'change-failure-rate', lines: ['changeFailureRate'], note: 'deploys that failed, were rolled back, needed a hotfix or had an incident, of all deploys' },
  { id: 'time-to-restore', lines: ['timeToRestore'], note: 'incidents and failed deploys, from the start to the deploy that restored service' },
];

function chartSpecs(report: MetricsJson): { spec: ChartSpec; note: string }[] {
  const byMetric = new Map(report.series.lines.map((line) => [line.metric, line]));
  return CHARTS.flatMap(({ id, lines, note }) => {
    const found = lines.map((metric) => byMetric.get(metric)).filter((line): line is SeriesLine => line !== undefined);
    const first = found[0];
    if (first === undefined) return [];
    const format = FORMATS[first.unit];
    const target = first.target === null ? null : { value: first.target, label: `target ${first.goal === 'atLeast' ? '≥' : '<'} ${format(first.target)}` };
    return [{ spec: { id: `chart-${id}`, title: first.title.replace(/ \(median\)$/, ''), labels: report.series.weeks, series: found.map((line) => ({ label: found.length === 1 ? line.title : (/\((.*)\)$/.exec(line.title)?.[1] ?? line.title), values: line.values })), target, format, tick: TICKS[first.unit] }, note }];
  });
}

function textField(name: keyof MetricsFilterForm, label: string, value: string, placeholder: string): SafeHtml {
  return html`<div class="field"><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="text" value="${value}" placeholder="${placeholder}" aria-describedby="f-dates" autocomplete="off"></div>`;
}

function select(name: keyof MetricsFilterForm, label: string, current: string, options: readonly { value: string; label: string }[]): SafeHtml {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map((o) => html`<option value="${o.value}"${o.value === current ? html` selected` : null}>${o.label}</option>`)}</select></div>`;
}

function renderForm(view: MetricsView): SafeHtml {
  const { filter } = view;
  const components = filter.component === '' || view.components.includes(filter.component) ? view.components : [...view.components, filter.component];
  const trains = filter.train === '' || view.trains.some((t) => t.name === filter.train) ? view.trains : [...view.trains, { name: filter.train, title: filter.train }];
  return html`<form class="filters" method="get" action="/metrics">
${textField('since', 'Since', filter.since, 'YYYY-MM-DD')}
${textField('until', 'Until', filter.until, 'YYYY-MM-DD')}
${select('component', 'Component', filter.component, [{ value: '', label: 'All components' }, ...components.map((c) => ({ value: c, label: c }))])}
${select('train', 'Train', filter.train, [{ value: '', label: 'All trains' }, ...trains.map((t) => ({ value: t.name, label: t.title }))])}
<button type="submit">Show</button>
</form>
<p class="next" id="f-dates">Dates are days in ${view.timezone}, and until includes its day; a date-time such as 2026-02-17T10:00 works too. With no since, the window is the last ${view.window} before until (or now), as <code>shipgate metrics</code> takes it.</p>`;
}

function figuresTable(report: MetricsJson): SafeHtml {
  return html`<div class="scroll" role="region" aria-label="Figures" tabindex="0"><table class="stack metrics">
<thead><tr><th scope="col">Metric</th><th scope="col">Figure</th><th scope="col">DORA level</th><th scope="col">Policy target</th><th scope="col">Target met</th></tr></thead>
<tbody>${figureRows(report.figures).map((row) => html`<tr data-metric="${row.metric}">
<th scope="row">${row.name}</th>
<td data-label="Figure">${row.value}</td>
<td data-label="DORA level">${levelBadge(row.level)}</td>
<td data-label="Policy target">${row.target === '' ? html`<span class="muted">none</span>` : row.target}</td>
<td data-label="Target met">${row.target === '' ? null : metCell(row.met)}</td>
</tr>`)}</tbody>
</table></div>`;
}

function breakdown(title: string, rows: readonly { name: string; figures: Figures }[]): SafeHtml | null {
  if (rows.length === 0) return null;
  return html`<h2>${title}</h2>
<div class="scroll" role="region" aria-label="${title}" tabindex="0"><table class="stack">
<thead><tr><th scope="col">${title.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase())}</th><th scope="col">Deploys</th><th scope="col">Lead time (median)</th><th scope="col">Change failure rate</th><th scope="col">Time to restore (median)</th><th scope="col">DORA levels (lead time, frequency, failures, restore)</th></tr></thead>
<tbody>${rows.map(({ name, figures }) => html`<tr>
<th scope="row">${name}</th>
<td data-label="Deploys">${figures.deploymentFrequency.deploys}</td>
<td data-label="Lead time">${formatDuration(figures.leadTime.medianSeconds)}</td>
<td data-label="Change failure rate">${percent(figures.changeFailureRate.rate)}</td>
<td data-label="Time to restore">${formatDuration(figures.timeToRestore.medianSeconds)}</td>
<td data-label="DORA levels">${[figures.leadTime.level, figures.deploymentFrequency.level, figures.changeFailureRate.level, figures.timeToRestore.level].join(', ')}</td>
</tr>`)}</tbody>
</table></div>`;
}

export function renderMetrics(view: MetricsView): SafeHtml {
  const form = renderForm(view);
  if (view.report === null) {
    const error = view.error;
    return html`<div class="flash error" role="alert"><p>${error?.message ?? 'The metrics could not be read.'}</p>${error?.hint ? html`<p>${error.hint}</p>` : null}</div>${form}`;
  }
  const { report } = view;
  const scope = report.scope.component !== null ? `component ${report.scope.component}` : report.scope.train !== null ? `train ${report.scope.train}` : 'the organization';
  return html`${form}
<p class="window">Deploys to <strong>${report.environment}</strong> for ${scope}, ${report.window.firstDay} to ${report.window.lastDay} (${report.window.days} days, ${report.window.timezone}).</p>
${figuresTable(report)}
<h2>Week by week</h2>
<p class="next">Each chart has a point per week (Monday first) that had something to measure, and the policy's target as a dashed line; a gap is a week with no data.</p>
<div class="charts">${chartSpecs(report).map(({ spec, note }) => html`<section class="chart-card" aria-labelledby="${spec.id}-h">
<h3 id="${spec.id}-h">${spec.title}</h3>
<p class="next">${note}</p>
${renderChart(spec)}
</section>`)}</div>
${breakdown('By component', report.components.map((c) => ({ name: c.component, figures: c.figures })))}
${breakdown('By train', report.trains.map((t) => ({ name: t.train, figures: t.figures })))}`;
}
