import { isValidDate, yearProblem, type LocalDate } from './rrule.js';

export interface CalendarRow {
  readonly line: number;
  readonly raw: string;
  readonly event: string;
  readonly version: string;
  readonly date: LocalDate | undefined;
  /** Set instead of `date` when the cell is not a real date. */
  readonly dateError: string | undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads every Markdown table with Date and Event columns. A date without a year ("Feb 11", as the
 * policy writes them) takes the year from the nearest heading above it ("### 2026 Q1 Schedule"), else
 * from `defaultYear`. Returns undefined when there is no such table.
 */
export function readCalendarTable(text: string, defaultYear?: number): CalendarRow[] | undefined {
  const lines = text.split(/\r?\n/);
  const rows: CalendarRow[] = [];
  let found = false;
  let headingYear: number | undefined;
  let columns: { date: number; event: number; version: number } | undefined;
  for (const [index, line] of lines.entries()) {
    const heading = /^\s{0,3}#{1,6}\s.*?\b((?:19|20|21)\d{2})\b/.exec(line);
    if (heading) headingYear = Number(heading[1]);
    if (!/^\s*\|/.test(line)) {
      columns = undefined;
      continue;
    }
    const cells = splitRow(line);
    if (columns === undefined) {
      const names = cells.map((cell) => cell.toLowerCase());
      const date = names.indexOf('date');
      const event = names.indexOf('event');
      if (date >= 0 && event >= 0) {
        columns = { date, event, version: names.indexOf('version') };
        found = true;
      }
      continue;
    }
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    const parsed = parseDateCell(cells[columns.date] ?? '', headingYear ?? defaultYear);
    rows.push({
      line: index + 1,
      raw: line.trim(),
      event: cells[columns.event] ?? '',
      version: columns.version >= 0 ? (cells[columns.version] ?? '') : '',
      date: 'date' in parsed ? parsed.date : undefined,
      dateError: 'error' in parsed ? parsed.error : undefined,
    });
  }
  return found ? rows : undefined;
}

function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

export function parseDateCell(cell: string, year: number | undefined): { date: LocalDate } | { error: string } {
  const text = cell.replace(/\*|_/g, '').trim();
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  let parts: { year: number | undefined; month: number; day: number } | undefined;
  if (match) parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!parts) {
    // "Feb 11", "February 11", "Feb 11, 2026", "Tue Feb 11", "11 Feb 2026"
    const m = /^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$/i.exec(text);
    const d = m ? null : /^(\d{1,2})\s+([a-z]{3,9})\.?(?:\s+(\d{4}))?$/i.exec(text);
    const monthName = m?.[1] ?? d?.[2];
    const month = monthName ? MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1 : 0;
    if (month > 0) parts = { year: m?.[3] || d?.[3] ? Number(m?.[3] ?? d?.[3]) : undefined, month, day: Number(m?.[2] ?? d?.[1]) };
  }
  if (!parts) return { error: `"${cell}" is not a date (use 2026-02-17 or Feb 17)` };
  const resolvedYear = parts.year ?? year;
  if (resolvedYear === undefined) return { error: `"${cell}" has no year and no heading above the table names one (pass --year)` };
  const outside = yearProblem(resolvedYear);
  if (outside) return { error: `"${cell}": ${outside}` };
  const date = { year: resolvedYear, month: parts.month, day: parts.day };
  return isValidDate(date) ? { date } : { error: `"${cell}" is not a real date in ${resolvedYear}` };
}
