import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Option } from 'commander';
import { loadPolicy } from '../../app/load-policy.js';
import { calendarJson, showCalendar } from '../../app/show-calendar.js';
import { checkCalendarText } from '../../calendar/check-calendar.js';
import { yearProblem, YEARS } from '../../calendar/rrule.js';
import { renderCalendarIcs } from '../../calendar/render-ics.js';
import { renderCalendarMarkdown } from '../../calendar/render-markdown.js';
import { errors } from '../../errors/catalog.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import type { RegisterCommand } from '../context.js';
import { formatTable } from '../format-table.js';
import { printJson } from '../io.js';
import { formatLocal } from '../parse-time.js';

export const registerCalendar: RegisterCommand = (program, context) => {
  const calendar = program
    .command('calendar')
    .description('the upcoming releases of every train, with freezes, notices and deployments')
    .option('--from <date>', 'first day (YYYY-MM-DD or ISO date-time; default: now)')
    .option('--to <date>', 'last day (default: 90 days after --from)')
    .option('--train <name...>', 'only these trains')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown', 'ics']).default('table'))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--no-versions', 'do not read the repository for the versions the next releases carry')
    .action(async (options: { from?: string; to?: string; train?: string[]; format: string; json?: boolean; output?: string; versions: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const now = context.io.now();
      const shown = await showCalendar({ cwd: context.globals().cwd, policy, from: options.from, to: options.to, trains: options.train, versions: options.versions, now });
      const { result, versions } = shown;
      const format = options.json ? 'json' : options.format;
      let text: string;
      if (format === 'json') text = `${JSON.stringify(calendarJson(shown), null, 2)}\n`;
      else if (format === 'markdown') text = renderCalendarMarkdown(result.events, versions);
      else if (format === 'ics') text = renderCalendarIcs(result.events, { now, organization: policy.organization });
      else {
        const rows = result.events.map((e) => {
          const last = e.deployments.at(-1);
          const deploy = last ? `${last.environment} ${formatLocal(last.at, e.timezone)}` : '';
          const note = e.shiftedFrom ? `moved from ${e.shiftedFrom.date} (${e.shiftedFrom.blackout})` : '';
          return [e.title, formatLocal(e.at, e.timezone), formatLocal(e.freeze.start, e.timezone), deploy, versions.get(e) ?? 'TBD', note];
        });
        const header = ['Event', 'Release (staging)', 'Code freeze from', 'Last deploy', 'Version', 'Note'];
        text = result.events.length === 0 ? 'no releases in this range\n' : formatTable(header, rows);
        for (const s of result.skipped) text += `skipped: ${s.train} release of ${s.date} (${s.blackout} blackout)\n`;
      }
      if (options.output === undefined) return context.io.out(text);
      await writeFileAtomic(path.resolve(context.globals().cwd, options.output), text);
      context.io.out(`wrote ${result.events.length} releases to ${options.output}`);
    });

  calendar
    .command('check')
    .argument('<file>', 'a Markdown file with a release calendar table (| Date | Event | Version |)')
    .description('report every row of a published calendar that the policy would not produce; exit 1 if any')
    .option('--year <year>', 'year for dates written without one, when no heading above the table names it')
    .option('--json', 'print the findings as JSON')
    .action(async (file: string, options: { year?: string; json?: boolean }) => {
      const { policy } = await loadPolicy(context.globals());
      const year = options.year === undefined ? undefined : Number(options.year);
      if (year !== undefined && (!Number.isInteger(year) || yearProblem(year))) throw errors.badOption(`--year "${options.year}" is not a year from ${YEARS.first} to ${YEARS.last}`);
      const target = path.resolve(context.globals().cwd, file);
      let text: string;
      try {
        text = await readFile(target, 'utf8');
      } catch (cause) {
        throw errors.fileUnreadable(file, cause);
      }
      const result = checkCalendarText(policy, text, year === undefined ? {} : { year });
      if (result === undefined) throw errors.noCalendarTable(file);
      if (options.json) printJson(context.io, { file, ...result });
      else {
        for (const f of result.findings) {
          const expected = f.expected ? `; the policy gives ${f.expected}` : '';
          context.io.out(`${file}:${f.line}: ${f.row}\n  ${f.problems.join('; ')}${expected}`);
        }
        context.io.out(`${file}: ${result.rows} rows, ${result.findings.length} wrong`);
      }
      if (result.findings.length > 0) context.exit(1);
    });
};
