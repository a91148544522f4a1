import { DateTime } from 'luxon';
import { parseDuration } from '../policy/duration.js';
import type { MigrationGateResult } from '../migrations/migration-gate.js';
import type { Policy } from '../policy/schema.js';
import { tallyApprovals, type ApprovalTally } from './count-approvals.js';
import { tallyWaivers, type WaiverTally } from './count-waivers.js';
import { judgeEvidence, type Judgement } from './judge-evidence.js';
import { ownEntry } from './own-entry.js';
import { postReleaseDrafts, smokeTestsJudgement, type StagedJudgement } from './post-release-gates.js';
import { isRole } from './roles.js';
import type { EvidenceSummary, Gate, GateReport, GateSource, LoggedEvent, PostmortemStatus, ReleaseRecord } from './types.js';

export interface GateInput {
  readonly policy: Policy;
  readonly release: ReleaseRecord;
  readonly events: readonly LoggedEvent[];
  /** Evidence by checklist item id, plus "smoke-tests" and "rfc". */
  readonly evidence: Readonly<Record<string, EvidenceSummary>>;
  /** CODEOWNERS owners of the component's directory (module-owner, module-team). */
  readonly owners: readonly string[];
  /** The migration guard's verdict on the release's new migrations; absent when the repository has none. */
  readonly migrations?: MigrationGateResult;
  readonly now: Date;
}

interface Draft extends StagedJudgement {
  readonly id: string;
  readonly title: string;
  readonly source: GateSource;
  /** People's sign-offs: never waivable, bypassed only by a release type without approvals. */
  readonly signOff: boolean;
}

/**
 * Every gate of the release: the checklist, the requirements of its bump level and the approval
 * matrix, each with its verdict, evidence and next step. Pure: the evidence is read beforehand.
 */
export function evaluateGates(input: GateInput): GateReport {
  const { policy, release, events } = input;
  const tally = tallyApprovals(policy, release, events, input.owners);
  const post = postReleaseDrafts(policy, release, events).map((draft): Draft => ({ ...draft, source: 'postRelease', signOff: false }));
  const drafts = [...checklistGates(input), ...migrationGates(input), ...versioningGates(input, tally), ...approvalGates(input, tally), ...post];
  const bypass = !policy.releaseTypes[release.type].requiresApprovals;
  const waivers = tallyWaivers(policy, release, events, input.owners, new Map(drafts.map((draft) => [draft.id, !draft.signOff])));
  const gates = drafts.map((draft) => finish(draft, waivers, release, bypass));
  const warnings = [
    ...tally.ignored.map((entry) => `approval by ${entry.person} as ${entry.role} does not count: ${entry.reason}`),
    ...waivers.ignored.map((entry) => `waiver of ${entry.gate} by ${entry.person} does not count: ${entry.reason}`),
  ];
  const rollbackSafe = input.migrations?.rollbackSafe ?? null;
  return { release, gates, ok: gates.every((gate) => gate.verdict !== 'fail'), postmortem: postmortemStatus(policy, release, input.now), rollbackSafe, warnings };
}

/** The policy's database rules: error-level findings in the release's new migrations fail the release. */
function migrationGates(input: GateInput): Draft[] {
  const result = input.migrations;
  if (!result) return [];
  const next = result.next.length > 0 && result.verdict === 'fail' ? { action: 'fix-migrations' as const, args: { steps: result.next } } : null;
  return [{ id: 'migrations.safety', title: 'Database migrations follow the policy', source: 'migrations', signOff: false, pass: result.verdict === 'pass', evidence: result.evidence, next }];
}

function checklistGates(input: GateInput): Draft[] {
  return input.policy.checklist.map((item) => {
    const base = { id: `checklist.${item.id}`, title: item.title, source: 'checklist' as const, signOff: false };
    if (item.when === 'breaking' && !input.release.breaking) return { ...base, pass: true, evidence: ['not required: the release has no breaking changes'], next: null };
    return { ...base, ...judgeEvidence(ownEntry(input.evidence, item.id), `"${item.title}"`) };
  });
}

