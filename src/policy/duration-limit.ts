/**
 * The longest duration a policy may give: a year. Longer ones are typos, and past a few hundred
 * thousand years they leave the range of dates luxon can compute ("Invalid DateTime"). Kept apart from
 * duration.ts so that checking a policy file does not load luxon.
 */
export const MAX_DURATION = { text: '366d', minutes: 366 * 24 * 60 } as const;

const MINUTES = { s: 1 / 60, m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;
export const DURATION_PATTERN = /^-?(\d+(?:\.\d+)?)(s|m|h|d|w)$/;

/** Whether a duration (or "-7d" offset) is at most MAX_DURATION long; text that is not a duration passes, for the pattern to report. */
export function withinMaxDuration(text: string): boolean {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return true;
  return Number(match[1]) * MINUTES[match[2] as keyof typeof MINUTES] <= MAX_DURATION.minutes;
}
