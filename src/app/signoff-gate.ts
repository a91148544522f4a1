import { ShipgateError } from '../errors/shipgate-error.js';
import { isMember, normalizePerson, roleEntries } from '../gates/roles.js';
import type { ReleaseRecord } from '../gates/types.js';
import { postReleaseItems } from '../policy/post-release-items.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { findRelease } from './resolve-release.js';
import { verificationStep } from './settle-approval.js';

/**
 * `shipgate signoff <release> <item>`: a person signs off a post-release item once the release runs
 * in production (by its role, where the item names one). The sign-off that completes the checklist
 * makes the release verified in the same transaction.
 */
export async function signoffGate(options: { store: Store; policy: Policy; ref: string; gate: string; comment?: string | undefined; actor: string; tokenId?: string | undefined }): Promise<{ release: ReleaseRecord; gate: string; recorded: boolean }> {
  const { store, policy } = options;
  const actor = normalizePerson(options.actor);
  const items = postReleaseItems(policy);
  const name = options.gate.replace(/^postRelease\./, '');
  const item = items.find((entry) => entry.id === name);
  if (item === undefined) throw new ShipgateError('EGATE', `unknown post-release item "${options.gate}"`, { category: 'not-found', hint: `post-release items: ${items.map((entry) => entry.id).join(', ') || 'none'}` });
  const gate = `postRelease.${item.id}`;
  const found = await findRelease(store, options.ref);
  let recorded = false;
  const { release } = await mutateRelease(store, found.id, (current, events, now) => {
    if (current.state !== 'production' && current.state !== 'verified') {
      throw new ShipgateError('ESTATE', `${current.id} is ${current.state}: post-release items are signed off once it runs in production`, { category: 'conflict', hint: `see where it is: shipgate release show ${current.id}` });
    }
    if (item.role !== null && !isMember(policy, item.role, actor, [])) {
      throw new ShipgateError('ESIGNOFF', `${actor} is not a member of ${item.role}, who signs off "${item.title}"`, { category: 'forbidden', hint: `members: ${roleEntries(policy, item.role, []).join(', ') || 'none'}` });
    }
    if (events.some((event) => event.data.kind === 'signoff' && event.data.gate === gate)) return null;
    recorded = true;
    const step = { actor, tokenId: options.tokenId, events: [{ kind: 'signoff' as const, gate, comment: options.comment ?? null }] };
    const after = { ...current, seq: current.seq + 1 };
    const log = [...events, { releaseId: current.id, seq: after.seq, at: now.toISOString(), actor, data: step.events[0] as (typeof step.events)[0] }];
    const verified = verificationStep(policy, after, log, now);
    return verified === null ? step : [step, verified];
  });
  return { release, gate, recorded };
}
