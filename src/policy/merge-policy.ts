/**
 * A policy file overrides the built-in policy part by part: mappings merge key by key, anything else
 * (lists, scalars) replaces what it overrides. A list is replaced whole because list items have no
 * identity a merge could follow (and a team that rewrites its checklist means the whole list).
 */
export function mergePolicy(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
      // Own keys only: a role named "constructor" is a new entry, not Object's constructor to merge into.
      merged[key] = Object.hasOwn(base, key) ? mergePolicy(base[key], value) : value;
    }
    return merged;
  }
  return override === undefined ? base : override;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
