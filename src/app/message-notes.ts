import { isShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord } from '../gates/types.js';
import { renderNotesMarkdown } from '../notes/render-markdown.js';
import type { Policy } from '../policy/schema.js';
import { showNotes } from './show-notes.js';

/**
 * The release notes a message carries, from the repository at `cwd` (as `shipgate notes` makes them).
 * Dated the release's train date when it rides one (not the day the job happens to run). Null when
 * they cannot be made (no such tag, nothing to release any more): the message then points at the
 * notes instead of failing the step.
 */
export function notesFromRepository(options: { cwd: string; policy: Policy; now: () => Date }): (release: ReleaseRecord) => Promise<string | null> {
  return async (release) => {
    try {
      const notes = await showNotes({ cwd: options.cwd, policy: options.policy, target: `${release.component}@${release.version}`, date: release.trainDate ?? undefined, now: options.now() });
      return renderNotesMarkdown(options.policy, notes, 1).trim();
    } catch (error) {
      if (isShipgateError(error)) return null;
      throw error;
    }
  };
}
