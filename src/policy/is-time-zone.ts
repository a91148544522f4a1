import { defaultPolicy } from './default-policy.js';

/**
 * Whether the runtime knows an IANA time zone: what luxon's IANAZone.isValidZone does, without loading
 * luxon. The built-in policy's zone, which most policy files keep, is taken as known, as it is when
 * there is no policy file at all: asking Intl first loads its time zone data, 70 ms of a command's start.
 */
export function isTimeZone(name: string): boolean {
  if (!name) return false;
  if (name === defaultPolicy.timezone) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name }).format();
    return true;
  } catch {
    return false;
  }
}
