import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { buildCalendar } from './build-calendar.js';
import { renderCalendarIcs } from './render-ics.js';

const policy = builtinPolicy();
const now = new Date('2026-01-01T00:00:00Z');
const { events } = buildCalendar(policy, { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-31T23:59:59Z') });

// The ICS is read back with Mozilla's ical.js, an independent RFC 5545 parser.
function parse(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return component.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

describe('renderCalendarIcs', () => {
  const text = renderCalendarIcs(events, { now, organization: policy.organization });
  const parsed = parse(text);

  it('is RFC 5545 text: CRLF line ends, no line over 75 octets, one VCALENDAR', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('has a release, a code freeze and a production deploy event for every release, at the right instants', () => {
    expect(parsed).toHaveLength(events.length * 3);
    const product = parsed.find((e) => e.summary === 'Product Release' && e.startDate.toJSDate().toISOString().startsWith('2026-03-10'));
    // 10:00 PDT on 2026-03-10 is 17:00 UTC (DST began on 2026-03-08).
    expect(product?.startDate.toJSDate().toISOString()).toBe('2026-03-10T17:00:00.000Z');
    const freeze = parsed.find((e) => e.uid === 'freeze-product-2026-03-10@shipgate');
    expect(freeze?.summary).toBe('Product Release: code freeze');
    expect(freeze?.startDate.toJSDate().toISOString()).toBe('2026-03-08T17:00:00.000Z');
    expect(freeze?.endDate.toJSDate().toISOString()).toBe('2026-03-10T17:00:00.000Z');
    const production = parsed.find((e) => e.uid === 'production-product-2026-03-10@shipgate');
    expect(production?.startDate.toJSDate().toISOString()).toBe('2026-03-11T17:00:00.000Z');
  });

  it('keeps unique UIDs so re-importing updates rather than duplicates', () => {
    const uids = parsed.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('escapes and folds text with commas, semicolons and non-ASCII names without breaking characters', () => {
    const title = 'Société Générale; Ünïcødé, Ltd 🚀 with a very long name that certainly needs folding';
    const renamed = { ...policy, trains: { ...policy.trains, module: { ...policy.trains.module!, title } } };
    const calendar = buildCalendar(renamed, { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-04T00:00:00Z'), trains: ['module'] });
    const folded = renderCalendarIcs(calendar.events, { now, organization: 'Ünïcødé' });
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const [release, freeze] = parse(folded);
    expect(release?.summary).toBe(`${title} Release`);
    expect(freeze?.description).toBe('No new features merged; only bug fixes allowed.');
  });
});
