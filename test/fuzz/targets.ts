/**
 * The parsers the fuzz suite drives, as the guarded worker calls them (guard.ts): each returns plain
 * data the test then checks. They run in a worker thread so that an input that hangs a parser can be
 * stopped (a stuck regular expression cannot be interrupted in the thread that runs it).
 */
import { buildCalendar } from '../../src/calendar/build-calendar.js';
import { checkCalendarText } from '../../src/calendar/check-calendar.js';
import { freezeStatus } from '../../src/freeze/freeze-status.js';
import { ownersOf, parseCodeowners } from '../../src/gates/codeowners.js';
import { parseJunit } from '../../src/gates/parse-junit.js';
import { parseSarif } from '../../src/gates/parse-sarif.js';
import { readCargoToml, readPackageJson } from '../../src/manifests/read-manifest.js';
import { lintMigrations } from '../../src/migrations/lint-migrations.js';
import { loadPgParser, type SqlParser } from '../../src/migrations/pg-parser.js';
import type { SourceFile } from '../../src/migrations/types.js';
import { builtinPolicy, parsePolicyText } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/schema.js';
import { parseCommitMessage } from '../../src/versioning/parse-commit.js';

let parser: SqlParser | undefined;

/** Policies the calendar tables are checked against: the built-in one, and one with daily and leap-day trains and a long blackout. */
export const CALENDAR_POLICIES: readonly Policy[] = [
  builtinPolicy(),
  parsePolicyText(
    [
      'trains:',
      '  module: { cadence: { rrule: "FREQ=DAILY;INTERVAL=3", start: "1900-01-01T23:30" }, timezone: Pacific/Kiritimati }',
      '  platform: { cadence: { rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", start: "2000-02-29T00:00" } }',
      'blackouts:',
      '  - { name: long, from: "2026-01-01", to: "2026-12-31", action: next }',
    ].join('\n'),
    'p.yaml',
  ).policy as Policy,
];

export async function init(): Promise<void> {
  parser = await loadPgParser();
}

export const targets = {
  /** A policy file, and for a valid one every instant its calendar and freezes compute. */
  policy(text: string) {
    const parsed = parsePolicyText(text, 'p.yaml');
    const policy = parsed.policy;
    if (policy === undefined) return { problems: parsed.problems, instants: [] as string[] };
    const events = buildCalendar(policy, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') }).events;
    const instants = events.flatMap((e) => [e.at, e.freeze.start, e.freeze.end, ...e.notices.map((n) => n.at), ...e.deployments.map((d) => d.at)]);
    const freezes = freezeStatus(policy, new Date('2026-02-01T12:00:00Z')).flatMap((train) => [train.release?.freeze.start, train.next?.freeze.start].filter((at) => at !== undefined));
    return { problems: parsed.problems, instants: [...instants, ...(freezes as string[])] };
  },
  commit: (text: string) => parseCommitMessage(text),
  junit: (text: string, onlySome: boolean) => parseJunit(text, 'r.xml', onlySome ? (name) => name.startsWith('s') : undefined),
  sarif: (text: string, failOn: 'error' | 'warning' | 'note') => parseSarif(text, 'r.sarif', failOn),
  calendar: (text: string, policy: number, year: number | null) => checkCalendarText(CALENDAR_POLICIES[policy] as Policy, text, year === null ? {} : { year }),
  sql(files: SourceFile[], releaseBump: 'major' | 'minor' | null) {
    if (parser === undefined) throw new Error('init() first');
    return lintMigrations(files, { rules: {}, paths: [], ...(releaseBump === null ? {} : { releaseBump }) }, parser);
  },
  codeowners(text: string, paths: string[]) {
    const parsed = parseCodeowners(text);
    return { problems: parsed.problems, owners: paths.flatMap((file) => [ownersOf(parsed, file, false), ownersOf(parsed, file, true)]) };
  },
  packageJson: (text: string) => readPackageJson(text),
  cargoToml: (text: string) => readCargoToml(text),
};

export type TargetName = keyof typeof targets;

/** Errors a target's contract names besides ShipgateError: the manifest readers throw their format's syntax error. */
export const EXPECTED_ERRORS: Partial<Record<TargetName, readonly string[]>> = {
  // ManifestProblem: the position-carrying error the manifest readers are moving to.
  packageJson: ['SyntaxError', 'ManifestProblem'],
  cargoToml: ['TomlError', 'ManifestProblem'],
};
