import type { RecurrenceRule, Weekday } from './rrule.js';

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
};

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

export function ordinalWord(n: number): string {
  if (n === -1) return 'last';
  if (n < 0) return `${ordinalWord(-n)}-to-last`;
  return ORDINALS[n - 1] ?? `${n}th`;
}

/** A recurrence rule in the words a release policy uses: "every 2 weeks on Tuesday", "the first Tuesday of the month". */
export function describeRule(rule: RecurrenceRule, start: string): string {
  const days = rule.byDay.map(({ weekday, ordinal }) => (ordinal === undefined ? WEEKDAY_NAMES[weekday] : `the ${ordinalWord(ordinal)} ${WEEKDAY_NAMES[weekday]}`));
  const dayList = days.join(' and ');
  const at = `at ${start.slice(11, 16)}`;
  switch (rule.freq) {
    case 'DAILY':
      return rule.interval === 1 ? `every day ${at}` : `every ${rule.interval} days from ${start.slice(0, 10)} ${at}`;
    case 'WEEKLY': {
      const on = dayList === '' ? '' : ` on ${dayList}`;
      return rule.interval === 1 ? `every week${on} ${at}` : `every ${rule.interval} weeks${on} from ${start.slice(0, 10)} ${at}`;
    }
    case 'MONTHLY': {
      const every = rule.interval === 1 ? 'of every month' : `of every ${rule.interval} months`;
      if (rule.byMonthDay.length > 0) return `day ${rule.byMonthDay.join(', ')} ${every}${dayList ? ` when a ${dayList}` : ''} ${at}`;
      return `${dayList || `day ${start.slice(8, 10)}`} ${every} ${at}`;
    }
    case 'YEARLY':
      return `${dayList || start.slice(5, 10)} every ${rule.interval === 1 ? 'year' : `${rule.interval} years`}${rule.byMonth.length ? ` in month ${rule.byMonth.join(', ')}` : ''} ${at}`;
  }
}
