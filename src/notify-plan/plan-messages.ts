import { DateTime } from 'luxon';
import { buildCalendar, type CalendarEvent } from '../calendar/build-calendar.js';
import { ownEntry } from '../gates/own-entry.js';
import type { ReleaseRecord } from '../gates/types.js';
import type { Notice, Policy } from '../policy/schema.js';
import { renderMessage, type MessageValues } from './message-template.js';
import { resolveChannel, type Target } from './resolve-channel.js';

/** One message of a release's communication plan: a step's action, rendered for the release. */
export interface PlannedMessage {
  /** The idempotency key of its delivery: one per release, step and channel. */
  readonly key: string;
  readonly release: string;
  readonly step: string;
  readonly stepTitle: string;
  /** The channel as the step's action writes it: #engineering, email:stakeholders, calendar… */
  readonly channel: string;
  /** The action's own words ("Post the upcoming release"). */
  readonly action: string;
  /** When the step is due, ISO 8601 with the train zone's offset. */
  readonly at: string;
  readonly target: Target;
  readonly subject: string;
  readonly text: string;
  readonly includesNotes: boolean;
  /** Why this release does not get it (the step is for other bump levels); null when it does. */
  readonly skip: string | null;
}

export function deliveryKey(release: string, step: string, channel: string): string {
  return `notify:${release}:${step}:${channel}`;
}

/** The train a release rides: its component kind's (or bundle's). */
export function releaseTrain(policy: Policy, release: Pick<ReleaseRecord, 'kind'>): string | undefined {
  return ownEntry(policy.components, release.kind)?.train ?? ownEntry(policy.bundles, release.kind)?.train;
}

/** The calendar event of the train date a scheduled release rides; undefined for on-demand releases. Pure. */
export function releaseEvent(policy: Policy, release: Pick<ReleaseRecord, 'kind' | 'trainDate'>): CalendarEvent | undefined {
  const train = releaseTrain(policy, release);
  if (release.trainDate === null || train === undefined) return undefined;
  const day = Date.parse(`${release.trainDate}T12:00:00Z`);
  if (Number.isNaN(day)) return undefined;
  const { events } = buildCalendar(policy, { from: new Date(day - 2 * 86_400_000), to: new Date(day + 2 * 86_400_000), trains: [train] });
  return events.find((event) => event.date === release.trainDate);
}

/**
 * The messages of a release's communication steps (all, or those named in `steps`), each action
 * rendered with the release's values. Pure: the calendar event and the notes text are given (notes
 * null: not available, e.g. no repository at hand).
 */
export function planMessages(policy: Policy, release: ReleaseRecord, options: { event: CalendarEvent; notes: string | null; steps?: readonly string[] }): PlannedMessage[] {
  const { event } = options;
  const messages: PlannedMessage[] = [];
  for (const step of policy.communication) {
    if (options.steps !== undefined && !options.steps.includes(step.id)) continue;
    const at = event.notices.find((notice) => notice.id === step.id)?.at ?? event.at;
    for (const action of step.actions) {
      const resolved = resolveChannel(policy, action.channel);
      const target: Target = 'target' in resolved ? resolved.target : { kind: 'none', why: `not sent: ${resolved.problem.message}` };
      const values = messageValues(policy, release, event, step, action.message, step.notes ? (options.notes ?? `Release notes: shipgate notes ${release.id}`) : '');
      messages.push({
        key: deliveryKey(release.id, step.id, action.channel),
        release: release.id,
        step: step.id,
        stepTitle: step.title,
        channel: action.channel,
        action: action.message,
        at,
        target,
        ...renderMessage(step, values),
        includesNotes: step.notes,
        skip: step.bumps === null || step.bumps.includes(release.bump) ? null : `only for ${step.bumps.join(', ')} releases`,
      });
    }
  }
  return messages;
}

function messageValues(policy: Policy, release: ReleaseRecord, event: CalendarEvent, step: Notice, message: string, notes: string): MessageValues {
  const local = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toFormat('yyyy-LL-dd HH:mm');
  return {
    release: release.id,
    component: release.component,
    version: release.version,
    tag: release.tag ?? '',
    type: release.type,
    bump: release.bump.toUpperCase(),
    train: ownEntry(policy.trains, event.train)?.title ?? event.train,
    date: event.date,
    time: event.time,
    timezone: event.timezone,
    freezeStart: local(event.freeze.start),
    freezeEnd: local(event.freeze.end),
    step: step.title,
    message,
    organization: policy.organization,
    notes: notes.trim(),
  };
}
