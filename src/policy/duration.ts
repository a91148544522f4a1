import { Duration } from 'luxon';

const UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;
const MINUTES = { s: 1 / 60, m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;
const PATTERN = /^-?(\d+(?:\.\d+)?)(s|m|h|d|w)$/;

/**
 * The longest duration a policy may give: a year. Longer ones are typos, and past a few hundred
 * thousand years they leave the range of dates luxon can compute ("Invalid DateTime").
 */
export const MAX_DURATION = { text: '366d', minutes: 366 * 24 * 60 } as const;

/** A policy duration as milliseconds of elapsed time (soaks, analysis intervals, timeouts). */
export function durationMs(text: string): number {
  return parseDuration(text).as('milliseconds');
}

/**
 * A policy duration ("2d", "24h") as a luxon Duration. Days and weeks are calendar units, so "2d"
 * before a Tuesday 10:00 is Sunday 10:00 on the wall clock even across a DST change; hours and
 * minutes are elapsed time ("24h after staging" is 24 real hours).
 */
export function parseDuration(text: string): Duration {
  const match = PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Duration.fromObject({ [UNITS[match[2] as keyof typeof UNITS]]: Number(match[1]) });
}

/** Whether a duration (or "-7d" offset) is at most MAX_DURATION long; text that is not a duration passes, for the pattern to report. */
export function withinMaxDuration(text: string): boolean {
  const match = PATTERN.exec(text);
  if (!match) return true;
  return Number(match[1]) * MINUTES[match[2] as keyof typeof MINUTES] <= MAX_DURATION.minutes;
}
