import type { DeploymentsShown } from '../../app/show-deployments.js';
import { html, type SafeHtml } from './html.js';
import { when } from './layout.js';

/** "5 h 12 min", "40 s": what is left of a soak as the server saw it (the page's script counts down from there). */
export function leftWords(ms: number): string {
  if (ms <= 0) return 'now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 0) return `${Math.ceil(ms / 1000)} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts = [days > 0 ? `${days} d` : null, hours > 0 ? `${hours} h` : null, `${minutes % 60} min`];
  return parts.filter((part) => part !== null).join(' ');
}

const number = (value: number | null) => (value === null ? '—' : String(Number(value.toPrecision(6))));

/**
 * The release page's deployments section from the app's data (showDeployments): why the pipeline
 * paused, the soak countdown, the deployments rows, the analysis measurements, and the rollback form
 * for people the policy lets roll back.
 */
export function renderDeployments(shown: DeploymentsShown, view: { readonly release: string; readonly zone: string; readonly csrf: string }): SafeHtml {
  const { zone } = view;
  return html`${shown.paused.map((paused) => html`<div class="flash error" role="alert" data-paused="${paused.environment}"><p>The pipeline paused in ${paused.environment} (deployment #${paused.deployment}), ${when(paused.at, zone)}: ${paused.reason}</p></div>`)}
${shown.soaks.map(
  (soak) => html`<p class="soak" data-soak="${soak.environment}" data-ends="${soak.endsAt}">${soak.leftMs > 0 ? html`${soak.environment} may deploy at ${when(soak.endsAt, zone)} (in <span data-countdown="${soak.endsAt}">${leftWords(soak.leftMs)}</span>), when the soak in ${soak.after} ends` : html`The soak in ${soak.after} ended at ${when(soak.endsAt, zone)}: ${soak.environment} may deploy now`}</p>`,
)}
${shown.deployments.length === 0
  ? html`<p>No deployment recorded yet.</p>`
  : html`<div class="scroll" role="region" aria-labelledby="deploy-h" tabindex="0"><table class="deployments">
<thead><tr><th scope="col">#</th><th scope="col">Environment</th><th scope="col">Kind</th><th scope="col">Version</th><th scope="col">Started</th><th scope="col">Rolled out</th><th scope="col">Outcome</th><th scope="col">By</th></tr></thead>
<tbody>${shown.deployments.map(
      (row) => html`<tr data-deployment="${row.id}" data-kind="${row.kind}" data-environment="${row.environment}" data-outcome="${row.outcome ?? row.phase}">
<th scope="row">${row.id}</th><td>${row.environment}</td><td>${row.kind}${row.releaseType ? ` (${row.releaseType})` : ''}</td><td>${row.version}${row.previousVersion ? html` <small>from ${row.previousVersion}</small>` : null}</td>
<td>${when(row.startedAt, zone)}</td><td>${row.rolledOutAt === null ? '—' : when(row.rolledOutAt, zone)}</td>
<td>${row.outcome ?? `${row.phase}…`}${row.rolledBackBy === null ? null : html` <small>(rolled back by #${row.rolledBackBy})</small>`}</td>
<td>${row.actor}${row.reason ? html`<br><small>${row.reason}</small>` : null}</td>
</tr>`,
    )}</tbody>
</table></div>`}
${shown.analyses.length === 0
  ? null
  : html`<h3 id="analysis-h">Analysis</h3>
${shown.analyses.map(
  (run) => html`<div class="scroll" role="region" aria-label="Analysis of deployment #${run.deployment}" tabindex="0"><table class="analysis" data-analysis="${run.deployment}" data-phase="${run.phase ?? 'running'}">
<caption>${run.environment}, deployment #${run.deployment}: ${run.phase ?? 'running'}${run.reason ? `: ${run.reason}` : ''}</caption>
<thead><tr><th scope="col">Round</th><th scope="col">Metric</th><th scope="col">Verdict</th><th scope="col">Value</th><th scope="col">Threshold</th><th scope="col">Query</th><th scope="col">Measured</th></tr></thead>
<tbody>${run.measurements.map(
    (m) => html`<tr data-metric="${m.metric}" data-verdict="${m.phase}"><td>${m.round}</td><th scope="row">${m.metric}</th><td><span class="verdict ${m.phase}">${m.phase}</span></td><td>${number(m.value)}</td><td>${number(m.threshold)}${m.baseline === null ? null : html` <small>(baseline ${number(m.baseline)})</small>`}</td><td><code>${m.query}</code></td><td>${when(m.at, zone)}</td></tr>`,
  )}</tbody>
</table></div>`,
)}`}
${shown.rollback === null ? null : rollbackForm(shown.rollback, view)}`;
}

function rollbackForm(choice: NonNullable<DeploymentsShown['rollback']>, view: { readonly release: string; readonly csrf: string }): SafeHtml {
  return html`<details class="rollback"><summary>Roll back…</summary>
<form method="post" action="/releases/${encodeURIComponent(view.release)}/rollback">
<input type="hidden" name="csrf" value="${view.csrf}">
<label for="rollback-env">Environment</label><select id="rollback-env" name="environment" required>${choice.environments.map((env) => html`<option value="${env.name}">${env.name} (runs ${env.running})</option>`)}</select>
<label for="rollback-to">Version to roll back to (empty: the last one that passed there)</label><input id="rollback-to" name="to" type="text" maxlength="100" list="rollback-versions">
<datalist id="rollback-versions">${choice.versions.map((version) => html`<option value="${version}"></option>`)}</datalist>
<label for="rollback-reason">Why (on the record)</label><textarea id="rollback-reason" name="reason" required rows="2"></textarea>
<label class="check"><input type="checkbox" name="force" value="1"> Roll back even when a migration since that version is not rollback-safe (recorded)</label>
<button type="submit">Roll back</button></form></details>`;
}
