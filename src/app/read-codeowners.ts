import { ownersOf, parseCodeowners } from '../gates/codeowners.js';
import { readInside } from '../fs/inside-repo.js';
import type { Policy } from '../policy/schema.js';
import { readCommittedFile } from './read-committed.js';

/**
 * Where CODEOWNERS is read: as committed at a commit (main's, for every decision that counts), or
 * from the working tree (only for a preview of a policy that is not main's).
 */
export type CodeownersSource = { readonly at: string } | 'working-tree';

/** The CODEOWNERS owners of a component directory, from the first CODEOWNERS file the policy lists that exists. */
export async function componentOwners(cwd: string, policy: Policy, componentPath: string, source: CodeownersSource): Promise<readonly string[]> {
  const text = source === 'working-tree' ? await workingTreeCodeowners(cwd, policy) : (await readCommittedFile(cwd, source.at, policy.gates.codeowners, 'CODEOWNERS file'))?.text;
  return text === undefined ? [] : ownersOf(parseCodeowners(text), componentPath, true);
}

async function workingTreeCodeowners(cwd: string, policy: Policy): Promise<string | undefined> {
  for (const candidate of policy.gates.codeowners) {
    // Owners are printed in hints and decide who may approve: a CODEOWNERS outside the repository is refused.
    const text = await readInside(cwd, candidate, 'CODEOWNERS file').catch((cause: unknown) => {
      if ((cause as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw cause;
    });
    if (text !== undefined) return text;
  }
  return undefined;
}
