import { findJob } from '../jobs/job-store.js';
import type { ReleaseRecord } from '../gates/types.js';
import { planMessages, releaseEvent, releaseTrain } from '../notify-plan/plan-messages.js';
import { describeTarget, isSending } from '../notify-plan/resolve-channel.js';
import type { Policy } from '../policy/schema.js';
import { listDeliveries, type DeliveryState } from '../store/deliveries.js';
import type { Store } from '../store/open-store.js';
import { findRelease } from './resolve-release.js';

/**
 * scheduled: due later; due: its step is due and waits for the job runner; missed: its step came and
 * went before any runner planted it; skipped: this release does not get it (bump level, not shipped);
 * not sent: shipgate does not send on this channel (the calendar feed, a person's step).
 */
export type PreviewState = DeliveryState | 'scheduled' | 'due' | 'missed' | 'skipped' | 'not sent';

export interface PreviewMessage {
  readonly step: string;
  readonly title: string;
  readonly at: string;
  readonly channel: string;
  /** slack, email, webhook, calendar or none. */
  readonly via: string;
  /** Who it reaches, safe to print: addresses, channel names and the names of the variables with the secrets. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly state: PreviewState;
  /** Why it is skipped or not sent, or how its last try ended. */
  readonly why: string | null;
  readonly delivery: string | null;
  readonly attempts: number;
}

export interface NotifyPreview {
  readonly release: string;
  readonly train: string | null;
  readonly date: string | null;
  readonly messages: readonly PreviewMessage[];
  /** Said when the release gets no messages at all. */
  readonly note: string | null;
}

/** `notify preview`: every message of the release's communication plan, when, to whom, and how far it got. */
export async function previewNotify(options: { store: Store; policy: Policy; ref: string; now: Date; notes?: (release: ReleaseRecord) => Promise<string | null> }): Promise<NotifyPreview> {
  const { store, policy, now } = options;
  const release = await findRelease(store, options.ref);
  const train = releaseTrain(policy, release) ?? null;
  const event = releaseEvent(policy, release);
  if (event === undefined) {
    const note = release.trainDate === null ? `${release.id} is a ${release.type} release: it rides no train, so the communication plan sends nothing for it` : `${release.id} rides no train date the calendar knows (${release.trainDate})`;
    return { release: release.id, train, date: release.trainDate, messages: [], note };
  }
  const wantsNotes = policy.communication.some((step) => step.notes);
  const notes = wantsNotes && options.notes ? await options.notes(release) : null;
  const deliveries = new Map((await listDeliveries(store, release.id)).map((delivery) => [delivery.key, delivery]));
  const messages: PreviewMessage[] = [];
  for (const message of planMessages(policy, release, { event, notes })) {
    const { via, to } = describeTarget(message.channel, message.target);
    const delivery = deliveries.get(message.key);
    const base = { step: message.step, title: message.stepTitle, at: message.at, channel: message.channel, via, to, subject: message.subject, text: message.text };
    if (delivery !== undefined) {
      messages.push({ ...base, subject: delivery.subject, text: delivery.body, state: delivery.state, why: delivery.lastError, delivery: delivery.id, attempts: delivery.attempts });
      continue;
    }
    let state: PreviewState;
    let why: string | null = null;
    if (!isSending(message.target)) [state, why] = ['not sent', message.target.kind === 'none' ? message.target.why : 'the calendar feed carries the release; nothing is sent'];
    else if (message.skip !== null) [state, why] = ['skipped', message.skip];
    else if (Date.parse(message.at) > now.getTime()) state = 'scheduled';
    else {
      const job = await findJob(store, `timeline:${event.train}:${event.date}:communication:${message.step}`);
      if (job === undefined) [state, why] = ['missed', 'its time passed before a job runner planted the step'];
      else if (job.state === 'due' || job.state === 'running') state = 'due';
      else [state, why] = ['skipped', job.state === 'dead' ? `the step failed: ${job.lastError ?? ''}` : 'the step ran without a message for this release'];
    }
    messages.push({ ...base, state, why, delivery: null, attempts: 0 });
  }
  messages.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { release: release.id, train, date: event.date, messages, note: null };
}
