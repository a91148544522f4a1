import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tzifOffsetSeconds } from './tzif-offset.js';

/**
 * The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. Read from the system's tz database
 * when it has the zone: the first use of Intl (through luxon) loads ICU's data, 45 ms of every `notes`
 * run for one date. Elsewhere (no zoneinfo, as on Windows, or a name only ICU knows) luxon answers.
 */
export async function dateInZone(instant: Date, zone: string): Promise<string> {
  const offset = systemOffset(zone, Math.floor(instant.getTime() / 1000));
  if (offset !== undefined) return new Date(instant.getTime() + offset * 1000).toISOString().slice(0, 10);
  const { DateTime } = await import('luxon');
  return DateTime.fromJSDate(instant, { zone }).toISODate() as string;
}

function systemOffset(zone: string, epochSeconds: number): number | undefined {
  // Only names shaped like the database's (Area/Location, UTC): never a path that climbs out of it.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*)*$/.test(zone)) return undefined;
  try {
    const data = readFileSync(path.join(process.env['TZDIR'] ?? '/usr/share/zoneinfo', zone));
    return tzifOffsetSeconds(data, epochSeconds);
  } catch {
    return undefined;
  }
}
