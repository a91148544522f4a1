import type { Policy } from '../policy/schema.js';
import { isMember, roleEntries } from './roles.js';

/** The roles whose members may roll back by hand: rollback.manual.roles, else the waiver roles (tech leads by default). */
export function rollbackRoles(policy: Policy): readonly string[] {
  return policy.rollback.manual.roles ?? policy.gates.waivers.roles;
}

/**
 * Why a person may not roll back by hand, with the roles and the people who may; null when they may.
 * No roles listed lets anyone identified roll back, as an empty waiver list does for waivers.
 * Only people are asked: the pipeline's automatic rollback is the policy's own decision.
 */
export function rollbackRefusal(policy: Policy, person: string, owners: readonly string[]): { readonly roles: readonly string[]; readonly members: readonly string[] } | null {
  const roles = rollbackRoles(policy);
  if (roles.length === 0 || roles.some((role) => isMember(policy, role, person, owners))) return null;
  return { roles, members: [...new Set(roles.flatMap((role) => roleEntries(policy, role, owners)))] };
}
