import type { NextStep } from './next-step.js';

/**
 * Errors a user can cause or fix. Each has a category that says what kind of refusal it is; the CLI
 * turns the category into an exit code and the server into an HTTP status, so both interfaces agree
 * on what went wrong. The CLI prints them as one line without a stack; anything else that escapes is
 * a bug and is printed with its stack.
 */
export type ErrorCategory =
  /** A bad flag, argument or value: fix the command. */
  | 'usage'
  /** A file or data shipgate reads is malformed (the policy, a report, a manifest, the repository). */
  | 'input'
  /** A rule of the policy, a gate or the repository refuses what was asked. */
  | 'rule'
  /** The caller is known but may not do this (lacks the role). */
  | 'forbidden'
  /** Who the caller is is unknown. */
  | 'unauthorized'
  /** The release, component, gate or tag named does not exist. */
  | 'not-found'
  /** The thing is in the wrong state for this (already exists, already shipped, someone else changed it). */
  | 'conflict'
  /** The database, git or a lock is not available now: try again. */
  | 'unavailable'
  /** A bug in shipgate. */
  | 'internal';

export type ExitCode = 1 | 2 | 70;

export const EXIT_RULE_FAILED: ExitCode = 1;
export const EXIT_BAD_INPUT: ExitCode = 2;
/** What the CLI exits with on a bug (EX_SOFTWARE), for a caught internal error as for a crash. */
export const EXIT_INTERNAL: ExitCode = 70;

const EXIT_CODES: Readonly<Record<ErrorCategory, ExitCode>> = {
  usage: EXIT_BAD_INPUT,
  input: EXIT_BAD_INPUT,
  rule: EXIT_RULE_FAILED,
  forbidden: EXIT_BAD_INPUT,
  unauthorized: EXIT_BAD_INPUT,
  'not-found': EXIT_BAD_INPUT,
  conflict: EXIT_BAD_INPUT,
  unavailable: EXIT_BAD_INPUT,
  internal: EXIT_INTERNAL,
};

const HTTP_STATUSES: Readonly<Record<ErrorCategory, number>> = {
  usage: 400,
  input: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  unavailable: 503,
  internal: 500,
};

export function exitCodeFor(category: ErrorCategory): ExitCode {
  return EXIT_CODES[category];
}

/** The status the server answers with (RFC 9457 problem details carry the same message and hint). */
export function httpStatusFor(category: ErrorCategory): number {
  return HTTP_STATUSES[category];
}

export interface ShipgateErrorOptions {
  readonly category: ErrorCategory;
  /**
   * Only for a refusal whose exit code predates the categories: a rule that refuses what a command
   * asked (self-approval, waiving a sign-off, a hotfix that bumps MINOR) has always exited 2, while
   * other rules exit 1. Scripts rely on that, so it is kept; the server still answers 422.
   */
  readonly exitCode?: ExitCode;
  readonly hint?: string;
  /** The next step as data, for interfaces that word it themselves; `hint` is the CLI's words for it. */
  readonly next?: NextStep;
  readonly where?: string;
  readonly cause?: unknown;
}

export class ShipgateError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly next: NextStep | undefined;
  /** Where the problem is, as `file:line:col` (or just `file`), printed before the message. */
  readonly where: string | undefined;

  constructor(code: string, message: string, options: ShipgateErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShipgateError';
    this.code = code;
    this.category = options.category;
    this.exitCode = options.exitCode ?? exitCodeFor(options.category);
    this.hint = options.hint;
    this.next = options.next;
    this.where = options.where;
  }
}

export function isShipgateError(error: unknown): error is ShipgateError {
  return error instanceof ShipgateError;
}

/** One line: `where: message (hint)`. */
export function formatUserError(error: ShipgateError): string {
  const where = error.where ? `${error.where}: ` : '';
  const hint = error.hint ? ` (${error.hint})` : '';
  return `shipgate: ${where}${error.message}${hint}`;
}
