import { describe, expect, it } from 'vitest';
import { builtinPolicy } from '../policy/parse-policy.js';
import { noticePeriodEnd } from './evaluate-gates.js';

describe('noticePeriodEnd', () => {
  it("counts the notice days as calendar days in the policy's time zone, across a daylight-saving change", () => {
    const policy = builtinPolicy(); // America/Los_Angeles; a MINOR gives 7 days of notice, a MAJOR 30
    // Announced Wednesday 28 October 2026, 10:00 PDT (UTC-7). Clocks go back on Sunday 1 November, so seven
    // days later is Wednesday 4 November, 10:00 PST (UTC-8): 169 hours, not 168.
    expect(noticePeriodEnd(policy, 'minor', '2026-10-28T17:00:00Z').toISO()).toBe('2026-11-04T10:00:00.000-08:00');
    // Announced 10 February, 12:00 PST; clocks go forward on 8 March: 30 days later is 12 March, 12:00 PDT.
    expect(noticePeriodEnd(policy, 'major', '2026-02-10T20:00:00Z').toISO()).toBe('2026-03-12T12:00:00.000-07:00');
  });
});
