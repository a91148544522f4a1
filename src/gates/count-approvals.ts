import type { Policy } from '../policy/schema.js';
import { isMember, normalizePerson } from './roles.js';
import type { LoggedEvent, ReleaseRecord } from './types.js';

export interface CountedApproval {
  readonly person: string;
  readonly role: string;
  readonly at: string;
  readonly comment: string | null;
}

export interface ApprovalTally {
  /** Approvals that count, by role, each person at most once. */
  readonly byRole: ReadonlyMap<string, readonly CountedApproval[]>;
  /** Approvals in the log that do not count, and why (shown so nobody wonders where theirs went). */
  readonly ignored: readonly { readonly person: string; readonly role: string; readonly reason: string }[];
}

/**
 * Which approvals count for the release's current candidate. One person counts once: for the first
 * role they approved as on this commit. Approvals given to another commit, by the release's creator,
 * or by someone who (no longer) holds the role do not count. Pure.
 */
export function tallyApprovals(policy: Policy, release: ReleaseRecord, events: readonly LoggedEvent[], owners: readonly string[]): ApprovalTally {
  const byRole = new Map<string, CountedApproval[]>();
  const ignored: { person: string; role: string; reason: string }[] = [];
  const counted = new Map<string, string>();
  for (const event of events) {
    if (event.data.kind !== 'approval') continue;
    const { role, commit, comment } = event.data;
    const person = normalizePerson(event.actor);
    if (commit !== release.commit) {
      ignored.push({ person, role, reason: `given to an earlier candidate (${commit.slice(0, 7)}), not to ${release.commit.slice(0, 7)}` });
    } else if (person === normalizePerson(release.createdBy)) {
      ignored.push({ person, role, reason: 'nobody approves their own release' });
    } else if (!isMember(policy, role, person, owners)) {
      ignored.push({ person, role, reason: `not a member of ${role}` });
    } else if (counted.has(person)) {
      if (counted.get(person) !== role) ignored.push({ person, role, reason: `already counted as ${counted.get(person) ?? ''}; one person counts once` });
    } else {
      counted.set(person, role);
      byRole.set(role, [...(byRole.get(role) ?? []), { person, role, at: event.at, comment }]);
    }
  }
  return { byRole, ignored };
}
