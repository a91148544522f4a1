import { describeEvent } from '../../app/describe-event.js';
import type { ReleasePermissions } from '../../app/release-permissions.js';
import type { DeploymentsShown } from '../../app/show-deployments.js';
import type { ShownRelease } from '../../app/show-release.js';
import type { NextStep } from '../../errors/next-step.js';
import type { Gate, GateReport, ReleaseEvent } from '../../gates/types.js';
import { html, type SafeHtml } from './html.js';
import { when } from './layout.js';
import { renderDeployments } from './render-deployments.js';

export interface ReleaseView {
  readonly shown: ShownRelease;
  readonly report: GateReport | null;
  /** Why the gates could not be read (a broken report), instead of the report. */
  readonly reportError: string | null;
  readonly permissions: ReleasePermissions;
  readonly deployments: DeploymentsShown;
  /** The notes preview, already escaped by the notes renderer; or why there is none. */
  readonly notes: SafeHtml | string;
  readonly csrf: string;
  readonly zone: string;
  /** What the last form did, or why it was refused. */
  readonly flash: { readonly kind: 'ok' | 'error'; readonly text: string; readonly hint?: string | undefined } | null;
}

/** A next step in the words of a person looking at the page (the buttons do the shipgate actions). */
export function nextWords(step: NextStep): string {
  switch (step.action) {
    case 'approve':
      return step.args.role === null ? 'an approval from anyone the release asks' : `${step.args.count} more ${step.args.role} approval${step.args.count === 1 ? '' : 's'}`;
    case 'waive':
      return 'no evidence source: someone who may waive says why it is met';
    case 'notice':
      return `announce the release and record the notice; the ${step.args.days}-day period starts then`;
    case 'wait':
      return `wait ${step.args.days} more day${step.args.days === 1 ? '' : 's'} (until ${step.args.until})`;
    case 'postmortem':
      return 'attach the post-mortem';
    case 'provide-evidence':
      return step.args.kind === 'junit' || step.args.kind === 'sarif' ? `CI writes the ${step.args.kind === 'junit' ? 'JUnit report' : 'SARIF output'} of ${step.args.what} to ${step.args.patterns[0] ?? 'the configured path'}` : `commit ${step.args.patterns.join(', ')} to the candidate`;
    case 'fix-tests':
      return `fix the failing tests: ${step.args.failed.join(', ')}${step.args.more > 0 ? ` and ${step.args.more} more` : ''}`;
    case 'run-tests':
      return `make the tests of ${step.args.what} run`;
    case 'fix-findings':
      return `fix or suppress the ${step.args.level}-level findings`;
    case 'fix-migrations':
      return step.args.steps.join('; ');
    case 'configure-evidence':
      return 'add evidence for it to the policy checklist, or waive it';
    default:
      return step.action.replace(/-/g, ' ');
  }
}

function eventWords(event: ReleaseEvent): string {
  const data = event.data;
  switch (data.kind) {
    case 'created':
      return `created the release at ${data.commit.slice(0, 7)}`;
    case 'candidate':
      return `moved the candidate from ${data.previous.slice(0, 7)} to ${data.commit.slice(0, 7)}`;
    case 'approval':
      return `approved as ${data.role}${data.comment ? `: ${data.comment}` : ''}`;
    case 'waiver':
      return `waived ${data.gate}: ${data.reason}`;
    case 'notice':
      return `recorded the notice${data.comment ? `: ${data.comment}` : ''}`;
    case 'transition':
      return `${data.from} → ${data.to}${data.reason ? ` (${data.reason})` : ''}`;
    case 'postmortem':
      return `attached the post-mortem ${data.url}`;
    case 'deployment':
      return `deployed to ${data.environment}${data.detail ? `: ${data.detail}` : ''}`;
    case 'step-due':
      return `${data.title} (due ${data.due})`;
    default:
      return `${data.kind} ${describeEvent(data)}`;
  }
}

function gateRow(gate: Gate, view: ReleaseView): SafeHtml {
  const { permissions, csrf } = view;
  const id = view.shown.release.id;
  const waive = permissions.waive && gate.waivable && gate.verdict === 'fail';
  return html`<tr id="gate-${gate.id}" data-gate="${gate.id}" data-verdict="${gate.verdict}">
<th scope="row">${gate.title}<br><code>${gate.id}</code></th>
<td><span class="verdict ${gate.verdict}">${gate.verdict}</span></td>
<td><ul class="evidence">${gate.evidence.map((line) => html`<li>${line}</li>`)}${gate.waiver ? html`<li>waived by ${gate.waiver.by}: ${gate.waiver.reason}</li>` : null}</ul></td>
<td>${gate.nextStep === null ? '—' : nextWords(gate.nextStep)}${waive
    ? html`<details class="waive"><summary>Waive…</summary><form method="post" action="/releases/${encodeURIComponent(id)}/waive">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="gate" value="${gate.id}">
<label for="reason-${gate.id}">Why this gate may be skipped</label><textarea id="reason-${gate.id}" name="reason" required rows="2"></textarea>
<button type="submit">Waive ${gate.id}</button></form></details>`
    : null}</td>
</tr>`;
}

