// The two fixed lists of the release policy, in one module with no imports: the policy schema, the CLI's
// options, the server's schemas, the store's readers and the rules all take them from here, and a command
// that only needs the list does not load the schema (zod) with it.

/** SemVer's levels, from the largest. */
export const BUMPS = ['major', 'minor', 'patch'] as const;
export type Bump = (typeof BUMPS)[number];

/** The policy's release types (Release Types: scheduled, hotfix, emergency). */
export const RELEASE_TYPES = ['scheduled', 'hotfix', 'emergency'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];
