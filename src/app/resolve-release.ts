import { ShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Store } from '../store/open-store.js';
import { getRelease, listReleases, releaseId, unknownRelease } from '../store/releases.js';
import { CLOSED_STATES } from '../gates/types.js';

/** `billing@2.1.0` or `billing` (its newest open release); the last `@` splits, so `@scope/pkg@1.0.0` works. */
export function parseReleaseRef(ref: string): { component: string; version: string | undefined } {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return { component: ref, version: undefined };
  const version = ref.slice(at + 1);
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version)) {
    throw new ShipgateError('EUSAGE', `"${ref}" does not name a release`, { category: 'usage', hint: 'use <component>@<version>, e.g. billing@2.1.0' });
  }
  return { component: ref.slice(0, at), version };
}

export async function findRelease(store: Store, ref: string): Promise<ReleaseRecord> {
  const { component, version } = parseReleaseRef(ref);
  if (version !== undefined) {
    const release = await getRelease(store, releaseId(component, version));
    if (!release) throw unknownRelease(releaseId(component, version));
    return release;
  }
  const releases = await listReleases(store, { component });
  const release = releases.find((candidate) => !CLOSED_STATES.includes(candidate.state)) ?? releases[0];
  if (!release) throw unknownRelease(component);
  return release;
}
