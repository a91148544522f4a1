import { ShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { findRelease } from './resolve-release.js';

/** Attaches the post-mortem link (any state: post-mortems are written after the release shipped). */
export async function attachPostmortem(options: { store: Store; ref: string; url: string; actor: string; now: Date }): Promise<ReleaseRecord> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ShipgateError('EUSAGE', `"${options.url}" is not a URL`, { category: 'usage', hint: 'pass the link to the post-mortem document, e.g. https://wiki.example.com/pm/123' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ShipgateError('EUSAGE', `"${options.url}" is not an http(s) link`, { category: 'usage', hint: 'pass the link to the post-mortem document' });
  const found = await findRelease(options.store, options.ref);
  const { release } = await mutateRelease(options.store, found.id, () => ({
    actor: options.actor,
    at: options.now.toISOString(),
    events: [{ kind: 'postmortem', url: url.href }],
    patch: { postmortemUrl: url.href },
  }));
  return release;
}
