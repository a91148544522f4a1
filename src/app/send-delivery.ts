import { senderFor } from '../channels/senders.js';
import { redact } from '../channels/send-outcome.js';
import type { SendSettings } from '../channels/channel-sender.js';
import type { EventData } from '../gates/types.js';
import { getDelivery, settleSend, startSend, type Delivery } from '../store/deliveries.js';
import { mutateRelease } from '../store/releases.js';
import { SYSTEM_ACTOR } from './settle-approval.js';
import type { NotifyDeps } from './notify-deps.js';

export interface SendAttempt {
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly signal?: AbortSignal;
}

export interface Sent {
  readonly delivery: string;
  readonly state: 'sent' | 'uncertain';
  readonly detail: string | null;
}

/**
 * Sends one planned message, once from its receiver's view. The delivery row says "sending" (with
 * this attempt) before anything goes out, so an attempt that finds it still saying so knows an
 * earlier one died mid-send, and the message may have arrived:
 * - a channel that carries the delivery id where the receiver can see it (a webhook's
 *   X-Shipgate-Delivery, an email's Message-ID) sends it again with the same id; a receiver that
 *   keeps the ids it has seen drops the repeat;
 * - a Slack webhook cannot be told a repeat, so the message is not sent again: it is "uncertain" in
 *   the release's history for a person to check.
 * A failure the receiver reported (an error status, no connection) is retried with the job's backoff.
 * Every outcome is an event in the release's history. Throws to fail the attempt.
 */
export async function sendDelivery(deps: NotifyDeps, id: string, attempt: SendAttempt): Promise<Sent> {
  const delivery = await getDelivery(deps.store, id);
  if (delivery === undefined) throw new Error(`there is no delivery ${id}`);
  const sender = senderFor(delivery.target);
  const settings: SendSettings = {
    env: deps.env,
    timeoutMs: deps.policy.notify.timeoutSeconds * 1000,
    email: deps.policy.notify.email,
    ...(attempt.signal ? { signal: attempt.signal } : {}),
  };
  const secrets = sender.secrets(delivery.target, settings);
  if (delivery.state === 'sent' || delivery.state === 'uncertain') {
    // Settled by an attempt that died before its event was written, or before the job was done.
    await recordOutcome(deps, delivery, { outcome: delivery.state, attempt: delivery.jobAttempt, retry: false, detail: delivery.lastError });
    return { delivery: id, state: delivery.state, detail: delivery.lastError };
  }
  if (delivery.state === 'sending' && !sender.dedupes) {
    const detail = `attempt ${delivery.jobAttempt} stopped while sending, so it may have arrived; ${delivery.channel} cannot tell a repeat, so it is not sent again: check there`;
    await settleSend(deps.store, id, delivery.jobAttempt, { state: 'uncertain', error: detail });
    await recordOutcome(deps, delivery, { outcome: 'uncertain', attempt: delivery.jobAttempt, retry: false, detail });
    return { delivery: id, state: 'uncertain', detail };
  }
  const started = await startSend(deps.store, id, attempt.attempt);
  if (started === null) {
    const now = await getDelivery(deps.store, id);
    if (now?.state === 'sent' || now?.state === 'uncertain') return { delivery: id, state: now.state, detail: now.lastError };
    throw new Error(`attempt ${attempt.attempt} may not send delivery ${id}: a later attempt holds it`);
  }
  const outcome = await sender.send(delivery.target, { delivery: id, release: releaseOf(delivery), step: delivery.step, channel: delivery.channel, subject: delivery.subject, text: delivery.body, dueAt: delivery.dueAt }, settings);
  const detail = outcome.detail === null ? null : redact(outcome.detail, secrets);
  if (outcome.ok) {
    await settleSend(deps.store, id, attempt.attempt, { state: 'sent', error: null });
    await recordOutcome(deps, delivery, { outcome: 'sent', attempt: attempt.attempt, retry: false, detail });
    return { delivery: id, state: 'sent', detail };
  }
  if (outcome.uncertain && !sender.dedupes) {
    const why = `${detail}; ${delivery.channel} cannot tell a repeat, so it is not sent again: check there`;
    await settleSend(deps.store, id, attempt.attempt, { state: 'uncertain', error: why });
    await recordOutcome(deps, delivery, { outcome: 'uncertain', attempt: attempt.attempt, retry: false, detail: why });
    return { delivery: id, state: 'uncertain', detail: why };
  }
  const retry = attempt.attempt < attempt.maxAttempts;
  await settleSend(deps.store, id, attempt.attempt, { state: 'failed', error: detail });
  await recordOutcome(deps, delivery, { outcome: 'failed', attempt: attempt.attempt, retry, detail });
  throw new Error(detail ?? 'the send failed');
}

function releaseOf(delivery: Delivery): { id: string; component: string; version: string } {
  const at = delivery.releaseId.lastIndexOf('@');
  return { id: delivery.releaseId, component: delivery.releaseId.slice(0, at), version: delivery.releaseId.slice(at + 1) };
}

/** Appends the outcome to the release's history once: an attempt run again finds it there. */
async function recordOutcome(deps: NotifyDeps, delivery: Delivery, result: { outcome: 'sent' | 'failed' | 'uncertain'; attempt: number; retry: boolean; detail: string | null }): Promise<void> {
  const data: EventData = { kind: 'message', step: delivery.step, channel: delivery.channel, delivery: delivery.id, ...result };
  await mutateRelease(deps.store, delivery.releaseId, (_release, events) => {
    const recorded = events.some((event) => event.data.kind === 'message' && event.data.delivery === delivery.id && event.data.attempt === result.attempt && event.data.outcome === result.outcome);
    return recorded ? null : { actor: SYSTEM_ACTOR, events: [data] };
  });
}
