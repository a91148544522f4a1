import type { ReleaseRecord } from '../../gates/types.js';
import { RELEASE_STATES } from '../../gates/types.js';
import { html, type SafeHtml } from './html.js';
import { when } from './layout.js';

export interface BoardRow {
  readonly release: ReleaseRecord;
  readonly train: string | null;
  /** Gates passing (or waived) of all; null for a release that is over (its gates no longer decide anything). */
  readonly gates: { readonly passing: number; readonly total: number } | null;
}

export interface BoardView {
  readonly rows: readonly BoardRow[];
  readonly trains: readonly { readonly name: string; readonly title: string; readonly next: string | null }[];
  readonly components: readonly string[];
  readonly filter: { readonly train: string; readonly component: string; readonly state: string };
  readonly zone: string;
}

/** The state filter's choices: in flight (every state before production), everything, or one state. */
export const STATE_CHOICES = ['in-flight', 'all', ...RELEASE_STATES] as const;

export function releaseHref(id: string): string {
  return `/releases/${encodeURIComponent(id)}`;
}

function select(name: string, label: string, current: string, options: readonly { value: string; label: string }[]): SafeHtml {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options.map((o) => html`<option value="${o.value}"${o.value === current ? html` selected` : null}>${o.label}</option>`)}</select></div>`;
}

export function renderReleases(view: BoardView): SafeHtml {
  const { filter } = view;
  const form = html`<form class="filters" method="get" action="/releases" data-autosubmit>
${select('train', 'Train', filter.train, [{ value: '', label: 'All trains' }, ...view.trains.map((t) => ({ value: t.name, label: t.title }))])}
${select('component', 'Component', filter.component, [{ value: '', label: 'All components' }, ...view.components.map((c) => ({ value: c, label: c }))])}
${select('state', 'State', filter.state, STATE_CHOICES.map((s) => ({ value: s, label: s === 'in-flight' ? 'In flight' : s === 'all' ? 'All states' : s })))}
<button type="submit">Filter</button>
</form>`;
  const groups = [...view.trains.map((t) => ({ key: t.name as string | null, title: `${t.title} train`, next: t.next })), { key: null, title: 'On demand (hotfix, emergency) and other', next: null }];
  const sections = groups
    .map((group) => ({ group, rows: view.rows.filter((row) => (row.release.trainDate === null ? group.key === null : row.train === group.key)) }))
    .filter(({ group, rows }) => rows.length > 0 || (group.key !== null && (filter.train === '' || filter.train === group.key)));
  if (sections.length === 0) return html`${form}<p>No releases match.</p>`;
  return html`${form}
${sections.map(({ group, rows }) => html`<section class="train">
<h2>${group.title}</h2>
${group.next === null ? null : html`<p class="next">Next release: ${when(group.next, view.zone)}</p>`}
${rows.length === 0
  ? html`<p>No release records match.</p>`
  : html`<div class="scroll" role="region" aria-label="${group.title} releases" tabindex="0"><table class="stack">
<thead><tr><th scope="col">Release</th><th scope="col">Type</th><th scope="col">Bump</th><th scope="col">State</th><th scope="col">Gates passing</th><th scope="col">Train date</th></tr></thead>
<tbody>${rows.map((row) => html`<tr>
<th scope="row"><a href="${releaseHref(row.release.id)}">${row.release.id}</a></th>
<td data-label="Type">${row.release.type}</td>
<td data-label="Bump">${row.release.bump}</td>
<td data-label="State"><span class="state ${row.release.state}">${row.release.state}</span></td>
<td data-label="Gates passing">${row.gates === null ? '—' : html`<span class="${row.gates.passing === row.gates.total ? 'ok' : 'ko'}">${row.gates.passing}/${row.gates.total}</span>`}</td>
<td data-label="Train date">${row.release.trainDate ?? 'on demand'}</td>
</tr>`)}</tbody>
</table></div>`}
</section>`)}`;
}
