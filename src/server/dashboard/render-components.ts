import type { planJson } from '../../app/show-plan.js';
import { html, type SafeHtml } from './html.js';

type Plan = ReturnType<typeof planJson>;

export function renderComponents(plan: Plan): SafeHtml {
  return html`<p>At <code>${plan.head?.slice(0, 12) ?? 'no commit'}</code> of the clone, planned as a scheduled release.</p>
<div class="scroll" role="region" aria-label="Components" tabindex="0"><table class="components stack">
<thead><tr><th scope="col">Component</th><th scope="col">Current</th><th scope="col">Unreleased commits</th><th scope="col">Next</th><th scope="col">Why</th></tr></thead>
<tbody>${plan.components.map((c) => html`<tr>
<th scope="row">${c.name}<br><span class="muted">${c.kind}, <code>${c.path}</code></span></th>
<td data-label="Current">${c.currentVersion ?? '—'}${c.lastTag ? html`<br><code>${c.lastTag}</code>` : null}</td>
<td data-label="Unreleased">${c.unreleasedCommits === 0
    ? '0'
    : html`<details><summary>${c.unreleasedCommits} commit${c.unreleasedCommits === 1 ? '' : 's'}</summary><ul>${c.commits.map((commit) => html`<li><code>${commit.sha.slice(0, 7)}</code> ${commit.subject}${commit.bump ? html` <span class="muted">(${commit.bump})</span>` : null}</li>`)}</ul></details>`}</td>
<td data-label="Next">${c.nextVersion === null ? 'nothing to release' : html`<strong>${c.nextVersion}</strong> (${c.bump}${c.breaking ? ', breaking' : ''})`}</td>
<td data-label="Why"><ul>${[...c.reasons, ...c.warnings.map((w) => `warning: ${w}`), ...c.problems.map((p) => `problem: ${p}`)].map((line) => html`<li>${line}</li>`)}</ul></td>
</tr>`)}</tbody>
</table></div>`;
}
