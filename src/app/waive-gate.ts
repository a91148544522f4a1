import { errors } from '../errors/catalog.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { evaluateGates } from '../gates/evaluate-gates.js';
import { assertOpen } from '../gates/lifecycle.js';
import { waiverRefusal } from '../gates/count-waivers.js';
import { normalizePerson } from '../gates/roles.js';
import type { Gate, ReleaseRecord } from '../gates/types.js';
import type { Policy } from '../policy/schema.js';
import type { Store } from '../store/open-store.js';
import { mutateRelease } from '../store/releases.js';
import { componentOwners, type CodeownersSource } from './read-codeowners.js';
import { readGateEvidenceForDecision } from './gate-evidence.js';
import { findRelease } from './resolve-release.js';
import { assertThroughServer } from './require-server.js';
import { thenSettle } from './settle-approval.js';

/** `checklist.docs`, or `docs` when only one gate has that id. */
export function resolveGate(gates: readonly Gate[], name: string): Gate {
  const exact = gates.find((gate) => gate.id === name);
  if (exact) return exact;
  const bySuffix = gates.filter((gate) => gate.id.endsWith(`.${name}`));
  if (bySuffix.length === 1) return bySuffix[0] as Gate;
  if (bySuffix.length > 1) throw new ShipgateError('EGATE', `"${name}" names ${bySuffix.length} gates`, { category: 'usage', hint: `say which: ${bySuffix.map((gate) => gate.id).join(', ')}` });
  throw new ShipgateError('EGATE', `unknown gate "${name}"`, { category: 'not-found', hint: `gates of this release: ${gates.map((gate) => gate.id).join(', ')}` });
}

/**
 * Records a waiver for one failing evidence gate of the current candidate, by someone the policy lets
 * waive; a waiver that clears the last failing gate makes the release approved in the same transaction.
 */
export async function waiveGate(options: { store: Store; policy: Policy; codeowners: CodeownersSource; cwd: string; ref: string; gate: string; reason: string; actor: string; tokenId?: string | undefined }): Promise<{ release: ReleaseRecord; gate: Gate }> {
  const { store, policy } = options;
  const actor = normalizePerson(options.actor);
  assertThroughServer(policy, 'waivers', options.tokenId);
  const reason = options.reason.trim();
  if (reason === '') throw new ShipgateError('EUSAGE', 'a waiver needs a reason', { category: 'usage', hint: 'pass --reason "why this gate may be skipped"' });
  const found = await findRelease(store, options.ref);
  const owners = await componentOwners(options.cwd, policy, found.path, options.codeowners);
  const evidence = await readGateEvidenceForDecision({ cwd: options.cwd, policy, codeowners: options.codeowners, release: found });
  let gate: Gate | undefined;
  const { release } = await mutateRelease(store, found.id, (current, events, now) => {
    assertOpen(current, 'a waiver');
    // Gate ids depend only on the policy and the release, so an evaluation without evidence lists them.
    gate = resolveGate(evaluateGates({ policy, release: current, events, evidence: {}, owners, now }).gates, options.gate);
    if (!gate.waivable) throw errors.refused('EWAIVE', `${gate.id} is a sign-off by people and cannot be waived`, { hint: 'get the approval, or use an emergency release, which bypasses approvals and owes a post-mortem' });
    // The same rule `shipgate check` applies to every waiver in the log.
    const refusal = waiverRefusal(policy, current, actor, owners);
    if (refusal?.kind === 'not-allowed') throw new ShipgateError('EWAIVE', `${actor} may not waive gates`, { category: 'forbidden', hint: `the policy lets members of ${refusal.roles.join(', ')} waive (gates.waivers.roles)` });
    if (refusal?.kind === 'own-release') throw errors.refused('EWAIVE', `nobody waives gates of their own release: ${actor} created ${current.id}`, { hint: 'ask someone else who may waive' });
    return thenSettle(policy, evidence, current, events, now, { actor, tokenId: options.tokenId, events: [{ kind: 'waiver', gate: gate.id, reason, commit: current.commit }] });
  });
  return { release, gate: gate as Gate };
}

/** What `waive --json` prints and the server answers: the release and the id of the gate waived. */
export function waiverJson(result: { release: ReleaseRecord; gate: Gate }): { release: ReleaseRecord; gate: string } {
  return { release: result.release, gate: result.gate.id };
}
