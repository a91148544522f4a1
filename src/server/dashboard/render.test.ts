import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../../policy/parse-policy.js';
import { buildCalendar } from '../../calendar/build-calendar.js';
import { html, trusted } from './html.js';
import { dayMarks, renderCalendar } from './render-calendar.js';
import { localPath } from './session.js';

describe('html', () => {
  it('escapes every interpolated value, joins lists and renders nothing for null, undefined and false', () => {
    const subject = 'fix: <script>alert("x")</script> & \'quotes\'';
    expect(html`<li title="${subject}">${subject}</li>`.text).toBe('<li title="fix: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">fix: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</li>');
    expect(html`<ul>${['<a>', html`<b>${'<c>'}</b>`]}</ul>`.text).toBe('<ul>&lt;a&gt;<b>&lt;c&gt;</b></ul>');
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0');
    expect(html`${trusted('<em>kept</em>')}`.text).toBe('<em>kept</em>');
  });
});

describe('the calendar month', () => {
  const policy = builtinPolicy();
  const calendar = buildCalendar(policy, { from: new Date('2026-11-24T00:00:00Z'), to: new Date('2027-01-15T00:00:00Z') });
  const view = { month: '2026-12', today: '2026-12-07', zone: policy.timezone, events: calendar.events.map((event) => ({ ...event, version: null })), skipped: calendar.skipped, blackouts: [{ name: 'Year-end', from: '2026-12-21', to: '2026-12-23', trains: null, action: 'skip' as const }] };

  it('marks each release day, its staging and production times, its freeze days and notices, and blackout days', () => {
    const marks = dayMarks(view);
    const kinds = (date: string) => (marks.get(date) ?? []).map((mark) => `${mark.kind}: ${mark.text}`);
    // The module and product trains both release on Tuesday 8 December 2026 at 10:00 Los Angeles time.
    expect(kinds('2026-12-08')).toEqual(expect.arrayContaining(['release: Module Release at 10:00', 'release: Product Release at 10:00', 'staging: Module Release: staging at 10:00']));
    expect(kinds('2026-12-09')).toEqual(expect.arrayContaining(['production: Module Release: production at 10:00']));
    expect(kinds('2026-12-07')).toEqual(expect.arrayContaining(['freeze: Module Release freeze']));
    expect(kinds('2026-12-08').some((text) => text.startsWith('freeze: Module Release freeze until'))).toBe(true);
    expect(kinds('2026-12-01').some((text) => text.startsWith('notice: '))).toBe(true);
    expect(kinds('2026-12-22')).toContain('blackout: Blackout: Year-end');
    expect(kinds('2026-12-24')).not.toContain('blackout: Blackout: Year-end');
  });

  it('draws weeks from Monday with today marked once', () => {
    const text = renderCalendar(view).text;
    expect(text.match(/aria-current="date"/g)).toHaveLength(1);
    expect(text.match(/<tr>/g)?.length).toBe(1 + 5); // the header and five weeks (30 November to 3 January)
    expect(text).toContain('href="/calendar?month=2026-11"');
    expect(text).toContain('href="/calendar?month=2027-01"');
  });
});

describe('localPath', () => {
  it('returns only to a path of this site', () => {
    expect(['/calendar?month=2026-12', '/', '//evil.example', '/\\evil.example', 'https://evil.example', undefined].map(localPath)).toEqual(['/calendar?month=2026-12', '/', '/', '/', '/', '/']);
  });
});
