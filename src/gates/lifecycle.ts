import { ShipgateError } from '../errors/shipgate-error.js';
import { CLOSED_STATES, type ReleaseRecord, type ReleaseState } from './types.js';

/** Which state may follow which (ARCHITECTURE.md); anything not listed is refused. */
export const TRANSITIONS: Readonly<Record<ReleaseState, readonly ReleaseState[]>> = {
  planned: ['frozen', 'candidate', 'abandoned'],
  frozen: ['candidate', 'abandoned'],
  // Nothing reaches staging without approved; the one exception, an emergency deploying a candidate
  // (it bypasses the approvals), is decided by decideDeploy alone, not by a transition anyone may ask for.
  candidate: ['approved', 'abandoned'],
  approved: ['candidate', 'staging', 'abandoned'],
  staging: ['soaking', 'production', 'rolled-back', 'abandoned'],
  soaking: ['production', 'rolled-back', 'abandoned'],
  production: ['verified', 'rolled-back'],
  verified: ['rolled-back'],
  'rolled-back': [],
  abandoned: [],
};

export function canTransition(from: ReleaseState, to: ReleaseState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(release: ReleaseRecord, to: ReleaseState): void {
  if (release.state === to) throw new ShipgateError('ESTATE', `${release.id} is already ${to}`, { category: 'conflict', hint: 'nothing was changed' });
  if (!canTransition(release.state, to)) {
    const allowed = TRANSITIONS[release.state];
    throw new ShipgateError('ESTATE', `${release.id} is ${release.state} and cannot become ${to}`, { category: 'conflict', hint: allowed.length > 0 ? `from ${release.state} it can become: ${allowed.join(', ')}` : `${release.state} is final` });
  }
}

/**
 * The transitions a command may ask for. Approved is not one of them: a release is approved when its
 * gates pass and only then (decide-approval.ts), so nothing reaches staging around them.
 */
export function assertCommandTransition(release: ReleaseRecord, to: ReleaseState): void {
  if (to === 'approved') {
    throw new ShipgateError('ESTATE', `${release.id} becomes approved when its gates pass, not by a command`, {
      category: 'rule',
      hint: `see what is missing: shipgate check ${release.id}`,
      next: { action: 'check', args: { release: release.id } },
    });
  }
  assertTransition(release, to);
}

/** Approvals, waivers, notices and candidate changes are refused once a release has shipped or ended. */
export function assertOpen(release: ReleaseRecord, action: string): void {
  if (!CLOSED_STATES.includes(release.state)) return;
  const shipped = release.state === 'production' || release.state === 'verified';
  throw new ShipgateError('ESTATE', `${release.id} is ${shipped ? 'already shipped' : 'closed'} (${release.state}); ${action} is no longer possible`, {
    category: 'conflict',
    hint: shipped ? 'a change needs a new release: shipgate release create <component> --type hotfix' : 'open a new release instead',
    next: { action: 'create-release', args: { component: release.component, type: shipped ? 'hotfix' : 'scheduled' } },
  });
}
