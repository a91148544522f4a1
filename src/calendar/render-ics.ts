import type { CalendarEvent } from './build-calendar.js';

/**
 * RFC 5545 calendar: each release, its code freeze and each later deployment are events. Times are
 * UTC (the "Z" form) so no VTIMEZONE is needed and every calendar app shows them in its own zone.
 */
export function renderCalendarIcs(events: readonly CalendarEvent[], options: { now: Date; organization: string }): string {
  const stamp = utc(options.now.toISOString());
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//shipgate//${options.organization} release calendar//EN`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${text(`${options.organization} releases`)}`];
  const vevent = (uid: string, start: string, end: string, summary: string, description: string, category: string) => {
    lines.push('BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${stamp}`, `DTSTART:${utc(start)}`, `DTEND:${utc(end)}`, `SUMMARY:${text(summary)}`, `DESCRIPTION:${text(description)}`, `CATEGORIES:${text(category)}`, 'TRANSP:TRANSPARENT', 'END:VEVENT');
  };
  for (const event of events) {
    const id = `${event.train}-${event.date}@shipgate`;
    const oneHourLater = new Date(Date.parse(event.at) + 3_600_000).toISOString();
    const shifted = event.shiftedFrom ? `\nMoved from ${event.shiftedFrom.date} by the ${event.shiftedFrom.blackout} blackout.` : '';
    vevent(`release-${id}`, event.at, oneHourLater, event.title, `${event.title} on ${event.date} ${event.time} (${event.timezone}).${shifted}`, 'release');
    vevent(`freeze-${id}`, event.freeze.start, event.freeze.end, `${event.title}: code freeze`, 'No new features merged; only bug fixes allowed.', 'code-freeze');
    for (const deployment of event.deployments.filter((d) => d.at !== event.at)) {
      const end = new Date(Date.parse(deployment.at) + 3_600_000).toISOString();
      vevent(`${deployment.environment}-${id}`, deployment.at, end, `${event.title}: ${deployment.environment} deploy`, `${event.title} goes to ${deployment.environment}.`, 'deployment');
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

function utc(isoInstant: string): string {
  return new Date(isoInstant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
