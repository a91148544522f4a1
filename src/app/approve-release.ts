import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { tallyApprovals } from '../gates/count-approvals.js';
import { assertOpen } from '../gates/lifecycle.js';
import { ownEntry } from '../gates/own-entry.js';
import { approvableRoles, isMember, isRole, normalizePerson, roleEntries } from '../gates/roles.js';
import type { ReleaseEvent, ReleaseRecord } from '../gates/types.js';
import { didYouMean } from '../policy/did-you-mean.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { componentOwners, type CodeownersSource } from './read-codeowners.js';
import { readGateEvidenceForDecision } from './gate-evidence.js';
import { findRelease } from './resolve-release.js';
import { assertThroughServer } from './require-server.js';
import { thenSettle } from './settle-approval.js';

export interface ApproveResult {
  readonly release: ReleaseRecord;
  /** False when this person had already approved this candidate as this role (counted once). */
  readonly recorded: boolean;
  /** How many approvals now count for the role, and how many its rules need at most. */
  readonly count: number;
  readonly needed: number;
}

/**
 * Records an approval after checking, under the release's write lock, every rule the matrix relies
 * on: the role exists and is asked for at this bump level, the caller holds it, did not create the
 * release, and has not already counted as another role for this candidate. An approval that completes
 * the gates makes the release approved in the same transaction (settle-approval.ts).
 */
export async function approveRelease(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; role: string; comment?: string | undefined; actor: string; tokenId?: string | undefined }): Promise<ApproveResult> {
  const { store, policy, role } = options;
  const actor = normalizePerson(options.actor);
  assertThroughServer(policy, 'approvals', options.tokenId);
  if (!isRole(policy, role)) {
    const suggestion = didYouMean(role, Object.keys(policy.roles));
    throw new ShipgateError('EROLE', `unknown role "${role}"`, { category: 'usage', hint: suggestion ? `did you mean "${suggestion}"?` : `roles: ${Object.keys(policy.roles).join(', ')}` });
  }
  const found = await findRelease(store, options.ref);
  const owners = await componentOwners(options.cwd, policy, found.path, options.codeowners);
  const evidence = await readGateEvidenceForDecision({ cwd: options.cwd, policy, codeowners: options.codeowners, release: found });
  let log: readonly ReleaseEvent[] = [];
  const { release, appended } = await mutateRelease(store, found.id, (current, events, now) => {
    log = events;
    assertOpen(current, 'approval');
    if (!policy.releaseTypes[current.type].requiresApprovals) {
      throw new ShipgateError('EAPPROVAL', `${current.id} is an ${current.type} release: it bypasses approvals`, {
        category: 'conflict',
        hint: `attach the post-mortem instead: shipgate postmortem ${current.id} <url>`,
        next: { action: 'postmortem', args: { release: current.id } },
      });
    }
    const roles = approvableRoles(policy, current.bump);
    if (!roles.includes(role)) throw new ShipgateError('EAPPROVAL', `a ${current.bump} release does not ask for ${role} approval`, { category: 'usage', hint: `roles it asks for: ${roles.join(', ')}` });
    if (actor === normalizePerson(current.createdBy)) throw errors.refused('EAPPROVAL', `nobody approves their own release: ${actor} created ${current.id}`, { hint: 'ask another member of the role' });
    if (!isMember(policy, role, actor, owners)) {
      const members = roleEntries(policy, role, owners);
      const definition = ownEntry(policy.roles, role);
      const codeowners = `CODEOWNERS for ${current.path || '/'}`;
      const source = definition?.fromCodeowners ? (definition.members.length > 0 ? `${codeowners} and roles.${role}.members` : codeowners) : `roles.${role}.members`;
      throw new ShipgateError('EAPPROVAL', `${actor} is not a member of ${role}`, { category: 'forbidden', hint: `members (${source}): ${members.join(', ') || 'none'}` });
    }
    const earlier = events.filter((event) => event.data.kind === 'approval' && event.data.commit === current.commit && normalizePerson(event.actor) === actor);
    const other = earlier.find((event) => event.data.kind === 'approval' && event.data.role !== role);
    if (other && other.data.kind === 'approval') {
      throw new ShipgateError('EAPPROVAL', `${actor} already approved ${current.id} as ${other.data.role}; one person counts once`, { category: 'conflict', hint: 'ask another member of the role' });
    }
    if (earlier.length > 0) return null;
    return thenSettle(policy, evidence, current, events, now, { actor, tokenId: options.tokenId, events: [{ kind: 'approval', role, commit: current.commit, comment: options.comment ?? null }] });
  });
  // The log as read under the lock, and what this approval added to it.
  const tally = tallyApprovals(policy, release, [...log, ...appended], owners);
  const needed = Math.max(1, ...policy.approvals[release.bump].filter((rule) => rule.role === role).map((rule) => rule.count));
  return { release, recorded: appended.some((event) => event.data.kind === 'approval'), count: tally.byRole.get(role)?.length ?? 0, needed };
}
