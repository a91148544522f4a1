import { waiverRefusal } from '../gates/count-waivers.js';
import { approvableRoles, isMember, normalizePerson } from '../gates/roles.js';
import { CLOSED_STATES } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { eventsOf } from '../store/releases.js';
import { componentOwners, type CodeownersSource } from './read-codeowners.js';
import { findRelease } from './resolve-release.js';

export interface ReleasePermissions {
  readonly release: string;
  readonly user: string;
  /** The roles `user` may approve the release as now: asked for at its bump, held, not their own release. */
  readonly approveAs: readonly string[];
  /** Whether `user` may waive its failing evidence gates. */
  readonly waive: boolean;
  /** Why approving or waiving is not open to anyone (an emergency bypasses approvals, a closed release); null when it is. */
  readonly closed: string | null;
  /** The role `user` already approved this candidate as (one person counts once); null when they have not. */
  readonly approvedAs: string | null;
}

/**
 * What a person may do to a release, by the rules approveRelease and waiveGate apply under the lock
 * (the same role, membership, own-release and state checks): the dashboard offers only these buttons,
 * and the writes still decide for themselves.
 */
export async function releasePermissions(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; user: string }): Promise<ReleasePermissions> {
  const { policy } = options;
  const user = normalizePerson(options.user);
  const release = await findRelease(options.store, options.ref);
  const closed = CLOSED_STATES.includes(release.state) ? `${release.id} is ${release.state}` : null;
  const base = { release: release.id, user, closed };
  if (closed !== null) return { ...base, approveAs: [], waive: false, approvedAs: null };
  const [owners, events] = await Promise.all([componentOwners(options.cwd, policy, release.path, options.codeowners), eventsOf(options.store, release)]);
  const given = events.find((event) => event.data.kind === 'approval' && event.data.commit === release.commit && normalizePerson(event.actor) === user);
  const approvedAs = given?.data.kind === 'approval' ? given.data.role : null;
  const own = user === normalizePerson(release.createdBy);
  const approvals = policy.releaseTypes[release.type].requiresApprovals;
  const approveAs = approvals && !own && approvedAs === null ? approvableRoles(policy, release.bump).filter((role) => isMember(policy, role, user, owners)) : [];
  return { ...base, approveAs, approvedAs, waive: waiverRefusal(policy, release, user, owners) === null, closed: approvals ? null : `${release.type} releases bypass approvals` };
}