function versioningGates(input: GateInput, tally: ApprovalTally): Draft[] {
  const { policy, release } = input;
  return policy.versioning[release.bump].requires.map((requirement) => {
    const base = { id: `versioning.${requirement.id}`, title: requirement.title, source: 'versioning' as const };
    if (requirement.id === 'notice') return { ...base, signOff: false, ...noticeJudgement(input) };
    if (requirement.id === 'rfc') return { ...base, signOff: false, ...judgeEvidence(ownEntry(input.evidence, 'rfc'), 'the RFC') };
    if (policy.checklist.some((item) => item.id === requirement.id)) return { ...base, signOff: false, ...judgeEvidence(ownEntry(input.evidence, requirement.id), `"${requirement.title}"`) };
    const role = requirement.id.replace(/-approval$/, '');
    if (requirement.id.endsWith('-approval') && isRole(policy, role)) return { ...base, signOff: true, ...approvalJudgement(tally, role, 1, release.id) };
    if (requirement.id === 'pr-approval') {
      const anyone = [...tally.byRole.values()].flat();
      return anyone.length > 0
        ? { ...base, signOff: true, pass: true, evidence: anyone.map((a) => `approved by ${a.person} as ${a.role}`), next: null }
        : { ...base, signOff: true, pass: false, evidence: ['no approval yet'], next: { action: 'approve' as const, args: { release: release.id, role: null, count: 1 } } };
    }
    return { ...base, signOff: false, pass: false, evidence: ['shipgate has no evidence source for this requirement'], next: { action: 'waive' as const, args: { release: release.id, gate: base.id } } };
  });
}

function approvalGates(input: GateInput, tally: ApprovalTally): Draft[] {
  const { policy, release } = input;
  return policy.approvals[release.bump].map((rule) => {
    const base = { id: `approvals.${rule.id}`, title: rule.title, source: 'approvals' as const };
    if (rule.kind === 'notice') return { ...base, signOff: false, ...noticeJudgement(input) };
    if (rule.kind === 'check' && rule.evidence === 'smoke-tests') {
      const reports = ownEntry(input.evidence, 'smoke-tests');
      const hasReports = reports?.kind === 'junit' && reports.reports.length > 0;
      return { ...base, signOff: false, ...smokeTestsJudgement(policy, release, input.events, () => judgeEvidence(reports, `"${rule.title}"`), hasReports) };
    }
    if (rule.kind === 'check') return { ...base, signOff: false, ...judgeEvidence(rule.evidence == null ? undefined : ownEntry(input.evidence, rule.evidence), `"${rule.title}"`) };
    const approvals = approvalJudgement(tally, rule.role ?? '', rule.count, release.id);
    if (rule.evidence == null) return { ...base, signOff: true, ...approvals };
    // A review of something (the migration guide) needs both the thing and the reviewer.
    const thing = judgeEvidence(ownEntry(input.evidence, rule.evidence), rule.evidence);
    return {
      ...base,
      signOff: true,
      pass: approvals.pass && thing.pass,
      evidence: [...thing.evidence, ...approvals.evidence],
      next: thing.next ?? approvals.next,
    };
  });
}

function approvalJudgement(tally: ApprovalTally, role: string, count: number, releaseId: string): Judgement {
  const given = tally.byRole.get(role) ?? [];
  const evidence = given.map((approval) => `approved by ${approval.person} as ${role} at ${approval.at}${approval.comment ? `: ${approval.comment}` : ''}`);
  if (given.length >= count) return { pass: true, evidence, next: null };
  return {
    pass: false,
    evidence: [...evidence, `${given.length} of ${count} ${role} approval${count === 1 ? '' : 's'}`],
    next: { action: 'approve', args: { release: releaseId, role, count: count - given.length } },
  };
}

/**
 * When a release announced at `at` (ISO time) may ship: the bump's notice days later, counted as calendar
 * days in the policy's time zone, so a period across a daylight-saving change ends at the same local time.
 */
