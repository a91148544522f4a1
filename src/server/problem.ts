import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { NextStep } from '../errors/next-step.js';
import { httpStatusFor, type ErrorCategory, type ShipgateError } from '../errors/shipgate-error.js';
import { renderApiNext } from './render-next.js';

/**
 * RFC 9457 problem details: `type` names the error (its catalog code), `title` its kind, `detail` the
 * same one-line message the CLI prints and `hint` the CLI's words for what to do. `next` is the next
 * step as data and `nextRequest` the API call that does it. A bad field is named in `field` (its path,
 * dot-separated) and every bad field in `errors`.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly hint?: string;
  readonly where?: string;
  readonly field?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
  readonly next?: NextStep;
  readonly nextRequest?: string;
}

const TITLES: Readonly<Record<ErrorCategory, string>> = {
  usage: 'Bad request',
  input: 'Bad input',
  rule: 'Refused by a rule of the policy',
  forbidden: 'Forbidden',
  unauthorized: 'Unauthorized',
  'not-found': 'Not found',
  conflict: 'Conflict',
  unavailable: 'Unavailable',
  internal: 'Internal error',
};

export const PROBLEM_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:shipgate:error:${code}`;
}

export function fromShipgateError(error: ShipgateError): Problem {
  const next = error.next === undefined ? {} : { next: error.next, nextRequest: renderApiNext(error.next) };
  return {
    type: problemType(error.code),
    title: TITLES[error.category],
    status: httpStatusFor(error.category),
    detail: error.message,
    code: error.code,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.where === undefined ? {} : { where: error.where }),
    ...next,
  };
}

/** A request that does not fit its schema: 400, naming each bad field by its path (`body.role`, `query.limit`). */
export function fromZodError(error: ZodError, part: string): Problem {
  const errors = error.issues.map((issue) => ({ field: [part, ...issue.path.map(String)].join('.'), message: issue.message }));
  const first = errors[0] ?? { field: part, message: 'invalid' };
  return {
    type: problemType('EINPUT'),
    title: TITLES.usage,
    status: 400,
    detail: `${first.field}: ${first.message}`,
    code: 'EINPUT',
    hint: 'see the request schema in /api/v1/openapi.json',
    field: first.field,
    errors,
  };
}

export function simpleProblem(status: number, code: string, title: string, detail: string, hint?: string): Problem {
  return { type: problemType(code), title, status, detail, code, ...(hint === undefined ? {} : { hint }) };
}

export function problemResponse(c: Context, problem: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem), problem.status as 400, { 'Content-Type': PROBLEM_TYPE, ...headers });
}
