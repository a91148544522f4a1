import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCodeowners, ownersOf } from '../gates/codeowners.js';
import type { Policy } from '../policy/schema.js';

/** The CODEOWNERS owners of a component directory, from the first CODEOWNERS file the policy lists that exists. */
export async function componentOwners(cwd: string, policy: Policy, componentPath: string): Promise<readonly string[]> {
  for (const candidate of policy.gates.codeowners) {
    let text: string;
    try {
      text = await readFile(path.join(cwd, candidate), 'utf8');
    } catch {
      continue;
    }
    return ownersOf(parseCodeowners(text), componentPath, true);
  }
  return [];
}
