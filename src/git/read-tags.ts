import { git } from './run-git.js';

export interface TagRef {
  readonly name: string;
  /** The commit the tag points at (peeled through annotated tags). */
  readonly commit: string;
  /** The commit's committer date, seconds since the epoch. */
  readonly date: number;
}

/** All tags, or only those reachable from `mergedInto`, in one `git for-each-ref`. */
export async function readTags(cwd: string, options: { mergedInto?: string } = {}): Promise<TagRef[]> {
  const args = ['for-each-ref', '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(committerdate:unix)%00%(*committerdate:unix)', ...(options.mergedInto ? [`--merged=${options.mergedInto}`] : []), 'refs/tags'];
  const { stdout } = await git(args, { cwd, okCodes: [] });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [name = '', object = '', peeled = '', date = '', peeledDate = ''] = line.split('\u0000');
      return { name, commit: peeled || object, date: Number(peeledDate || date) || 0 };
    });
}