export function noticePeriodEnd(policy: Policy, bump: ReleaseRecord['bump'], at: string): DateTime {
  return noticeEnd(policy.timezone, policy.versioning[bump].noticeDays, at).end;
}

/** Ends already worked out: a server judges the same notices on every gate report, and zoned calendar arithmetic is most of a notice's cost. */
const noticeEnds = new Map<string, { end: DateTime; iso: string; ms: number }>();

function noticeEnd(zone: string, days: number, at: string): { end: DateTime; iso: string; ms: number } {
  const key = `${zone} ${days} ${at}`;
  let known = noticeEnds.get(key);
  if (known === undefined) {
    const end = DateTime.fromISO(at, { zone }).plus({ days });
    known = { end, iso: end.toISO() ?? '', ms: end.toMillis() };
    if (noticeEnds.size >= 5000) noticeEnds.delete(noticeEnds.keys().next().value as string);
    noticeEnds.set(key, known);
  }
  return known;
}

function noticeJudgement(input: GateInput): Judgement {
  const { policy, release, events, now } = input;
  const days = policy.versioning[release.bump].noticeDays;
  if (days === 0) return { pass: true, evidence: [`no notice required for a ${release.bump} release`], next: null };
  const notice = events.find((event) => event.data.kind === 'notice');
  if (!notice) return { pass: false, evidence: ['no notice recorded'], next: { action: 'notice', args: { release: release.id, days } } };
  const from = noticeEnd(policy.timezone, days, notice.at);
  const given = `notice recorded ${notice.at} by ${notice.actor}`;
  if (from.ms <= now.getTime()) return { pass: true, evidence: [`${given}; ${days} days elapsed ${from.iso}`], next: null };
  const left = Math.ceil(from.end.diff(DateTime.fromJSDate(now), 'days').days);
  return { pass: false, evidence: [`${given}; ${days}-day notice period ends ${from.iso}`], next: { action: 'wait', args: { until: from.iso, days: left } } };
}

function finish(draft: Draft, waivers: WaiverTally, release: ReleaseRecord, bypass: boolean): Gate {
  const base = { id: draft.id, title: draft.title, source: draft.source, evidence: draft.evidence, waivable: !draft.signOff };
  // An emergency bypasses the whole approval matrix, sign-offs and notice periods; the checklist still counts.
  const bypassable = draft.signOff || draft.source === 'approvals' || draft.id === 'versioning.notice';
  if (bypass && bypassable && !draft.pass) {
    const reason = `${release.type} release: approvals and notice periods are bypassed (recorded)`;
    return { ...base, verdict: 'waived', nextStep: null, waiver: { by: 'policy', reason, at: release.createdAt } };
  }
  if (draft.pass) return { ...base, verdict: 'pass', nextStep: null, waiver: null };
  const waiver = waivers.byGate.get(draft.id);
  if (waiver) return { ...base, verdict: 'waived', nextStep: null, waiver: { by: waiver.person, reason: waiver.reason, at: waiver.at } };
  // Not yet judgeable: it does not stop the approval, and the step it is required before asks for it.
  if (draft.pending === true) return { ...base, verdict: 'pending', nextStep: draft.next, waiver: null };
  return { ...base, verdict: 'fail', nextStep: draft.next, waiver: null };
}

export function postmortemStatus(policy: Policy, release: ReleaseRecord, now: Date): PostmortemStatus {
  const rule = policy.releaseTypes[release.type].postMortem;
  if (!rule?.required) return { required: false, due: null, url: release.postmortemUrl, state: release.postmortemUrl ? 'attached' : 'not-required' };
  // policy is silent on the start: the deadline runs from when the emergency release was opened.
  const due = DateTime.fromISO(release.createdAt, { zone: policy.timezone }).plus(parseDuration(rule.due)).toUTC().toISO() ?? release.createdAt;
  if (release.postmortemUrl) return { required: true, due, url: release.postmortemUrl, state: 'attached' };
  return { required: true, due, url: null, state: Date.parse(due) < now.getTime() ? 'overdue' : 'owed' };
}
