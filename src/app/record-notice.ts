import { assertOpen } from '../gates/lifecycle.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { findRelease } from './resolve-release.js';

/**
 * Records that the release was announced; the MAJOR (30-day) and MINOR (7-day) notice periods are
 * counted from the first such event. The time is the store's clock of record, never a given date,
 * so a notice cannot be backdated.
 */
export async function recordNotice(options: { store: Store; ref: string; comment?: string | undefined; actor: string; now: Date }): Promise<{ release: ReleaseRecord; first: boolean }> {
  const found = await findRelease(options.store, options.ref);
  let first = true;
  const { release } = await mutateRelease(options.store, found.id, (current, events) => {
    assertOpen(current, 'a notice');
    first = !events.some((event) => event.data.kind === 'notice');
    return { actor: options.actor, at: options.now.toISOString(), events: [{ kind: 'notice', comment: options.comment ?? null }] };
  });
  return { release, first };
}