export function renderRelease(view: ReleaseView): SafeHtml {
  const { release, events } = view.shown;
  const { report, permissions, zone } = view;
  const passing = report?.gates.filter((gate) => gate.verdict !== 'fail').length ?? 0;
  const deployments = events.filter((event) => ['deployment', 'deploy', 'rollback', 'analysis'].includes(event.data.kind));
  return html`${view.flash === null ? null : html`<div class="flash ${view.flash.kind}" role="${view.flash.kind === 'error' ? 'alert' : 'status'}"><p>${view.flash.text}</p>${view.flash.hint ? html`<p>${view.flash.hint}</p>` : null}</div>`}
<dl class="facts">
<div><dt>Component</dt><dd>${release.component} (${release.kind}, <code>${release.path || '/'}</code>)</dd></div>
<div><dt>Version</dt><dd>${release.version}${release.tag ? html` (tag <code>${release.tag}</code>)` : null}; last <code>${release.lastTag ?? 'none'}</code></dd></div>
<div><dt>Bump</dt><dd>${release.bump}${release.breaking ? ' (breaking)' : ''}</dd></div>
<div><dt>Type</dt><dd>${release.type}</dd></div>
<div><dt>State</dt><dd><span class="state ${release.state}" data-state="${release.state}">${release.state}</span></dd></div>
<div><dt>Train date</dt><dd>${release.trainDate ?? 'on demand'}</dd></div>
<div><dt>Candidate commit</dt><dd><code title="${release.commit}">${release.commit.slice(0, 12)}</code></dd></div>
<div><dt>Created</dt><dd>by ${release.createdBy}, ${when(release.createdAt, zone)}</dd></div>
${report !== null && report.postmortem.required ? html`<div><dt>Post-mortem</dt><dd class="${report.postmortem.state === 'attached' ? 'ok' : 'ko'}">${report.postmortem.state}${report.postmortem.due ? html`, due ${when(report.postmortem.due, zone)}` : null}${report.postmortem.url ? html`: <a href="${report.postmortem.url}">${report.postmortem.url}</a>` : null}</dd></div>` : null}
</dl>

<section aria-labelledby="gates-h">
<h2 id="gates-h">Gates${report === null ? null : html` <span class="count">${passing}/${report.gates.length} passing</span>`}</h2>
${view.reportError !== null ? html`<p class="ko" role="alert">${view.reportError}</p>` : null}
${report === null
  ? null
  : html`${report.warnings.map((warning) => html`<p class="warning">${warning}</p>`)}
<div class="scroll" role="region" aria-labelledby="gates-h" tabindex="0"><table class="gates">
<thead><tr><th scope="col">Gate</th><th scope="col">Verdict</th><th scope="col">Evidence</th><th scope="col">Next step</th></tr></thead>
<tbody>${report.gates.map((gate) => gateRow(gate, view))}</tbody>
</table></div>`}
</section>

<section aria-labelledby="approve-h">
<h2 id="approve-h">Approve</h2>
${permissions.approveAs.length > 0
  ? html`<form class="approve" method="post" action="/releases/${encodeURIComponent(release.id)}/approve">
<input type="hidden" name="csrf" value="${view.csrf}">
<label for="comment">Comment (optional)</label><input id="comment" name="comment" type="text" maxlength="500">
${permissions.approveAs.map((role) => html`<button type="submit" name="role" value="${role}">Approve as ${role}</button>`)}
</form>`
  : html`<p>${permissions.closed ?? (permissions.approvedAs !== null ? `You approved this candidate as ${permissions.approvedAs}; one person counts once.` : permissions.user === release.createdBy ? 'You created this release, and nobody approves their own release.' : `You (${permissions.user}) hold no role this release asks to approve.`)}</p>`}
</section>

<section aria-labelledby="deploy-h" data-hook="deployments">
<h2 id="deploy-h">Deployments</h2>
${renderDeployments(view.deployments, { release: release.id, zone, csrf: view.csrf })}
${deployments.length === 0 ? null : html`<details class="deploy-log"><summary>Deploy log (${deployments.length})</summary><ul>${deployments.map((event) => html`<li>${when(event.at, zone)}: ${eventWords(event)} (${event.actor})</li>`)}</ul></details>`}
</section>

<section aria-labelledby="notes-h">
<h2 id="notes-h">Release notes preview</h2>
${typeof view.notes === 'string' ? html`<p>${view.notes}</p>` : html`<article class="notes">${view.notes}</article>`}
</section>

<section aria-labelledby="history-h">
<h2 id="history-h">History</h2>
<ol class="history">${events.map((event) => html`<li>${when(event.at, zone)} · <strong>${event.actor}</strong> ${eventWords(event)}</li>`)}</ol>
</section>`;
}
