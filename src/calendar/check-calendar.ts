import type { Policy } from '../policy/schema.js';
import { buildCalendar, trainZone, wallClock } from './build-calendar.js';
import { describeRule, ordinalWord, WEEKDAY_NAMES } from './describe-rule.js';
import { readCalendarTable, type CalendarRow } from './read-calendar-table.js';
import { formatLocalDate as iso, fromDayNumber, parseLocalDate, parseRrule, toDayNumber, weekdayOf, type LocalDate } from './rrule.js';

export interface CalendarRowFinding {
  readonly line: number;
  readonly row: string;
  readonly train: string | null;
  readonly date: string | null;
  /** Why the policy would not produce this row. */
  readonly problems: readonly string[];
  /** The date the policy gives for this release, when there is one. */
  readonly expected: string | null;
}

export interface CalendarCheck {
  readonly rows: number;
  readonly findings: readonly CalendarRowFinding[];
}

/**
 * Checks a published Markdown release calendar against the policy: every row must be a release the
 * trains produce. Returns undefined when the text holds no calendar table. Pure.
 */
export function checkCalendarText(policy: Policy, text: string, options: { year?: number } = {}): CalendarCheck | undefined {
  const rows = readCalendarTable(text, options.year);
  if (rows === undefined) return undefined;
  return { rows: rows.length, findings: rows.flatMap((row) => checkRow(policy, row)) };
}

function checkRow(policy: Policy, row: CalendarRow): CalendarRowFinding[] {
  const finding = (problems: string[], train: string | null = null, expected: string | null = null): CalendarRowFinding[] => [
    { line: row.line, row: row.raw, train, date: row.date ? iso(row.date) : null, problems, expected },
  ];
  const trainName = matchTrain(policy, row.event);
  if (trainName === undefined) {
    const titles = Object.values(policy.trains).map((t) => `"${t.title} Release"`).join(', ');
    return finding([`"${row.event}" is not a release train of the policy (${titles})`]);
  }
  if (row.dateError) return finding([row.dateError], trainName);
  const date = row.date as LocalDate;
  const train = policy.trains[trainName]!;
  if (!train.enabled) return finding([`the ${trainName} train is disabled in the policy`], trainName);
  const zone = trainZone(policy, train);
  const day = toDayNumber(date);
  const around = (days: number) => wallClock(fromDayNumber(day + days), '00:00', zone).toJSDate();
  const calendar = buildCalendar(policy, { from: around(-70), to: around(70), trains: [trainName] });
  const dates = calendar.events.map((event) => parseLocalDate(event.date) as LocalDate);
  const versionProblem = checkVersionCell(policy, trainName, row.version);
  if (dates.some((d) => toDayNumber(d) === day)) return versionProblem ? finding([versionProblem], trainName) : [];

  const problems: string[] = [];
  const blackout = policy.blackouts.find((b) => (b.trains === null || b.trains.includes(trainName)) && iso(date) >= b.from && iso(date) <= b.to);
  if (blackout) problems.push(`falls in the "${blackout.name}" blackout (${blackout.from} to ${blackout.to}), when ${train.title.toLowerCase()} releases are ${blackout.action === 'skip' ? 'skipped' : 'moved'}`);
  const rule = parseRrule(train.cadence.rrule);
  const weekdays = rule.ok ? rule.rule.byDay.map((d) => d.weekday) : [];
  const actual = weekdayOf(day);
  if (weekdays.length > 0 && !weekdays.includes(actual)) {
    problems.push(`is a ${WEEKDAY_NAMES[actual]}, not a ${weekdays.map((w) => WEEKDAY_NAMES[w]).join(' or ')}`);
  } else if (rule.ok && !blackout) {
    const ordinal = rule.rule.byDay.find((d) => d.ordinal !== undefined)?.ordinal;
    const nth = Math.floor((date.day - 1) / 7) + 1;
    const detail = ordinal !== undefined && ordinal > 0 ? `is the ${ordinalWord(nth)} ${WEEKDAY_NAMES[actual]} of the month, ` : 'is ';
    problems.push(`${detail}not on the ${train.title.toLowerCase()} train (${describeRule(rule.rule, train.cadence.start)})`);
  }
  if (rule.ok && weekdays.length > 0 && !weekdays.includes(actual)) {
    problems.push(`the ${train.title.toLowerCase()} train runs ${describeRule(rule.rule, train.cadence.start)}`);
  }
  const expected = expectedDate(dates, date, rule.ok && (rule.rule.freq === 'MONTHLY' || rule.rule.freq === 'YEARLY'));
  if (versionProblem) problems.push(versionProblem);
  return finding(problems, trainName, expected ? iso(expected) : null);
}

/**
 * The Version cell must be a tag this train's releases get: a tag of a component kind it carries
 * (`billing/v2.1.0`) or of its bundle (`platform/v3.1.0`). Empty, "TBD" and "-" say nothing.
 */
function checkVersionCell(policy: Policy, trainName: string, cell: string): string | undefined {
  const version = cell.replace(/`/g, '').trim();
  if (version === '' || /^(tbd|-|—|n\/a)$/i.test(version)) return undefined;
  const train = policy.trains[trainName]!;
  const templates = [
    ...train.carries.flatMap((carried) => (carried in policy.components ? [{ template: policy.components[carried]!.tag, name: null }] : [])),
    ...Object.entries(policy.bundles).filter(([name, bundle]) => bundle.train === trainName || train.carries.includes(name)).map(([name, bundle]) => ({ template: bundle.tag, name })),
  ];
  const semverPattern = '\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?';
  const matches = templates.some(({ template, name }) => {
    const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    // Braces are not escaped above, so the placeholders are still there to fill.
    const source = escaped.replace('{name}', name === null ? '[^/\\s]+' : name.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).replace('{version}', semverPattern);
    return new RegExp(`^${source}$`).test(version);
  });
  if (matches) return undefined;
  const shapes = templates.map(({ template, name }) => (name === null ? template : template.replace('{name}', name))).join(' or ');
  return `version "${version}" is not a tag of the ${train.title.toLowerCase()} train (expected ${shapes})`;
}

/** The release the row most likely meant: the same month's for monthly trains, else the nearest. */
function expectedDate(dates: readonly LocalDate[], date: LocalDate, monthly: boolean): LocalDate | undefined {
  const sameMonth = dates.filter((d) => d.year === date.year && d.month === date.month);
  const pool = monthly && sameMonth.length > 0 ? sameMonth : dates;
  const day = toDayNumber(date);
  return [...pool].sort((a, b) => Math.abs(toDayNumber(a) - day) - Math.abs(toDayNumber(b) - day) || toDayNumber(a) - toDayNumber(b))[0];
}

function matchTrain(policy: Policy, event: string): string | undefined {
  const wanted = normalize(event.replace(/\brelease\b/i, ''));
  return Object.entries(policy.trains).find(([name, train]) => normalize(train.title) === wanted || normalize(name) === wanted)?.[0];
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
