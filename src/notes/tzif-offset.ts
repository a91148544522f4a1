/**
 * The UTC offset of a time zone at an instant, read from the zone's compiled tz database file (TZif,
 * RFC 8536): its transitions, and past the last one the POSIX TZ rule in its footer. Pure: the caller
 * reads the file. Undefined when the data is not a TZif file this reader understands.
 */
export function tzifOffsetSeconds(data: Uint8Array, epochSeconds: number): number | undefined {
  if (data.length < 44 || String.fromCharCode(data[0]!, data[1]!, data[2]!, data[3]!) !== 'TZif') return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = data[4]!;
  const v1 = readBlock(view, 0, 4);
  if (v1 === undefined) return undefined;
  // Version 2+ repeats the data with 64-bit times, then the footer rule for times after the last transition.
  const block = version >= 0x32 ? readBlock(view, v1.end, 8) : v1;
  if (block === undefined) return undefined;
  const { times, types, offsets } = block;
  if (offsets.length === 0) return undefined;
  if (times.length === 0 || epochSeconds < times[0]!) {
    if (times.length === 0 && version >= 0x32) return footerOffset(data, block.end, epochSeconds) ?? offsets[0];
    return offsets[0];
  }
  if (epochSeconds >= times[times.length - 1]! && version >= 0x32) {
    const fromRule = footerOffset(data, block.end, epochSeconds);
    if (fromRule !== undefined) return fromRule;
  }
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (times[middle]! <= epochSeconds) low = middle;
    else high = middle - 1;
  }
  return offsets[types[low]!];
}

interface Block {
  readonly times: number[];
  readonly types: number[];
  readonly offsets: number[];
  readonly end: number;
}

function readBlock(view: DataView, start: number, timeSize: 4 | 8): Block | undefined {
  if (view.byteLength < start + 44) return undefined;
  const count = (index: number) => view.getUint32(start + 20 + index * 4);
  const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = [0, 1, 2, 3, 4, 5].map(count) as [number, number, number, number, number, number];
  let at = start + 44;
  const end = at + timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
  if (view.byteLength < end) return undefined;
  const times: number[] = [];
  for (let i = 0; i < timecnt; i += 1, at += timeSize) times.push(timeSize === 4 ? view.getInt32(at) : Number(view.getBigInt64(at)));
  const types: number[] = [];
  for (let i = 0; i < timecnt; i += 1, at += 1) types.push(view.getUint8(at));
  const offsets: number[] = [];
  for (let i = 0; i < typecnt; i += 1, at += 6) offsets.push(view.getInt32(at));
  if (types.some((type) => type >= typecnt)) return undefined;
  return { times, types, offsets, end };
}

function footerOffset(data: Uint8Array, start: number, epochSeconds: number): number | undefined {
  if (data[start] !== 0x0a) return undefined;
  const close = data.indexOf(0x0a, start + 1);
  if (close === -1) return undefined;
  const rule = String.fromCharCode(...data.subarray(start + 1, close));
  return rule === '' ? undefined : posixRuleOffset(rule, epochSeconds);
}

/** Offset in seconds east of UTC at an instant under a POSIX TZ rule such as `PST8PDT,M3.2.0,M11.1.0`. */
export function posixRuleOffset(rule: string, epochSeconds: number): number | undefined {
  const parsed = /^(<[^>]+>|[A-Za-z]{3,})([+-]?[\d:]+)(?:(<[^>]+>|[A-Za-z]{3,})([+-]?[\d:]+)?(?:,([^,]+),([^,]+))?)?$/.exec(rule);
  if (!parsed) return undefined;
  const std = clock(parsed[2]!);
  if (std === undefined) return undefined;
  const stdOffset = -std;
  if (parsed[3] === undefined) return stdOffset;
  const dstWest = parsed[4] === undefined ? std - 3600 : clock(parsed[4]);
  if (dstWest === undefined || parsed[5] === undefined || parsed[6] === undefined) return undefined;
  const dstOffset = -dstWest;
  const year = new Date((epochSeconds + stdOffset) * 1000).getUTCFullYear();
  // The rule's transition times are local wall time: the start in standard time, the end in daylight time.
  const start = transition(parsed[5], year);
  const end = transition(parsed[6], year);
  if (start === undefined || end === undefined) return undefined;
  const startUtc = start - stdOffset;
  const endUtc = end - dstOffset;
  const inDst = startUtc < endUtc ? epochSeconds >= startUtc && epochSeconds < endUtc : !(epochSeconds >= endUtc && epochSeconds < startUtc);
  return inDst ? dstOffset : stdOffset;
}

/** `[+-]hh[:mm[:ss]]` in seconds. */
function clock(text: string): number | undefined {
  const match = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}

/** A rule's transition in `year`, as seconds since the epoch of the local wall clock (read as if UTC). */
function transition(text: string, year: number): number | undefined {
  const [date, time] = text.split('/') as [string, string | undefined];
  const at = time === undefined ? 7200 : clock(time);
  if (at === undefined) return undefined;
  const dayStart = (month: number, day: number) => Date.UTC(year, month, day) / 1000;
  let day: number;
  const monthRule = /^M(\d{1,2})\.(\d)\.(\d)$/.exec(date);
  if (monthRule) {
    const month = Number(monthRule[1]) - 1;
    const week = Number(monthRule[2]);
    const weekday = Number(monthRule[3]);
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    let dayOfMonth = 1 + ((weekday - first + 7) % 7) + (week - 1) * 7;
    const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    while (dayOfMonth > daysInMonth) dayOfMonth -= 7;
    day = dayStart(month, dayOfMonth);
  } else if (/^J\d{1,3}$/.test(date)) {
    // Julian day 1-365, February 29 never counted.
    const n = Number(date.slice(1));
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    day = dayStart(0, n + (leap && n >= 60 ? 1 : 0));
  } else if (/^\d{1,3}$/.test(date)) {
    day = dayStart(0, Number(date) + 1);
  } else {
    return undefined;
  }
  return day + at;
}
