import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dateInZone } from './date-in-zone.js';
import { posixRuleOffset, tzifOffsetSeconds } from './tzif-offset.js';

const ZONEINFO = '/usr/share/zoneinfo';
const zones = ['UTC', 'America/Los_Angeles', 'America/New_York', 'America/Sao_Paulo', 'America/St_Johns', 'Europe/Berlin', 'Europe/London', 'Europe/Dublin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Tokyo', 'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Auckland', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Africa/Casablanca', 'America/Santiago'];

describe('tzifOffsetSeconds', () => {
  it.skipIf(!existsSync(ZONEINFO))('gives the offset ICU (through luxon) gives, every 9 days and 13 hours from 1975 to 2045', () => {
    const mismatches: string[] = [];
    for (const zone of zones) {
      const data = readFileSync(path.join(ZONEINFO, zone));
      for (let t = Date.UTC(1975, 0, 1) / 1000; t < Date.UTC(2045, 0, 1) / 1000; t += 9 * 86400 + 13 * 3600) {
        const ours = tzifOffsetSeconds(data, t);
        const icu = DateTime.fromSeconds(t, { zone }).offset * 60;
        if (ours !== icu) mismatches.push(`${zone} ${new Date(t * 1000).toISOString()}: ${ours} vs ${icu}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('applies a POSIX rule on both sides of each change, north and south of the equator', () => {
    const at = (iso: string) => Date.parse(iso) / 1000;
    // Los Angeles: PDT from 2026-03-08 10:00 UTC to 2026-11-01 09:00 UTC.
    expect(posixRuleOffset('PST8PDT,M3.2.0,M11.1.0', at('2026-03-08T09:59:59Z'))).toBe(-8 * 3600);
    expect(posixRuleOffset('PST8PDT,M3.2.0,M11.1.0', at('2026-03-08T10:00:00Z'))).toBe(-7 * 3600);
    expect(posixRuleOffset('PST8PDT,M3.2.0,M11.1.0', at('2026-11-01T08:59:59Z'))).toBe(-7 * 3600);
    expect(posixRuleOffset('PST8PDT,M3.2.0,M11.1.0', at('2026-11-01T09:00:00Z'))).toBe(-8 * 3600);
    // Sydney: daylight time from October to April.
    expect(posixRuleOffset('AEST-10AEDT,M10.1.0,M4.1.0/3', at('2026-01-15T00:00:00Z'))).toBe(11 * 3600);
    expect(posixRuleOffset('AEST-10AEDT,M10.1.0,M4.1.0/3', at('2026-07-15T00:00:00Z'))).toBe(10 * 3600);
    expect(posixRuleOffset('<+0530>-5:30', at('2026-07-15T00:00:00Z'))).toBe(5.5 * 3600);
    expect(posixRuleOffset('not a rule', 0)).toBeUndefined();
  });

  it('refuses what is not a TZif file', () => {
    expect(tzifOffsetSeconds(new TextEncoder().encode('America/Los_Angeles'), 0)).toBeUndefined();
  });
});

describe('dateInZone', () => {
  it('gives the date of an instant in a zone, and falls back to ICU for a name the system does not have', async () => {
    const instant = new Date('2026-11-29T05:30:00Z');
    expect(await dateInZone(instant, 'America/Los_Angeles')).toBe('2026-11-28');
    expect(await dateInZone(instant, 'Asia/Tokyo')).toBe('2026-11-29');
    expect(await dateInZone(instant, 'america/los_angeles')).toBe('2026-11-28');
    expect(await dateInZone(instant, 'UTC')).toBe('2026-11-29');
  });
});
