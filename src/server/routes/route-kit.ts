import { createRoute, type OpenAPIHono, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ServerEnv } from '../env.js';
import { schemas } from '../schemas.js';

const PROBLEM_WORDS: Readonly<Record<number, string>> = {
  400: 'bad input: a field that does not fit the schema, or a value the command refuses as the CLI does',
  401: 'no valid token',
  403: 'the token\'s user lacks the role',
  404: 'no such release, component or gate',
  409: 'the release is in the wrong state for this, or it already exists',
  413: 'the body is larger than 1 MiB',
  422: 'a rule of the policy refuses it (self-approval, a hotfix with a feature)',
  429: 'too many failed authentications from this address',
};

/** The problem responses a route may give, as RFC 9457 problem+json. */
export function problems(...statuses: number[]): RouteConfig['responses'] {
  return Object.fromEntries(statuses.map((status) => [status, { description: PROBLEM_WORDS[status] ?? 'a problem', content: { 'application/problem+json': { schema: schemas.problem } } }]));
}

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

/** What a route answers: JSON with its status, or a response made by hand (text/calendar, markdown). */
export type RouteOutput = { readonly status: 200 | 201 | 202; readonly json: unknown } | Response;

/**
 * Adds a route under /api/v1 whose request schemas validate the request (400 naming the field) and,
 * with its response schema, document it in the OpenAPI document. The handler gets the parsed input.
 */
export function addRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  app: OpenAPIHono<ServerEnv>,
  config: {
    method: 'get' | 'post';
    path: string;
    summary: string;
    tags: string[];
    params?: z.ZodType<P>;
    query?: z.ZodType<Q>;
    body?: z.ZodType<B>;
    ok: { status: 200 | 201 | 202; description: string; schema?: z.ZodType; mediaType?: string };
    problems: number[];
    /** Routes that authenticate otherwise (the push webhook) or not at all. */
    public?: boolean;
  },
  handler: (c: Context<ServerEnv>, input: RouteInput<P, Q, B>) => Promise<RouteOutput>,
): void {
  const request: NonNullable<RouteConfig['request']> = {
    ...(config.params === undefined ? {} : { params: config.params as never }),
    ...(config.query === undefined ? {} : { query: config.query as never }),
    ...(config.body === undefined ? {} : { body: { required: true, content: { 'application/json': { schema: config.body } } } }),
  };
  const route = createRoute({
    method: config.method,
    path: config.path,
    summary: config.summary,
    tags: config.tags,
    ...(config.public ? {} : { security: [{ bearer: [] }] }),
    request,
    responses: {
      [config.ok.status]: { description: config.ok.description, ...(config.ok.schema === undefined ? {} : { content: { [config.ok.mediaType ?? 'application/json']: { schema: config.ok.schema } } }) },
      ...problems(...(config.public ? [] : [401, 429]), ...config.problems),
    },
  });
  app.openapi(route as never, (async (c: Context<ServerEnv>) => {
    const valid = (part: string) => (c.req.valid as (target: string) => unknown)(part);
    const input = {
      params: (config.params === undefined ? {} : valid('param')) as P,
      query: (config.query === undefined ? {} : valid('query')) as Q,
      body: (config.body === undefined ? undefined : valid('json')) as B,
    };
    const output = await handler(c, input);
    return output instanceof Response ? output : c.json(output.json, output.status);
  }) as never);
}
