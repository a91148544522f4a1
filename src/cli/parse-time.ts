import { DateTime } from 'luxon';
import { yearProblem } from '../calendar/rrule.js';
import { errors } from '../errors/catalog.js';

/**
 * A time given on the command line: "now", a date (start of that day in `zone`, or its end with
 * endOfDay) or an ISO 8601 date-time (in `zone` unless it carries an offset).
 */
export function parseCliTime(value: string, what: string, zone: string, now: Date, options: { endOfDay?: boolean } = {}): Date {
  if (value === 'now') return now;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = DateTime.fromISO(value, { zone, setZone: false });
  if (!parsed.isValid || (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value))) throw errors.badDate(value, what);
  const outside = yearProblem(parsed.year);
  if (outside) throw errors.badInput('EDATE', `${what} "${value}": ${outside}`, { hint: 'give a date in those years' });
  return (dateOnly && options.endOfDay ? parsed.endOf('day') : parsed).toJSDate();
}

export function formatLocal(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');
}
