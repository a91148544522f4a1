/**
 * Errors a user can cause or fix. They carry an exit code and a hint, and the CLI prints them as one
 * line without a stack; anything else that escapes is a bug and is printed with its stack.
 */
export type ExitCode = 1 | 2;

export const EXIT_RULE_FAILED: ExitCode = 1;
export const EXIT_BAD_INPUT: ExitCode = 2;

export class ShipgateError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  /** Where the problem is, as `file:line:col` (or just `file`), printed before the message. */
  readonly where: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: ExitCode; hint?: string; where?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShipgateError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT_BAD_INPUT;
    this.hint = options.hint;
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
