import { describe, expect, it } from 'vitest';
import { decideApproval } from './decide-approval.js';
import type { Gate, GateReport, ReleaseRecord, ReleaseState } from './types.js';

const release = (state: ReleaseState): ReleaseRecord => ({
  id: 'billing@2.0.1',
  component: 'billing',
  kind: 'module',
  path: 'modules/billing',
  version: '2.0.1',
  tag: 'billing/v2.0.1',
  lastTag: 'billing/v2.0.0',
  bump: 'patch',
  type: 'scheduled',
  breaking: false,
  state,
  trainDate: null,
  commit: 'c0ffee0000000000000000000000000000000000',
  createdBy: 'rel@example.com',
  createdAt: '2026-02-01T18:00:00.000Z',
  updatedAt: '2026-02-01T18:00:00.000Z',
  seq: 1,
  postmortemUrl: null,
});
const gate = (id: string, verdict: Gate['verdict']): Gate => ({ id, title: id, source: 'checklist', verdict, evidence: [], nextStep: null, waiver: null, waivable: true });
const report = (state: ReleaseState, gates: Gate[]): GateReport => ({
  release: release(state),
  gates,
  ok: gates.every((g) => g.verdict !== 'fail'),
  postmortem: { required: false, due: null, url: null, state: 'not-required' },
  rollbackSafe: null,
  warnings: [],
});

describe('whether the gates move a release between candidate and approved', () => {
  it('approves a candidate whose gates pass or are waived, and takes it back when one fails', () => {
    expect(decideApproval(report('candidate', [gate('checklist.tests', 'pass'), gate('checklist.docs', 'waived')]))).toEqual({ from: 'candidate', to: 'approved', reason: 'every gate passes for c0ffee0' });
    expect(decideApproval(report('approved', [gate('checklist.tests', 'fail'), gate('checklist.docs', 'fail')]))).toEqual({ from: 'approved', to: 'candidate', reason: 'checklist.tests, checklist.docs no longer pass for c0ffee0' });
    expect(decideApproval(report('approved', [gate('checklist.tests', 'fail')]))?.reason).toBe('checklist.tests no longer passes for c0ffee0');
  });

  it('leaves every other case alone: nothing to do, or a state the gates do not decide', () => {
    expect(decideApproval(report('candidate', [gate('checklist.tests', 'fail')]))).toBeNull();
    expect(decideApproval(report('approved', [gate('checklist.tests', 'pass')]))).toBeNull();
    for (const state of ['planned', 'frozen', 'staging', 'production', 'abandoned'] as const) expect(decideApproval(report(state, [gate('checklist.tests', 'pass')]))).toBeNull();
  });
});
