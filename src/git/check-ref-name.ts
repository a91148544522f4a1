import { ShipgateError } from '../errors/shipgate-error.js';
import { git } from './run-git.js';

export interface RefName {
  readonly name: string;
  /** Where the name came from, for the message: the policy template that rendered it. */
  readonly template: string;
}

/**
 * Refuses tag or branch names shipgate is about to create that git would not accept, or that read as
 * an option: a template rendered with a directory named `--output=x` must not become a tag that a
 * later `git diff <tag>..` takes for an option. git's own rules decide (`git check-ref-format`); a
 * leading `-` is refused too, which git allows in refs/tags/ but no command line can name safely.
 */
export async function assertRefNames(cwd: string, kind: 'tag' | 'branch', names: readonly RefName[]): Promise<void> {
  const prefix = kind === 'tag' ? 'refs/tags/' : 'refs/heads/';
  const verdicts = await Promise.all(
    names.map(async ({ name }) => name.startsWith('-') || (await git(['check-ref-format', `${prefix}${name}`], { cwd, okCodes: [1] })).code !== 0),
  );
  const bad = names.find((_, index) => verdicts[index]);
  if (bad === undefined) return;
  throw new ShipgateError('EREFNAME', `"${bad.name}" (from the template "${bad.template}") is not a usable git ${kind} name`, {
    category: 'input',
    hint: 'a name may not start with "-" or hold spaces, "..", "~", "^", ":", "?", "*", "[" or "\\"; fix the template in the policy or rename the component\'s directory; nothing was changed',
  });
}
