import type { ReleaseEvent, ReleaseRecord } from '../gates/types.js';
import type { Store } from '../store/open-store.js';
import { eventsOf, listReleases, type ReleasePage } from '../store/releases.js';
import { findRelease } from './resolve-release.js';

/** `release list`: the releases in the store, newest first, of one component or all; a page of them when asked. */
export function listReleaseRecords(store: Store, component?: string, page: ReleasePage = {}): Promise<ReleaseRecord[]> {
  return listReleases(store, { ...(component === undefined ? {} : { component }), ...page });
}

export interface ShownRelease {
  readonly release: ReleaseRecord;
  /** Its whole log, oldest first: every state change, approval, waiver and notice, who and when. */
  readonly events: readonly ReleaseEvent[];
}

/** `release show`: one release (by `component@version`, or a component's newest open one) and its log. */
export async function showRelease(store: Store, ref: string): Promise<ShownRelease> {
  const release = await findRelease(store, ref);
  return { release, events: await eventsOf(store, release) };
}
