import { buildCalendar, type CalendarEvent } from '../calendar/build-calendar.js';
import type { Policy } from '../policy/schema.js';

export interface TrainFreeze {
  readonly train: string;
  readonly title: string;
  readonly frozen: boolean;
  /** While frozen: the release the freeze protects (its freeze.end is when merging reopens). */
  readonly release: CalendarEvent | null;
  /** While open: the next freeze. */
  readonly next: CalendarEvent | null;
}

const LOOK_BEHIND_DAYS = 60;
const LOOK_AHEAD_DAYS = 400;

/** Which trains are frozen at `at`, until when, and when each next freezes. Pure. */
export function freezeStatus(policy: Policy, at: Date, trains?: readonly string[]): TrainFreeze[] {
  const now = at.getTime();
  const { events } = buildCalendar(policy, {
    from: new Date(now - LOOK_BEHIND_DAYS * 86_400_000),
    to: new Date(now + LOOK_AHEAD_DAYS * 86_400_000),
    ...(trains === undefined ? {} : { trains }),
  });
  return Object.entries(policy.trains)
    .filter(([name, train]) => train.enabled && (trains === undefined || trains.length === 0 || trains.includes(name)))
    .map(([name, train]) => {
      const own = events.filter((event) => event.train === name);
      const current = own.find((event) => Date.parse(event.freeze.start) <= now && now < Date.parse(event.freeze.end)) ?? null;
      const next = current ? null : (own.find((event) => Date.parse(event.freeze.start) > now) ?? null);
      return { train: name, title: train.title, frozen: current !== null, release: current, next };
    });
}
