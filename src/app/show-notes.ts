import { errors } from '../errors/catalog.js';
import type { ReleaseNotes } from '../notes/types.js';
import type { Policy } from '../policy/schema.js';
import { releaseNotes } from './release-notes.js';

/**
 * `notes`: the notes of a component's or bundle's next release, or of a past one (`billing@2.1.0`),
 * dated `date` (YYYY-MM-DD) when given instead of the tag's date (or today for the next release).
 */
export async function showNotes(options: { cwd: string; policy: Policy; target: string; date?: string | undefined; now: Date }): Promise<ReleaseNotes> {
  const { date } = options;
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw errors.badDate(date, '--date');
  const [name = '', version] = options.target.split('@');
  const notes = await releaseNotes({ cwd: options.cwd, policy: options.policy, name, ...(version ? { version } : {}), now: options.now });
  return date === undefined ? notes : { ...notes, date, members: notes.members.map((member) => ({ ...member, date })) };
}
