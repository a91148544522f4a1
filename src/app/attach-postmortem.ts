import { ShipgateError } from '../errors/shipgate-error.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { readGateEvidenceForDecision } from './gate-evidence.js';
import type { CodeownersSource } from './read-codeowners.js';
import { findRelease } from './resolve-release.js';
import { thenSettle } from './settle-approval.js';

/** Attaches the post-mortem link (any state: post-mortems are written after the release shipped). */
export async function attachPostmortem(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; url: string; actor: string; tokenId?: string | undefined }): Promise<ReleaseRecord> {
  const { store, policy } = options;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ShipgateError('EUSAGE', `"${options.url}" is not a URL`, { category: 'usage', hint: 'pass the link to the post-mortem document, e.g. https://wiki.example.com/pm/123' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ShipgateError('EUSAGE', `"${options.url}" is not an http(s) link`, { category: 'usage', hint: 'pass the link to the post-mortem document' });
  const found = await findRelease(store, options.ref);
  const evidence = await readGateEvidenceForDecision({ cwd: options.cwd, policy, codeowners: options.codeowners, release: found });
  const { release } = await mutateRelease(store, found.id, (current, events, now) =>
    thenSettle(policy, evidence, current, events, now, { actor: options.actor, tokenId: options.tokenId, events: [{ kind: 'postmortem', url: url.href }], patch: { postmortemUrl: url.href } }),
  );
  return release;
}
