import type { GateReport, ReleaseRecord } from '../gates/types.js';
import { renderNext } from './render-next.js';

const LABEL = { pass: 'PASS  ', fail: 'FAIL  ', waived: 'WAIVED', pending: 'LATER ' } as const;

export function describeRelease(release: ReleaseRecord): string {
  const train = release.trainDate ? `, train ${release.trainDate}` : '';
  return `${release.id}: ${release.bump} ${release.type} release${release.breaking ? ' (breaking)' : ''} at ${release.commit.slice(0, 7)} (${release.state}${train})`;
}

/** The human form of `shipgate check`: every gate, its evidence and next step, then the verdict. */
export function formatGateReport(report: GateReport): string {
  // A preview under another policy than main's decides nothing, and says so first and last.
  const preview = report.preview ?? null;
  const lines = [...(preview === null ? [] : [`PREVIEW under ${preview}, not the policy committed on main: nothing here decides the release`, '']), describeRelease(report.release), ''];
  for (const gate of report.gates) {
    lines.push(`${LABEL[gate.verdict]}  ${gate.id}  ${gate.title}`);
    for (const evidence of gate.evidence) lines.push(`        ${evidence}`);
    if (gate.waiver) lines.push(`        waived by ${gate.waiver.by}: ${gate.waiver.reason}`);
    if (gate.nextStep) lines.push(`        next: ${renderNext(gate.nextStep)}`);
  }
  lines.push('');
  if (report.rollbackSafe !== null) lines.push(`rollback-safe: ${report.rollbackSafe ? 'yes, the new migrations only add to the schema' : 'NO, see migrations.safety'}`);
  const { postmortem } = report;
  const attach = renderNext({ action: 'postmortem', args: { release: report.release.id } });
  if (postmortem.state === 'owed') lines.push(`post-mortem: owed by ${postmortem.due ?? '?'} (attach it: ${attach})`);
  if (postmortem.state === 'overdue') lines.push(`post-mortem: OVERDUE since ${postmortem.due ?? '?'} (attach it: ${attach})`);
  if (postmortem.state === 'attached') lines.push(`post-mortem: ${postmortem.url ?? ''}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  const count = (verdict: string) => report.gates.filter((gate) => gate.verdict === verdict).length;
  const later = count('pending') > 0 ? `, ${count('pending')} later (required before production or verification)` : '';
  const summary = `${report.gates.length} gates: ${count('pass')} pass, ${count('fail')} fail, ${count('waived')} waived${later}`;
  if (preview !== null) lines.push(`${summary}: under ${preview} (preview), ${report.release.id} ${report.ok ? 'would ship' : 'would not ship yet'}`);
  else lines.push(report.ok ? `${summary}: ${report.release.id} may ship` : `${summary}: ${report.release.id} may not ship yet`);
  return `${lines.join('\n')}\n`;
}
