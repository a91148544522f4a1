import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/schema.js';
import { evaluateGates } from './evaluate-gates.js';
import type { GateReport, LoggedEvent, ReleaseRecord } from './types.js';

const CANDIDATE = 'c0ffee0000000000000000000000000000000000';
const EARLIER = 'bead000000000000000000000000000000000000';
const now = new Date('2026-02-02T09:00:00Z');

const release: ReleaseRecord = {
  id: 'billing@2.1.0',
  component: 'billing',
  kind: 'module',
  path: 'modules/billing',
  version: '2.1.0',
  tag: 'billing/v2.1.0',
  lastTag: 'billing/v2.0.0',
  bump: 'minor',
  type: 'scheduled',
  breaking: false,
  state: 'candidate',
  trainDate: null,
  commit: CANDIDATE,
  createdBy: 'lead2@example.com',
  createdAt: '2026-02-01T18:00:00.000Z',
  updatedAt: '2026-02-01T18:00:00.000Z',
  seq: 1,
  postmortemUrl: null,
};

function policyWith(change: (policy: Policy) => void = () => undefined): Policy {
  const policy = builtinPolicy();
  policy.roles['tech-lead']!.members = ['lead@example.com', 'lead2@example.com'];
  policy.identity.handles = { '@alice': ['alice@example.com'] };
  change(policy);
  return policy;
}

let seq = 1;
const waiver = (actor: string, gate: string, commit = CANDIDATE): LoggedEvent => {
  seq += 1;
  return { releaseId: release.id, seq, at: `2026-02-02T08:${String(seq).padStart(2, '0')}:00.000Z`, actor, data: { kind: 'waiver', gate, reason: `waived by ${actor}`, commit } };
};

const evaluate = (events: LoggedEvent[], policy = policyWith(), owners: readonly string[] = ['@alice', 'bob@example.com']): GateReport =>
  evaluateGates({ policy, release, events, evidence: {}, owners, now });
const gate = (report: GateReport, id: string) => report.gates.find((g) => g.id === id)!;

describe('waivers are counted under the policy being evaluated', () => {
  it('counts a waiver by a member of a waiver role, given to the current candidate', () => {
    const report = evaluate([waiver('Lead@Example.com ', 'checklist.performance-tests')]);
    expect(gate(report, 'checklist.performance-tests')).toMatchObject({ verdict: 'waived', waiver: { by: 'lead@example.com', reason: 'waived by Lead@Example.com ' } });
    expect(report.warnings).toEqual([]);
  });

  it('ignores, with the reason, waivers by outsiders, by the creator, of sign-offs, of unknown gates and of earlier candidates', () => {
    const report = evaluate([
      waiver('eve@example.com', 'checklist.performance-tests'),
      waiver('lead2@example.com', 'checklist.contract-tests'),
      waiver('lead@example.com', 'approvals.team-approvals'),
      waiver('lead@example.com', 'checklist.no-such-gate'),
      waiver('lead@example.com', 'checklist.tests', EARLIER),
    ]);
    for (const id of ['checklist.performance-tests', 'checklist.contract-tests', 'approvals.team-approvals', 'checklist.tests']) {
      expect([id, gate(report, id).verdict, gate(report, id).waiver]).toEqual([id, 'fail', null]);
    }
    expect(report.ok).toBe(false);
    expect(report.warnings).toEqual([
      'waiver of checklist.performance-tests by eve@example.com does not count: not a member of tech-lead (gates.waivers.roles)',
      'waiver of checklist.contract-tests by lead2@example.com does not count: nobody waives gates of their own release',
      'waiver of approvals.team-approvals by lead@example.com does not count: approvals.team-approvals is a sign-off by people and cannot be waived',
      'waiver of checklist.no-such-gate by lead@example.com does not count: the policy has no gate checklist.no-such-gate for this release',
      'waiver of checklist.tests by lead@example.com does not count: given to an earlier candidate (bead000), not to c0ffee0',
    ]);
  });

  it('a waiver recorded under a policy that let anyone waive does not count under one that does not', () => {
    const events = [waiver('eve@example.com', 'checklist.performance-tests')];
    const permissive = policyWith((policy) => {
      policy.gates.waivers.roles = [];
    });
    expect(gate(evaluate(events, permissive), 'checklist.performance-tests').verdict).toBe('waived');
    const strict = evaluate(events);
    expect(gate(strict, 'checklist.performance-tests').verdict).toBe('fail');
    expect(strict.warnings).toContain('waiver of checklist.performance-tests by eve@example.com does not count: not a member of tech-lead (gates.waivers.roles)');
  });

  it('a waiver role from CODEOWNERS is held by the component owners, handles included', () => {
    const policy = policyWith((p) => {
      p.gates.waivers.roles = ['module-owner'];
    });
    const report = evaluate([waiver('alice@example.com', 'checklist.tests'), waiver('lead@example.com', 'checklist.docs')], policy);
    expect(gate(report, 'checklist.tests').verdict).toBe('waived');
    expect(gate(report, 'checklist.docs').verdict).toBe('fail');
    expect(report.warnings).toEqual(['waiver of checklist.docs by lead@example.com does not count: not a member of module-owner (gates.waivers.roles)']);
    // The same waiver with other owners: alice no longer owns the component.
    expect(gate(evaluate([waiver('alice@example.com', 'checklist.tests')], policy, ['bob@example.com']), 'checklist.tests').verdict).toBe('fail');
  });

  it('a later waiver that does not count leaves the one that does', () => {
    const report = evaluate([waiver('lead@example.com', 'checklist.tests'), waiver('eve@example.com', 'checklist.tests')]);
    expect(gate(report, 'checklist.tests')).toMatchObject({ verdict: 'waived', waiver: { by: 'lead@example.com' } });
  });
});
