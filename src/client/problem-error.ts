import type { NextStep } from '../errors/next-step.js';
import { EXIT_BAD_INPUT, ShipgateError, type ErrorCategory } from '../errors/shipgate-error.js';

interface ProblemBody {
  readonly status?: unknown;
  readonly detail?: unknown;
  readonly code?: unknown;
  readonly hint?: unknown;
  readonly where?: unknown;
  readonly next?: unknown;
}

/** The server's statuses back to the catalog's categories (the inverse of httpStatusFor). */
const CATEGORIES: Readonly<Record<number, ErrorCategory>> = {
  400: 'usage',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'usage',
  415: 'usage',
  422: 'rule',
  429: 'unavailable',
  503: 'unavailable',
};

const TOKEN_HINT = 'create one on the server with `shipgate token create --user <your email>` and export it as SHIPGATE_TOKEN';

/**
 * A refusal of the server as the error the local command throws: the same message (`detail`), hint
 * and category, so the CLI prints the same line and exits the same way. The rules a write can break
 * through the API (self-approval, waiving a sign-off, a hotfix with a feature) are the ones the CLI
 * has always refused with exit 2, so a 422 exits 2; a failed gate is not an error but a report (exit 1).
 */
export function problemError(server: string, status: number, contentType: string | null, text: string): ShipgateError {
  const problem = parseProblem(contentType, text);
  if (problem === undefined || typeof problem.detail !== 'string') {
    return new ShipgateError('ESERVER', `${server} answered ${status} without a shipgate problem report`, {
      category: status >= 500 ? 'unavailable' : 'usage',
      hint: 'check the URL (--server or SHIPGATE_SERVER): it is the address `shipgate serve` listens on',
    });
  }
  const code = typeof problem.code === 'string' ? problem.code : 'ESERVER';
  const hint = typeof problem.hint === 'string' ? problem.hint : undefined;
  const where = typeof problem.where === 'string' ? { where: problem.where } : {};
  const next = isNextStep(problem.next) ? { next: problem.next } : {};
  if (status === 401) {
    return new ShipgateError('EAUTH', `the shipgate server at ${server} refused the token in SHIPGATE_TOKEN: ${problem.detail}`, { category: 'unauthorized', hint: TOKEN_HINT });
  }
  if (status === 404 && code === 'ENOTFOUND') {
    return new ShipgateError('ESERVER', `${server} has no such API route (${problem.detail}): is it a shipgate server of this version?`, { category: 'unavailable', hint: 'check the URL (--server or SHIPGATE_SERVER) and the server\'s version' });
  }
  const category = CATEGORIES[status] ?? (status >= 500 ? 'internal' : 'usage');
  return new ShipgateError(code, category === 'internal' ? `the shipgate server at ${server} failed: ${problem.detail}` : problem.detail, {
    category,
    ...(category === 'rule' ? { exitCode: EXIT_BAD_INPUT } : {}),
    ...(hint === undefined ? {} : { hint }),
    ...where,
    ...next,
  });
}

function parseProblem(contentType: string | null, text: string): ProblemBody | undefined {
  if (contentType === null || !/^application\/(problem\+)?json\b/i.test(contentType)) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ProblemBody) : undefined;
  } catch {
    return undefined;
  }
}

function isNextStep(value: unknown): value is NextStep {
  return typeof value === 'object' && value !== null && typeof (value as { action?: unknown }).action === 'string' && typeof (value as { args?: unknown }).args === 'object';
}
