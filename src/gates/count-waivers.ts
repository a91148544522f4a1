import type { Policy } from '../policy/schema.js';
import { isMember, normalizePerson } from './roles.js';
import type { LoggedEvent, ReleaseRecord } from './types.js';

export interface CountedWaiver {
  readonly person: string;
  readonly reason: string;
  readonly at: string;
}

export interface WaiverTally {
  /** The waiver that counts for each gate: the latest one that passes every rule. */
  readonly byGate: ReadonlyMap<string, CountedWaiver>;
  /** Waivers in the log that do not count, and why. */
  readonly ignored: readonly { readonly person: string; readonly gate: string; readonly reason: string }[];
}

/** Why a person may not waive this release's gates under this policy; null when they may. */
export type WaiverRefusal = { readonly kind: 'not-allowed'; readonly roles: readonly string[] } | { readonly kind: 'own-release' };

export function waiverRefusal(policy: Policy, release: ReleaseRecord, person: string, owners: readonly string[]): WaiverRefusal | null {
  const roles = policy.gates.waivers.roles;
  // No roles listed: the policy lets anyone but the release's creator waive.
  if (roles.length > 0 && !roles.some((role) => isMember(policy, role, person, owners))) return { kind: 'not-allowed', roles };
  if (normalizePerson(person) === normalizePerson(release.createdBy)) return { kind: 'own-release' };
  return null;
}

/**
 * Which waivers count for the release's current candidate, judged under the policy being evaluated,
 * not the one in force when the waiver was recorded: the gate exists and is waivable (`waivable`
 * maps this release's gate ids to that), the waiver was given to this commit, by someone the policy
 * lets waive who did not create the release. Pure.
 */
export function tallyWaivers(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[], owners: readonly string[], waivable: ReadonlyMap<string, boolean>): WaiverTally {
  const byGate = new Map<string, CountedWaiver>();
  const ignored: { person: string; gate: string; reason: string }[] = [];
  for (const event of events) {
    if (event.data.kind !== 'waiver') continue;
    const { gate, commit, reason } = event.data;
    const person = normalizePerson(event.actor);
    const refusal = waiverRefusal(policy, release, person, owners);
    let why: string | null = null;
    if (commit !== release.commit) why = `given to an earlier candidate (${commit.slice(0, 7)}), not to ${release.commit.slice(0, 7)}`;
    else if (!waivable.has(gate)) why = `the policy has no gate ${gate} for this release`;
    else if (!waivable.get(gate)) why = `${gate} is a sign-off by people and cannot be waived`;
    else if (refusal?.kind === 'own-release') why = 'nobody waives gates of their own release';
    else if (refusal?.kind === 'not-allowed') why = `not a member of ${refusal.roles.join(' or ')} (gates.waivers.roles)`;
    if (why === null) byGate.set(gate, { person, reason, at: event.at });
    else ignored.push({ person, gate, reason: why });
  }
  return { byGate, ignored };
}
