/**
 * A record's own entry for a name from the policy or the user, never an inherited one: `role in
 * policy.roles` is true for "constructor", and `policy.roles.constructor` is Object. Roles, handles,
 * component kinds, bundles and evidence are looked up through this.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
