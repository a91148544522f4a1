import { DateTime } from 'luxon';
import { errors } from '../errors/catalog.js';
import { yearProblem } from './rrule.js';

/**
 * A time a person gives (a flag, a query parameter): "now", a date (start of that day in `zone`, or its
 * end with endOfDay) or an ISO 8601 date-time (in `zone` unless it carries an offset).
 */
export function parseTime(value: string, what: string, zone: string, now: Date, options: { endOfDay?: boolean } = {}): Date {
  if (value === 'now') return now;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = DateTime.fromISO(value, { zone, setZone: false });
  if (!parsed.isValid || (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value))) throw errors.badDate(value, what);
  const outside = yearProblem(parsed.year);
  if (outside) throw errors.badInput('EDATE', `${what} "${value}": ${outside}`, { hint: 'give a date in those years' });
  return (dateOnly && options.endOfDay ? parsed.endOf('day') : parsed).toJSDate();
}
