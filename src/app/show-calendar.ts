import { buildCalendar, type CalendarEvent, type Calendar } from '../calendar/build-calendar.js';
import { parseTime } from '../calendar/parse-time.js';
import { errors } from '../errors/catalog.js';
import { freezeStatus, type TrainFreeze } from '../freeze/freeze-status.js';
import type { Policy } from '../policy/schema.js';

const DEFAULT_DAYS = 90;

export interface ShownCalendar {
  readonly from: Date;
  readonly to: Date;
  readonly result: Calendar;
  /** The versions the trains' next releases carry, from the repository's plan (empty when not asked for). */
  readonly versions: ReadonlyMap<CalendarEvent, string>;
}

/** The trains named, each checked against the policy. */
export function checkTrains(policy: Policy, trains: readonly string[] | undefined): string[] {
  for (const train of trains ?? []) if (!Object.hasOwn(policy.trains, train)) throw errors.unknownTrain(train, Object.keys(policy.trains));
  return [...(trains ?? [])];
}

/**
 * `calendar`: the trains' releases from `from` (default now) to `to` (default 90 days later), as the
 * person wrote them (`what` names the flag or parameter in messages), with the next releases' versions.
 */
export async function showCalendar(options: {
  cwd: string;
  policy: Policy;
  from?: string | undefined;
  to?: string | undefined;
  trains?: readonly string[] | undefined;
  versions: boolean;
  now: Date;
  what?: { from: string; to: string };
}): Promise<ShownCalendar> {
  const { policy, now } = options;
  const what = options.what ?? { from: '--from', to: '--to' };
  const from = options.from === undefined ? now : parseTime(options.from, what.from, policy.timezone, now);
  const to = options.to === undefined ? new Date(from.getTime() + DEFAULT_DAYS * 86_400_000) : parseTime(options.to, what.to, policy.timezone, now, { endOfDay: true });
  if (to < from) throw errors.badOption(`${what.to} (${options.to}) is before ${what.from} (${options.from ?? 'now'})`);
  const result = buildCalendar(policy, { from, to, trains: checkTrains(policy, options.trains) });
  const versions = options.versions ? await (await import('./calendar-versions.js')).plannedVersions(options.cwd, policy, result.events, now) : new Map<CalendarEvent, string>();
  return { from, to, result, versions };
}

/** What `calendar --json` prints and the server answers. */
export function calendarJson(shown: ShownCalendar) {
  const events = shown.result.events.map((event) => ({ ...event, version: shown.versions.get(event) ?? null }));
  return { from: shown.from.toISOString(), to: shown.to.toISOString(), events, skipped: shown.result.skipped };
}

/** What `freeze status --json` prints and the server answers: which trains are frozen at `at`. */
export function freezeJson(policy: Policy, at: Date, trains: readonly string[] | undefined): { at: string; trains: TrainFreeze[] } {
  return { at: at.toISOString(), trains: freezeStatus(policy, at, checkTrains(policy, trains)) };
}
