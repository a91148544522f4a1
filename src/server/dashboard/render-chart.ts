import { html, type SafeHtml } from './html.js';

/*
 * The dashboard's chart: a line chart drawn on the server as inline SVG. No script and no style
 * attribute, so it passes the Content-Security-Policy as it is, shows without JavaScript, ships in the
 * package with nothing to download, and is tested as text. A canvas library (uPlot) would need a script,
 * draw pixels a screen reader cannot read, and still need the table below. Colours come from classes in
 * dashboard.css.
 */

export interface ChartSeries {
  readonly label: string;
  /** One value per x label; null: nothing measured there (the line breaks). */
  readonly values: readonly (number | null)[];
}

export interface ChartSpec {
  /** Unique on the page: the SVG's title and description are referred to by it. */
  readonly id: string;
  readonly title: string;
  /** The x positions' labels (the Monday of each week, YYYY-MM-DD). */
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  /** The policy's target line, and how it reads ("target < 24 h"); null where there is none. */
  readonly target: { readonly value: number; readonly label: string } | null;
  /** A value as the table and the points' titles print it (a unit included). */
  readonly format: (value: number) => string;
  /** A value on the y axis, where a long unit would not fit (default: format). */
  readonly tick?: ((value: number) => string) | undefined;
}

const WIDTH = 480;
const HEIGHT = 220;
const PAD = { left: 56, right: 24, top: 14, bottom: 34 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
/** At most this many x labels, so they never overlap at the chart's width. */
const MAX_X_LABELS = 7;

/** Round steps of 1, 2, 2.5 or 5 times a power of ten, from zero to at least `max`. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let n = 0; ; n += 1) {
    const tick = Number((n * step).toPrecision(12));
    ticks.push(tick);
    if (tick >= max) break;
  }
  return ticks;
}

const fixed = (n: number) => String(Math.round(n * 10) / 10);

/** The chart as an SVG figure, its legend, and the same numbers as a table for anyone who cannot see it. */
export function renderChart(spec: ChartSpec): SafeHtml {
  const values = spec.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.max(0, ...values, spec.target?.value ?? 0));
  const top = ticks.at(-1) as number;
  const n = spec.labels.length;
  const x = (i: number) => PAD.left + (n <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
  const y = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  const every = Math.max(1, Math.ceil(n / MAX_X_LABELS));
  const measured = values.length > 0;

  const grid = ticks.map((tick) => html`<g class="tick"><line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}"/><text x="${PAD.left - 6}" y="${fixed(y(tick) + 4)}" text-anchor="end">${tick === 0 ? '0' : (spec.tick ?? spec.format)(tick)}</text></g>`);
  const xLabels = spec.labels.map((label, i) => (i % every === 0 ? html`<text x="${fixed(x(i))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${shortDate(label)}</text>` : null));
  const lines = spec.series.map((series, index) => {
    // A week with nothing measured breaks the line rather than drawing a zero.
    const segments: string[] = [];
    let current = '';
    series.values.forEach((value, i) => {
      if (value === null) {
        if (current !== '') segments.push(current);
        current = '';
        return;
      }
      current += `${current === '' ? 'M' : ' L'}${fixed(x(i))} ${fixed(y(value))}`;
    });
    if (current !== '') segments.push(current);
    return html`<g class="series series-${index}" data-series="${series.label}">${segments.map((d) => html`<path d="${d}"/>`)}${series.values.map((value, i) =>
      value === null ? null : html`<circle cx="${fixed(x(i))}" cy="${fixed(y(value))}" r="3.5" data-week="${spec.labels[i]}" data-value="${value}"><title>${series.label}, week of ${spec.labels[i]}: ${spec.format(value)}</title></circle>`,
    )}</g>`;
  });
  const target = spec.target === null ? null : html`<g class="target" data-target="${spec.target.value}"><line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${fixed(y(spec.target.value))}" y2="${fixed(y(spec.target.value))}"/><text x="${WIDTH - PAD.right - 2}" y="${fixed(y(spec.target.value) - 5)}" text-anchor="end">${spec.target.label}</text></g>`;
  const summary = `${spec.series.map((s) => s.label).join(' and ')} per week, ${n} ${n === 1 ? 'week' : 'weeks'} from ${spec.labels[0] ?? '-'}${spec.target === null ? '' : `, against the ${spec.target.label}`}${measured ? '' : ': no data in this window'}. The table below has each value.`;

  return html`<figure class="chart" id="${spec.id}">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" focusable="false">
<title id="${spec.id}-title">${spec.title}</title>
<desc id="${spec.id}-desc">${summary}</desc>
<g class="grid">${grid}</g>
<g class="axis"><line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + PLOT_H}" y2="${PAD.top + PLOT_H}"/>${xLabels}</g>
${target}
${lines}
${measured ? null : html`<text class="empty" x="${PAD.left + PLOT_W / 2}" y="${PAD.top + PLOT_H / 2}" text-anchor="middle">no data in this window</text>`}
</svg>
<figcaption><ul class="chart-legend">${spec.series.map((series, index) => html`<li class="series-${index}">${series.label}</li>`)}${spec.target === null ? html`<li class="muted">the policy sets no target</li>` : html`<li class="target">${spec.target.label}</li>`}</ul></figcaption>
</figure>
<details class="chart-table"><summary>${spec.title}: the weekly values as a table</summary>
<table>
<thead><tr><th scope="col">Week of</th>${spec.series.map((series) => html`<th scope="col">${series.label}</th>`)}</tr></thead>
<tbody>${spec.labels.map((label, i) => html`<tr><th scope="row">${label}</th>${spec.series.map((series) => {
    const value = series.values[i] ?? null;
    return html`<td>${value === null ? 'no data' : spec.format(value)}</td>`;
  })}</tr>`)}</tbody>
</table>
</details>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-02-09" as "9 Feb": the year is in the table. */
function shortDate(date: string): string {
  const month = MONTHS[Number(date.slice(5, 7)) - 1];
  return month === undefined ? date : `${Number(date.slice(8, 10))} ${month}`;
}
