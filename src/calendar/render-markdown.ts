import { DateTime } from 'luxon';
import type { CalendarEvent } from './build-calendar.js';

/**
 * The policy's "Release Calendar" table: one `### YYYY Qn Schedule` section per quarter with
 * `| Date | Event | Version |` rows, so the output can be pasted into the policy document and read
 * back by `shipgate calendar check`.
 */
export function renderCalendarMarkdown(events: readonly CalendarEvent[], versions: ReadonlyMap<CalendarEvent, string> = new Map()): string {
  if (events.length === 0) return '_No releases in this range._\n';
  const sections: string[] = [];
  let current = '';
  for (const event of events) {
    const date = DateTime.fromISO(event.date);
    const quarter = `${date.year} Q${Math.ceil(date.month / 3)}`;
    if (quarter !== current) {
      current = quarter;
      sections.push(`${sections.length > 0 ? '\n' : ''}### ${quarter} Schedule\n\n| Date | Event | Version |\n|------|-------|---------|`);
    }
    sections.push(`| ${date.toFormat('LLL d')} | ${escapeCell(event.title)} | ${escapeCell(versions.get(event) ?? 'TBD')} |`);
  }
  return `${sections.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
