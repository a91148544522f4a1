import { EXIT_BAD_INPUT, ShipgateError, type ShipgateErrorOptions } from './shipgate-error.js';

/**
 * The catalog of user errors: every code shipgate can exit with, its message and what to do next.
 * Callers build errors through these functions so wording stays consistent across commands.
 */
function fsReason(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return cause instanceof Error ? cause.message : String(cause);
}

export const errors = {
  /** `cause` is the error fs threw; its code becomes words a user reads. */
  fileUnreadable: (file: string, cause: unknown) =>
    new ShipgateError('EFILE', `cannot read ${file}: ${fsReason(cause)}`, {
      category: 'input',
      hint: 'check the path and its permissions',
    }),
  yamlSyntax: (where: string, message: string) =>
    new ShipgateError('EYAML', message, { category: 'input', where, hint: 'fix the YAML syntax at that position' }),
  policyInvalid: (file: string, count: number) =>
    new ShipgateError('EPOLICY', `${count} problem${count === 1 ? '' : 's'} in the policy`, {
      category: 'input',
      where: file,
      next: { action: 'check-policy', args: { file } },
      hint: `run \`shipgate policy check ${file}\` to list them`,
    }),
  badDate: (value: string, what: string) =>
    new ShipgateError('EDATE', `${what} "${value}" is not a valid date`, {
      category: 'usage',
      hint: 'use YYYY-MM-DD or an ISO 8601 date-time such as 2026-02-17T10:00',
    }),
  badOption: (message: string, hint?: string) =>
    new ShipgateError('EUSAGE', message, { category: 'usage', ...(hint === undefined ? {} : { hint }) }),
  unknownComponent: (name: string, known: readonly string[]) =>
    new ShipgateError('ECOMPONENT', `unknown component "${name}"`, { category: 'not-found', hint: `components: ${known.join(', ') || '(none found)'}` }),
  unknownTrain: (name: string, known: readonly string[]) =>
    new ShipgateError('ETRAIN', `unknown train "${name}"`, {
      category: 'not-found',
      hint: `known trains: ${known.join(', ') || '(none)'}`,
    }),
  noCalendarTable: (file: string) =>
    new ShipgateError('ECALENDAR', 'no release calendar table (| Date | Event | Version |) found', {
      category: 'input',
      where: file,
      hint: 'the file needs a Markdown table whose header has Date and Event columns',
    }),
  ruleFailed: (code: string, message: string, hint?: string) =>
    new ShipgateError(code, message, { category: 'rule', ...(hint === undefined ? {} : { hint }) }),
  /**
   * A rule of the policy refuses what the command asked (approve your own release, waive a sign-off,
   * a hotfix that bumps MINOR): the server answers 422, the CLI exits 2 as it always has for these.
   */
  refused: (code: string, message: string, options: Omit<ShipgateErrorOptions, 'category' | 'exitCode'> = {}) =>
    new ShipgateError(code, message, { ...options, category: 'rule', exitCode: EXIT_BAD_INPUT }),
  badInput: (code: string, message: string, options: { where?: string; hint?: string } = {}) =>
    new ShipgateError(code, message, { category: 'input', ...options }),
} as const;
