import { DateTime } from 'luxon';

/** The CLI's name for parseTime (a flag's value: "now", a date or an ISO date-time). */
export { parseTime as parseCliTime } from '../calendar/parse-time.js';

export function formatLocal(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');
}
