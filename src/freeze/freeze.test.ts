import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { checkChange, isReleaseBranch, trainsFor } from './check-change.js';
import { freezeStatus } from './freeze-status.js';

const policy = builtinPolicy();
// Module release Tue 2026-02-17 10:00 PST (18:00 UTC): its freeze runs from Sun 2026-02-15 10:00 PST.
const inModuleFreeze = new Date('2026-02-16T20:00:00Z');
const beforeFreeze = new Date('2026-02-15T17:59:00Z');

describe('freezeStatus', () => {
  it('says which trains are frozen and until when', () => {
    const status = freezeStatus(policy, inModuleFreeze);
    expect(status.map((t) => [t.train, t.frozen])).toEqual([['module', true], ['platform', false], ['product', false]]);
    expect(status[0]?.release?.freeze.end).toBe('2026-02-17T10:00:00-08:00');
    expect(status[1]?.next?.freeze.start).toBe('2026-03-01T10:00:00-08:00');
  });

  it('opens exactly at the freeze start and ends at the release', () => {
    expect(freezeStatus(policy, beforeFreeze, ['module'])[0]?.frozen).toBe(false);
    expect(freezeStatus(policy, new Date('2026-02-15T18:00:00Z'), ['module'])[0]?.frozen).toBe(true);
    expect(freezeStatus(policy, new Date('2026-02-17T18:00:00Z'), ['module'])[0]?.frozen).toBe(false);
  });
});

describe('checkChange', () => {
  const check = (change: Partial<Parameters<typeof checkChange>[1]>) => checkChange(policy, { at: inModuleFreeze, ...change });

  it('blocks a feature during a freeze and says what to do', () => {
    const verdict = check({ message: 'feat(billing): recurring invoices (#123)' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toMatch(/code freeze on module .*feat: changes may not merge/);
    expect(verdict.next).toMatch(/wait until the freeze ends/);
  });

  it('lets bug fixes through during a freeze, and anything outside one', () => {
    expect(check({ message: 'fix(billing): rounding error' }).allowed).toBe(true);
    expect(check({ type: 'fix' }).allowed).toBe(true);
    expect(checkChange(policy, { at: beforeFreeze, message: 'feat: anything' }).allowed).toBe(true);
  });

  it('blocks what it cannot classify and breaking fixes', () => {
    const unknown = check({ message: 'Update stuff' });
    expect(unknown.allowed).toBe(false);
    expect(unknown.next).toMatch(/title it "fix: …"/);
    expect(check({ message: 'fix!: drop the v1 endpoint' }).allowed).toBe(false);
    expect(check({ message: 'fix: change\n\nBREAKING CHANGE: removes x' }).allowed).toBe(false);
  });

  it('follows the release type: hotfix and emergency changes are exempt', () => {
    expect(check({ message: 'feat: x', branch: 'hotfix/v2.0.1' }).allowed).toBe(true);
    expect(check({ type: 'emergency' }).allowed).toBe(true);
    expect(check({ type: 'scheduled' }).allowed).toBe(false);
  });

  it('checks only the trains the touched files belong to', () => {
    expect(trainsFor(policy, ['platform/identity/src/lib.rs'])).toEqual(['platform']);
    expect(trainsFor(policy, ['modules/billing/package.json', 'products/fireproof-erp/x'])).toEqual(['module', 'product']);
    expect(trainsFor(policy, ['.github/workflows/ci.yml'])).toBeUndefined();
    expect(check({ message: 'feat: x', paths: ['platform/identity/src/lib.rs'] }).allowed).toBe(true);
    expect(check({ message: 'feat: x', paths: ['modules/billing/src/a.ts'] }).allowed).toBe(false);
  });

  it('holds a change into a release branch to the freeze\'s allow list at any time', () => {
    const open = (change: Partial<Parameters<typeof checkChange>[1]>) => checkChange(policy, { at: beforeFreeze, ...change });
    const feature = open({ message: 'feat(billing): recurring invoices', target: 'release/v2.1.0' });
    expect(feature).toMatchObject({ allowed: false, lockedBranch: 'release/v2.1.0' });
    expect(feature.reason).toMatch(/^code freeze on the release branch release\/v2\.1\.0: feat: changes may not merge/);
    expect(feature.next).toBe('a release branch takes only fix: changes: merge this into main for a later release');
    expect(open({ message: 'fix(billing): rounding', target: 'refs/heads/release/v2.1.0' })).toMatchObject({ allowed: true, lockedBranch: 'refs/heads/release/v2.1.0' });
    expect(open({ message: 'feat: x', target: 'main' })).toMatchObject({ allowed: true, lockedBranch: null });
    expect(open({ message: 'feat: x', target: 'release/next' }).allowed).toBe(true);
    expect(isReleaseBranch(policy, 'release/v2.1.0-rc.1')).toBe(true);
    expect(isReleaseBranch({ ...policy, branches: { ...policy.branches, release: 'release/{name}-{version}' } }, 'release/billing-2.1.0')).toBe(true);
  });

  it('uses the policy\'s allow list', () => {
    const relaxed = { ...policy, freeze: { ...policy.freeze, allow: ['fix', 'docs'] } };
    expect(checkChange(relaxed, { at: inModuleFreeze, message: 'docs: typo' }).allowed).toBe(true);
    expect(check({ message: 'docs: typo' }).allowed).toBe(false);
  });
});
