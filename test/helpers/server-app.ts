import pino from 'pino';
import { createApiToken } from '../../src/app/api-tokens.js';
import { serverPolicy } from '../../src/app/governing-policy.js';
import { buildApp } from '../../src/server/app.js';
import type { ServerDeps } from '../../src/server/env.js';
import type { Store } from '../../src/store/open-store.js';

/** The server's app in-process on a store and a repository, with every log line it writes kept. */
export function serverApp(store: Store, cwd: string, extra: Partial<ServerDeps> = {}) {
  const logged: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => logged.push(line) });
  const app = buildApp({ store, cwd, log, policy: () => serverPolicy({ cwd }), ...extra });
  /** A request as a client sends it: JSON body, bearer token when given. */
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; address?: string } = {}) => {
    const headers: Record<string, string> = { ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }), ...options.headers };
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    const env = options.address === undefined ? undefined : { incoming: { socket: { remoteAddress: options.address } } };
    const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }, env);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> & unknown[] };
  };
  const token = async (user: string, options: { expires?: string; name?: string; scope?: string } = {}) => (await createApiToken(store, { user, ...options })).token;
  return { app, call, token, logged };
}
