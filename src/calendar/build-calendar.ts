import { DateTime } from 'luxon';
import { parseDuration } from '../policy/duration.js';
import type { Blackout, Policy, Train } from '../policy/schema.js';
import {
  expandRule,
  formatLocalDate,
  fromDayNumber,
  parseLocalDate,
  parseRrule,
  toDayNumber,
  type LocalDate,
} from './rrule.js';

export interface CalendarEvent {
  readonly train: string;
  /** "Module Release", as the policy's calendar names it. */
  readonly title: string;
  /** Local date and wall-clock time in the train's zone. */
  readonly date: string;
  readonly time: string;
  readonly timezone: string;
  /** The release instant (ISO 8601 with the zone's offset): the release is cut and goes to staging. */
  readonly at: string;
  readonly freeze: { readonly start: string; readonly end: string };
  readonly notices: readonly { readonly id: string; readonly title: string; readonly at: string }[];
  readonly deployments: readonly { readonly environment: string; readonly at: string }[];
  /** Set when a blackout moved the release from its train date. */
  readonly shiftedFrom: { readonly date: string; readonly blackout: string } | null;
}

export interface SkippedRelease {
  readonly train: string;
  readonly date: string;
  readonly blackout: string;
}

export interface Calendar {
  readonly events: readonly CalendarEvent[];
  readonly skipped: readonly SkippedRelease[];
}

export interface CalendarQuery {
  readonly from: Date;
  readonly to: Date;
  /** Only these trains; all enabled trains when empty. */
  readonly trains?: readonly string[];
}

/** Every release event of the policy's trains whose release instant lies in [from, to]. Pure. */
export function buildCalendar(policy: Policy, query: CalendarQuery): Calendar {
  const events: CalendarEvent[] = [];
  const skipped: SkippedRelease[] = [];
  const wanted = query.trains && query.trains.length > 0 ? new Set(query.trains) : undefined;
  for (const [name, train] of Object.entries(policy.trains)) {
    if (!train.enabled || (wanted && !wanted.has(name))) continue;
    const result = trainReleases(policy, name, train, query.from, query.to);
    events.push(...result.events);
    skipped.push(...result.skipped);
  }
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.train.localeCompare(b.train));
  skipped.sort((a, b) => a.date.localeCompare(b.date));
  return { events, skipped };
}

export function trainZone(policy: Policy, train: Train): string {
  return train.timezone ?? policy.timezone;
}

/** Train dates as the cadence gives them, before blackouts, between two local dates. */
export function cadenceDates(train: Train, first: LocalDate, last: LocalDate): LocalDate[] {
  const rule = parseRrule(train.cadence.rrule);
  if (!rule.ok) throw new Error(`invalid RRULE reached the calendar: ${rule.error}`);
  const start = parseLocalDate(train.cadence.start.slice(0, 10));
  if (!start) throw new Error(`invalid cadence start reached the calendar: ${train.cadence.start}`);
  const from = toDayNumber(first) > toDayNumber(start) ? first : start;
  // expandRule counts COUNT from the rule's own start, so it may give dates before `from`: drop them.
  const dates: LocalDate[] = [];
  for (const date of expandRule(rule.rule, start, last, from)) if (toDayNumber(date) >= toDayNumber(from)) dates.push(date);
  return dates;
}

function trainReleases(policy: Policy, name: string, train: Train, from: Date, to: Date): Calendar {
  const zone = trainZone(policy, train);
  const blackouts = policy.blackouts.filter((b) => b.trains === null || b.trains.includes(name));
  // Blackouts can move a release by their length, so look that far beyond both ends of the range.
  const margin = 7 + Math.max(0, ...blackouts.map((b) => dayOf(b.to) - dayOf(b.from) + 7));
  const first = fromDayNumber(toDayNumber(localDateIn(from, zone)) - margin);
  const last = fromDayNumber(toDayNumber(localDateIn(to, zone)) + margin);
  const time = train.cadence.start.slice(11, 16);
  const events: CalendarEvent[] = [];
  const skipped: SkippedRelease[] = [];
  const taken = new Set<number>();
  for (const date of cadenceDates(train, first, last)) {
    const placed = applyBlackouts(date, blackouts);
    if (placed.skippedBy) {
      skipped.push({ train: name, date: formatLocalDate(date), blackout: placed.skippedBy });
      continue;
    }
    const day = toDayNumber(placed.date);
    if (taken.has(day)) continue;
    taken.add(day);
    const event = releaseEvent(policy, name, train, placed.date, time, zone, placed.shiftedBy ? { date: formatLocalDate(date), blackout: placed.shiftedBy } : null);
    const instant = Date.parse(event.at);
    if (instant >= from.getTime() && instant <= to.getTime()) events.push(event);
  }
  const inRange = skipped.filter((s) => {
    const instant = wallClock(parseLocalDate(s.date) as LocalDate, time, zone).toMillis();
    return instant >= from.getTime() && instant <= to.getTime();
  });
  return { events, skipped: inRange };
}

