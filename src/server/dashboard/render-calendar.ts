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

/** What happens on each day: releases, deployments, freeze days, notices, blackouts. Pure. */
export function dayMarks(view: CalendarView): Map<string, Mark[]> {
  const days = new Map<string, Mark[]>();
  const add = (date: string, mark: Mark) => days.set(date, [...(days.get(date) ?? []), mark]);
  const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone });
  for (const event of view.events) {
    const zone = event.timezone;
    const release = local(event.at, zone);
    add(event.date, { kind: 'release', text: `${event.title} ${event.version === null ? '' : `${event.version} `}at ${release.toFormat('HH:mm')}${event.shiftedFrom ? ` (moved from ${event.shiftedFrom.date}: ${event.shiftedFrom.blackout})` : ''}`, order: 0 });
    for (const deployment of event.deployments) {
      const at = local(deployment.at, zone);
      const kind = deployment.environment === 'production' ? 'production' : 'staging';
      add(at.toISODate() ?? '', { kind, text: `${event.title}: ${deployment.environment} at ${at.toFormat('HH:mm')}`, order: 1 });
    }
    for (const notice of event.notices) add(local(notice.at, zone).toISODate() ?? '', { kind: 'notice', text: `${notice.title} (${event.title})`, order: 2 });
    const start = local(event.freeze.start, zone);
    const end = local(event.freeze.end, zone);
    for (let day = start.startOf('day'); day < end; day = day.plus({ days: 1 })) {
      const first = day.hasSame(start, 'day');
      const last = day.hasSame(end, 'day');
      const text = first ? `${event.title} freeze from ${start.toFormat('HH:mm')}` : last ? `${event.title} freeze until ${end.toFormat('HH:mm')}` : `${event.title} freeze`;
      add(day.toISODate() ?? '', { kind: 'freeze', text, order: 3 });
    }
  }
  for (const skipped of view.skipped) add(skipped.date, { kind: 'skipped', text: `${skipped.train} release skipped: ${skipped.blackout}`, order: 0 });
  for (const blackout of view.blackouts) {
    const last = DateTime.fromISO(blackout.to, { zone: view.zone });
    for (let day = DateTime.fromISO(blackout.from, { zone: view.zone }); day <= last; day = day.plus({ days: 1 })) add(day.toISODate() ?? '', { kind: 'blackout', text: `Blackout: ${blackout.name}`, order: 4 });
  }
  for (const marks of days.values()) marks.sort((a, b) => a.order - b.order);
  return days;
}

const LABELS: Readonly<Record<Mark['kind'], string>> = { release: 'Release', freeze: 'Freeze', notice: 'Notice', staging: 'Staging', production: 'Production', blackout: 'Blackout', skipped: 'Skipped' };

export function renderCalendar(view: CalendarView): SafeHtml {
  const month = DateTime.fromISO(`${view.month}-01`, { zone: view.zone });
  const marks = dayMarks(view);
  const first = month.startOf('week');
  const last = month.endOf('month').endOf('week');
  const weeks: DateTime[][] = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    if (day.weekday === 1) weeks.push([]);
    weeks[weeks.length - 1]?.push(day);
  }
  const previous = month.minus({ months: 1 }).toFormat('yyyy-MM');
  const next = month.plus({ months: 1 }).toFormat('yyyy-MM');
  const cell = (day: DateTime) => {
    const date = day.toISODate() ?? '';
    const own = marks.get(date) ?? [];
    const inMonth = day.month === month.month;
    const today = date === view.today;
    const classes = [inMonth ? '' : 'other', today ? 'today' : '', own.length > 0 ? 'busy' : ''].filter((c) => c !== '').join(' ');
    return html`<td class="${classes}"${today ? html` aria-current="date"` : null}><span class="day"><span class="wd">${day.toFormat('ccc')} </span>${day.day}${today ? html` <span class="today-label">today</span>` : null}</span>${own.length === 0 ? null : html`<ul>${own.map((mark) => html`<li class="mark ${mark.kind}"><span class="visually-hidden">${LABELS[mark.kind]}: </span>${mark.text}</li>`)}</ul>`}</td>`;
  };
  return html`<nav class="months" aria-label="Months">
  <a href="/calendar?month=${previous}" rel="prev">← ${month.minus({ months: 1 }).toFormat('LLLL yyyy')}</a>
  <a href="/calendar?month=${next}" rel="next">${month.plus({ months: 1 }).toFormat('LLLL yyyy')} →</a>
  <a href="/api/v1/calendar.ics" class="subscribe">Subscribe (iCalendar)</a>
</nav>
<ul class="legend" aria-label="Legend">${Object.entries(LABELS).map(([kind, label]) => html`<li class="mark ${kind}">${label}</li>`)}</ul>
<table class="month">
<caption>${month.toFormat('LLLL yyyy')} (times in each train's zone; today is ${view.today})</caption>
<thead><tr>${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((d) => html`<th scope="col"><abbr title="${d}">${d.slice(0, 3)}</abbr></th>`)}</tr></thead>
<tbody>${weeks.map((week) => html`<tr>${week.map(cell)}</tr>`)}</tbody>
</table>`;
}
