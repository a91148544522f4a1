import { buildCalendar } from '../calendar/build-calendar.js';
import { parseDuration } from '../policy/duration.js';
import type { Bump, Policy } from '../policy/schema.js';

/** One moment of a train's release that the policy schedules: its freeze starting or ending, a communication step. */
export interface TimelineStep {
  /** The idempotency key: timeline:<train>:<release date>:<step>. */
  readonly key: string;
  readonly train: string;
  /** The release's local date in the train's zone, after any blackout moved it. */
  readonly releaseDate: string;
  /** The release instant, ISO 8601 with the train zone's offset. */
  readonly releaseAt: string;
  /** freeze-start, freeze-end, or communication:<id of the policy's communication step>. */
  readonly step: string;
  readonly title: string;
  /** When the step is due, ISO 8601 with the train zone's offset. */
  readonly at: string;
  readonly timezone: string;
  /** For a communication step: the bump levels it is for (null: all); the release decides when it runs. */
  readonly bumps: readonly Bump[] | null;
}

export const DEFAULT_TIMELINE_WINDOW_MS = 30 * 86_400_000;

const DAY_MS = 86_400_000;

/**
 * The timeline steps of every enabled train's releases that fall in [now, now + windowMs), earliest
 * first. Pure: the calendar decides the times (blackouts, time zones, DST), this only lists them.
 */
export function timelineSteps(policy: Policy, options: { now: Date; windowMs?: number }): TimelineStep[] {
  const from = options.now.getTime();
  const to = from + (options.windowMs ?? DEFAULT_TIMELINE_WINDOW_MS);
  // A step can come well before its release (a notice, the freeze) or after it (the production
  // deploy ends a freeze, "after-release"): ask the calendar for every release those can reach.
  const lead = Math.max(0, toMs(policy.freeze.before), ...policy.communication.map((step) => (step.at.startsWith('-') ? toMs(step.at) : 0)));
  const lag = Object.values(policy.environments).reduce((sum, environment) => sum + (environment.soak === null ? 0 : toMs(environment.soak)), 0);
  const { events } = buildCalendar(policy, { from: new Date(from - lag - DAY_MS), to: new Date(to + lead + DAY_MS) });
  const bumpsOf = new Map(policy.communication.map((step) => [step.id, step.bumps]));
  const steps: TimelineStep[] = [];
  for (const event of events) {
    const release = { train: event.train, releaseDate: event.date, releaseAt: event.at, timezone: event.timezone };
    const title = policy.trains[event.train]?.title ?? event.train;
    const candidates = [
      { step: 'freeze-start', title: `${title} release code freeze starts`, at: event.freeze.start, bumps: null },
      { step: 'freeze-end', title: `${title} release code freeze ends`, at: event.freeze.end, bumps: null },
      ...event.notices.map((notice) => ({ step: `communication:${notice.id}`, title: notice.title, at: notice.at, bumps: bumpsOf.get(notice.id) ?? null })),
    ];
    for (const candidate of candidates) {
      const at = Date.parse(candidate.at);
      if (at < from || at >= to) continue;
      steps.push({ key: `timeline:${event.train}:${event.date}:${candidate.step}`, ...release, ...candidate });
    }
  }
  return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.key.localeCompare(b.key));
}

function toMs(duration: string): number {
  return parseDuration(duration).as('milliseconds');
}
