import { ownersOf, parseCodeowners } from '../gates/codeowners.js';
import { readInside } from '../fs/inside-repo.js';
import type { Policy } from '../policy/schema.js';

/** The CODEOWNERS owners of a component directory, from the first CODEOWNERS file the policy lists that exists. */
export async function componentOwners(cwd: string, policy: Policy, componentPath: string): Promise<readonly string[]> {
  for (const candidate of policy.gates.codeowners) {
    // Owners are printed in hints and decide who may approve: a CODEOWNERS outside the repository is refused.
    const text = await readInside(cwd, candidate, 'CODEOWNERS file').catch((cause: unknown) => {
      if ((cause as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw cause;
    });
    if (text !== undefined) return ownersOf(parseCodeowners(text), componentPath, true);
  }
  return [];
}