function applyBlackouts(date: LocalDate, blackouts: readonly Blackout[]): { date: LocalDate; skippedBy?: string; shiftedBy?: string } {
  let day = toDayNumber(date);
  let shiftedBy: string | undefined;
  // A shift can land in another blackout; follow the chain, bounded by the number of blackouts.
  for (let hop = 0; hop <= blackouts.length; hop += 1) {
    const blackout = blackouts.find((b) => day >= dayOf(b.from) && day <= dayOf(b.to));
    if (!blackout) return shiftedBy ? { date: fromDayNumber(day), shiftedBy } : { date: fromDayNumber(day) };
    if (blackout.action === 'skip') return { date, skippedBy: blackout.name };
    // Move by whole weeks so the release keeps its weekday (a Tuesday train stays on Tuesdays).
    const weeks = blackout.action === 'next' ? Math.floor((dayOf(blackout.to) - day) / 7) + 1 : -(Math.floor((day - dayOf(blackout.from)) / 7) + 1);
    day += weeks * 7;
    shiftedBy = blackout.name;
  }
  return { date, skippedBy: shiftedBy ?? 'blackout' };
}

function releaseEvent(policy: Policy, name: string, train: Train, date: LocalDate, time: string, zone: string, shiftedFrom: CalendarEvent['shiftedFrom']): CalendarEvent {
  const release = wallClock(date, time, zone);
  const deployments = deploymentTimes(policy, release);
  const production = deployments.find((d) => d.environment === 'production')?.at ?? deployments.at(-1)?.at ?? release;
  const freezeEnd = policy.freeze.until === 'production' ? production : release;
  const notices = policy.communication.map((notice) => {
    const at = notice.at === 'release' ? release : notice.at === 'after-release' ? production : release.minus(parseDuration(notice.at));
    return { id: notice.id, title: notice.title, at: iso(at) };
  });
  return {
    train: name,
    title: `${train.title} Release`,
    date: formatLocalDate(date),
    time,
    timezone: zone,
    at: iso(release),
    freeze: { start: iso(release.minus(parseDuration(policy.freeze.before))), end: iso(freezeEnd) },
    notices,
    deployments: deployments.map((d) => ({ environment: d.environment, at: iso(d.at) })),
    shiftedFrom,
  };
}

/** Each environment's deploy time: the first at the release, each later one its soak after the one before. */
function deploymentTimes(policy: Policy, release: DateTime): { environment: string; at: DateTime }[] {
  const result: { environment: string; at: DateTime }[] = [];
  const placed = new Map<string, DateTime>();
  const pending = Object.entries(policy.environments);
  for (let round = 0; round < pending.length; round += 1) {
    for (const [name, environment] of pending) {
      if (placed.has(name)) continue;
      const before = environment.after === null ? release : placed.get(environment.after);
      if (!before) continue;
      const at = environment.soak === null || environment.after === null ? before : before.plus(parseDuration(environment.soak));
      placed.set(name, at);
      result.push({ environment: name, at });
    }
  }
  return result;
}

export function wallClock(date: LocalDate, time: string, zone: string): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.fromObject({ ...date, hour: hour ?? 0, minute: minute ?? 0 }, { zone });
}

export function localDateIn(instant: Date, zone: string): LocalDate {
  const local = DateTime.fromJSDate(instant, { zone });
  return { year: local.year, month: local.month, day: local.day };
}

function dayOf(text: string): number {
  return toDayNumber(parseLocalDate(text) as LocalDate);
}

function iso(value: DateTime): string {
  return value.toISO({ suppressMilliseconds: true }) as string;
}
