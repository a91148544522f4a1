import { errors } from '../../errors/catalog.js';
import { JOB_STATES, type Job, type JobState } from '../../jobs/job-types.js';
import type { RegisterCommand } from '../context.js';
import { formatTable } from '../format-table.js';
import { printJson } from '../io.js';
import { DB_OPTION, withStore } from '../with-store.js';

export const registerJobs: RegisterCommand = (program, context) => {
  program
    .command('jobs')
    .description('the durable jobs in the store (timeline steps, retries): newest first, with their attempts and last error')
    .option('--state <state>', `only jobs in this state: ${JOB_STATES.join(', ')}`)
    .option('--limit <n>', 'how many to list', '50')
    .option('--before <id>', 'the page of jobs older than this id (what the last page said)')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (options: { state?: string; limit: string; before?: string; db?: string; json?: boolean }) => {
      const query = {
        ...(options.state === undefined ? {} : { state: jobState(options.state) }),
        limit: wholeNumber(options.limit, '--limit', 1, 1000),
        ...(options.before === undefined ? {} : { before: wholeNumber(options.before, '--before', 1, Number.MAX_SAFE_INTEGER) }),
      };
      const page = await withStore(context, options, async ({ store }) => {
        const { listJobs } = await import('../../jobs/job-store.js');
        return listJobs(store, query);
      });
      if (options.json) return printJson(context.io, page);
      if (page.jobs.length === 0) return context.io.out(options.state === undefined ? 'no jobs' : `no ${options.state} jobs`);
      const rows = page.jobs.map((job) => [String(job.id), job.kind, job.key, job.state, job.runAt, `${job.attempts}/${job.maxAttempts}`, oneLine(job)]);
      const more = page.next === null ? '' : `\nmore: shipgate jobs${options.state === undefined ? '' : ` --state ${options.state}`} --before ${page.next}`;
      context.io.out(formatTable(['ID', 'Kind', 'Key', 'State', 'Run at', 'Attempts', 'Last error'], rows) + more);
    });
};

function jobState(value: string): JobState {
  if ((JOB_STATES as readonly string[]).includes(value)) return value as JobState;
  throw errors.badOption(`unknown job state "${value}"`, `use one of: ${JOB_STATES.join(', ')}`);
}

function wholeNumber(value: string, option: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) throw errors.badOption(`${option} must be a whole number from ${min} to ${max}, not "${value}"`);
  return number;
}

/** A table row is one line: the first line of the error, shortened. */
function oneLine(job: Job): string {
  const text = (job.lastError ?? '').split('\n')[0] ?? '';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
