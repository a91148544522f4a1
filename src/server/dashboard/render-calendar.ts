import { DateTime } from 'luxon';
import type { CalendarEvent, SkippedRelease } from '../../calendar/build-calendar.js';
import type { Blackout } from '../../policy/schema.js';
import { html, type SafeHtml } from './html.js';

export interface CalendarView {
  /** YYYY-MM */
  readonly month: string;
  /** Today, in the policy's zone (YYYY-MM-DD). */
  readonly today: string;
  readonly zone: string;
  readonly events: readonly (CalendarEvent & { readonly version: string | null })[];
  readonly skipped: readonly SkippedRelease[];
  readonly blackouts: readonly Blackout[];
}

type Mark = { readonly kind: 'release' | 'freeze' | 'notice' | 'staging' | 'production' | 'blackout' | 'skipped'; readonly text: string; readonly order: number };

/*
 * The calendar's times are ISO 8601 with the offset of the train's zone ("2026-12-08T10:00:00-08:00"),
 * so their wall-clock date and time are the text itself; days are counted on plain dates. No time-zone
 * arithmetic per day: a month is drawn in a few milliseconds.
 */
const localDate = (iso: string) => iso.slice(0, 10);
const localTime = (iso: string) => iso.slice(11, 16);
const DAY = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const fromDayNumber = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** What happens on each day: releases, deployments, freeze days, notices, blackouts. Pure. */
export function dayMarks(view: CalendarView): Map<string, Mark[]> {
  const days = new Map<string, Mark[]>();
  const add = (date: string, mark: Mark) => days.set(date, [...(days.get(date) ?? []), mark]);
  for (const event of view.events) {
    add(event.date, { kind: 'release', text: `${event.title} ${event.version === null ? '' : `${event.version} `}at ${event.time}${event.shiftedFrom ? ` (moved from ${event.shiftedFrom.date}: ${event.shiftedFrom.blackout})` : ''}`, order: 0 });
    for (const deployment of event.deployments) {
      const kind = deployment.environment === 'production' ? 'production' : 'staging';
      add(localDate(deployment.at), { kind, text: `${event.title}: ${deployment.environment} at ${localTime(deployment.at)}`, order: 1 });
    }
    for (const notice of event.notices) add(localDate(notice.at), { kind: 'notice', text: `${notice.title} (${event.title})`, order: 2 });
    const first = dayNumber(localDate(event.freeze.start));
    const last = dayNumber(localDate(event.freeze.end));
    const endsAtMidnight = localTime(event.freeze.end) === '00:00';
    for (let day = first; day <= last - (endsAtMidnight ? 1 : 0); day += 1) {
      const text = day === first ? `${event.title} freeze from ${localTime(event.freeze.start)}` : day === last ? `${event.title} freeze until ${localTime(event.freeze.end)}` : `${event.title} freeze`;
      add(fromDayNumber(day), { kind: 'freeze', text, order: 3 });
    }
  }
  for (const skipped of view.skipped) add(skipped.date, { kind: 'skipped', text: `${skipped.train} release skipped: ${skipped.blackout}`, order: 0 });
  for (const blackout of view.blackouts) {
    for (let day = dayNumber(blackout.from); day <= dayNumber(blackout.to); day += 1) add(fromDayNumber(day), { kind: 'blackout', text: `Blackout: ${blackout.name}`, order: 4 });
  }
  for (const marks of days.values()) marks.sort((a, b) => a.order - b.order);
  return days;
}

const LABELS: Readonly<Record<Mark['kind'], string>> = { release: 'Release', freeze: 'Freeze', notice: 'Notice', staging: 'Staging', production: 'Production', blackout: 'Blackout', skipped: 'Skipped' };

export function renderCalendar(view: CalendarView): SafeHtml {
  const month = DateTime.fromISO(`${view.month}-01`, { zone: 'UTC' });
  const marks = dayMarks(view);
  // Weeks from Monday: the grid runs from the Monday on or before the 1st to the Sunday on or after the last day.
  const first = dayNumber(view.month + '-01') - (month.weekday - 1);
  const end = month.endOf('month');
  const last = dayNumber(end.toISODate() ?? '') + (7 - end.weekday);
  const weeks: string[][] = [];
  for (let day = first; day <= last; day += 1) {
    if ((day - first) % 7 === 0) weeks.push([]);
    weeks[weeks.length - 1]?.push(fromDayNumber(day));
  }
  const previous = month.minus({ months: 1 });
  const next = month.plus({ months: 1 });
  const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  const cell = (date: string, column: number) => {
    const own = marks.get(date) ?? [];
    const inMonth = date.startsWith(view.month);
    const today = date === view.today;
    const classes = [inMonth ? '' : 'other', today ? 'today' : '', own.length > 0 ? 'busy' : ''].filter((c) => c !== '').join(' ');
    return html`<td class="${classes}"${today ? html` aria-current="date"` : null}><span class="day"><span class="wd">${WEEKDAYS[column]?.slice(0, 3)} </span>${Number(date.slice(8))}${today ? html` <span class="today-label">today</span>` : null}</span>${own.length === 0 ? null : html`<ul>${own.map((mark) => html`<li class="mark ${mark.kind}"><span class="visually-hidden">${LABELS[mark.kind]}: </span>${mark.text}</li>`)}</ul>`}</td>`;
  };
  return html`<nav class="months" aria-label="Months">
  <a href="/calendar?month=${previous.toFormat('yyyy-MM')}" rel="prev">← ${previous.toFormat('LLLL yyyy')}</a>
  <a href="/calendar?month=${next.toFormat('yyyy-MM')}" rel="next">${next.toFormat('LLLL yyyy')} →</a>
  <a href="/api/v1/calendar.ics" class="subscribe">Subscribe (iCalendar)</a>
</nav>
<ul class="legend" aria-label="Legend">${Object.entries(LABELS).map(([kind, label]) => html`<li class="mark ${kind}">${label}</li>`)}</ul>
<table class="month">
<caption>${month.toFormat('LLLL yyyy')} (times in each train's zone; today is ${view.today})</caption>
<thead><tr>${WEEKDAYS.map((d) => html`<th scope="col"><abbr title="${d}">${d.slice(0, 3)}</abbr></th>`)}</tr></thead>
<tbody>${weeks.map((week) => html`<tr>${week.map((date, column) => cell(date, column))}</tr>`)}</tbody>
</table>`;
}
