import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from '../git/run-git.js';
import type { Policy } from '../policy/schema.js';

/**
 * Who is running the command: the git identity (user.email) of the repository, or `--as` where the
 * policy allows it. People are identified by email; the server issue adds tokens.
 */
export async function identifyCaller(options: { cwd: string; policy: Policy; as?: string | undefined }): Promise<string> {
  if (options.as !== undefined) {
    if (!options.policy.identity.allowAs) {
      throw new ShipgateError('EIDENTITY', '--as is not allowed by the policy', { category: 'forbidden', hint: 'set identity.allowAs: true in the policy, or run as yourself (git config user.email)' });
    }
    if (!/^[^\s@]+@[^\s@]+$/.test(options.as.trim())) throw new ShipgateError('EIDENTITY', `--as "${options.as}" is not an email address`, { category: 'usage', hint: 'pass the email the policy and CODEOWNERS know the person by' });
    return options.as.trim().toLowerCase();
  }
  const { stdout } = await git(['config', 'user.email'], { cwd: options.cwd, okCodes: [1] });
  const email = stdout.trim();
  if (email === '') throw new ShipgateError('EIDENTITY', 'no git identity: user.email is not set', { category: 'unauthorized', hint: 'run `git config user.email you@example.com`' });
  return email.toLowerCase();
}
