import type { Policy } from '../policy/schema.js';
import { ownEntry } from './own-entry.js';

/**
 * Who holds a role: the policy's member list, plus the component's CODEOWNERS owners for roles marked
 * fromCodeowners (a team that names a module owner in the policy expects that person to count too).
 * Members are emails, or @handles / @org/teams that policy.identity.handles maps to emails; people are
 * identified by their (case-insensitive) email everywhere.
 */
export function roleEntries(policy: Policy, role: string, owners: readonly string[]): readonly string[] {
  const definition = ownEntry(policy.roles, role);
  if (!definition) return [];
  return definition.fromCodeowners ? [...new Set([...owners, ...definition.members])] : definition.members;
}

export function isMember(policy: Policy, role: string, person: string, owners: readonly string[]): boolean {
  const email = normalizePerson(person);
  return roleEntries(policy, role, owners).some((entry) => entryMatches(policy, entry, email));
}

function entryMatches(policy: Policy, entry: string, email: string): boolean {
  if (normalizePerson(entry) === email) return true;
  const mapped = ownEntry(policy.identity.handles, entry) ?? Object.entries(policy.identity.handles).find(([handle]) => handle.toLowerCase() === entry.toLowerCase())?.[1];
  return (mapped ?? []).some((candidate) => normalizePerson(candidate) === email);
}

export function normalizePerson(person: string): string {
  return person.trim().toLowerCase();
}

/**
 * Roles an approval may be given as for a bump level: those its approval matrix names, and those its
 * versioning requirements name as "<role>-approval" (MAJOR: "Approval from tech lead").
 */
export function approvableRoles(policy: Policy, bump: keyof Policy['approvals']): string[] {
  const roles: string[] = [];
  const add = (role: string | null) => {
    if (role != null && isRole(policy, role) && !roles.includes(role)) roles.push(role);
  };
  for (const rule of policy.approvals[bump]) add(rule.role);
  for (const requirement of policy.versioning[bump].requires) if (requirement.id.endsWith('-approval')) add(requirement.id.replace(/-approval$/, ''));
  return roles;
}

export function isRole(policy: Policy, role: string): boolean {
  return ownEntry(policy.roles, role) !== undefined;
}
