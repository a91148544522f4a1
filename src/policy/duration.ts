import { Duration } from 'luxon';
import { DURATION_PATTERN as PATTERN } from './duration-limit.js';

export { MAX_DURATION, withinMaxDuration } from './duration-limit.js';

const UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;

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
