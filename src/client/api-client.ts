import { ShipgateError } from '../errors/shipgate-error.js';
import { problemError } from './problem-error.js';

/** How long one request may take before the client gives up on the server (a gate check reads git). */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ApiClient {
  /** The server's base URL as given, for messages (it carries no secret: the token travels in a header). */
  readonly server: string;
  get<T>(path: string, query?: Readonly<Record<string, string | undefined>>): Promise<ApiResponse<T>>;
  post<T>(path: string, body: unknown): Promise<ApiResponse<T>>;
}

export interface ApiResponse<T> {
  readonly json: T;
  readonly headers: Headers;
}

export interface ClientOptions {
  readonly server: string;
  readonly token: string;
  readonly timeoutMs?: number;
  /** Tests may pass their own; the CLI uses Node's. */
  readonly fetch?: typeof fetch;
}

/**
 * The CLI's way to the shipgate server: JSON over HTTP with the bearer token, a timeout on every
 * request, and every refusal (RFC 9457 problem+json) turned back into the ShipgateError the local
 * command would have thrown, so the CLI prints it and exits the same way. The token is sent in the
 * Authorization header only and never appears in an error.
 */
export function apiClient(options: ClientOptions): ApiClient {
  const base = parseServerUrl(options.server);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const request = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse<T>> => {
    const url = new URL(path.replace(/^\//, ''), base);
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', Authorization: `Bearer ${options.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    } catch (error) {
      throw unreachable(options.server, error, timeoutMs);
    }
    const text = await response.text().catch((error: unknown) => {
      throw unreachable(options.server, error, timeoutMs);
    });
    if (!response.ok) throw problemError(options.server, response.status, response.headers.get('content-type'), text);
    try {
      return { json: JSON.parse(text) as T, headers: response.headers };
    } catch {
      throw notShipgate(options.server, `${method} ${url.pathname} answered ${response.status} with a body that is not JSON`);
    }
  };
  return {
    server: options.server,
    get: (path, query = {}) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (value !== undefined) params.append(name, value);
      const search = params.toString();
      return request('GET', search === '' ? path : `${path}?${search}`);
    },
    post: (path, body) => request('POST', path, body),
  };
}

/** `http(s)://host[:port][/prefix]`; the base always ends with a slash so paths resolve below any prefix. */
export function parseServerUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw badServer(server, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badServer(server, `${url.protocol.replace(/:$/, '')} is not http or https`);
  // A token belongs in SHIPGATE_TOKEN, never in a URL that lands in shell history and logs.
  if (url.username !== '' || url.password !== '') throw badServer('the URL', 'it carries a user or password; put the token in SHIPGATE_TOKEN instead');
  if (url.search !== '' || url.hash !== '') throw badServer(server, 'it has a query or fragment');
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

function badServer(server: string, why: string): ShipgateError {
  return new ShipgateError('ESERVER', `--server ${server} cannot be used: ${why}`, { category: 'usage', hint: 'pass the server\'s base URL, e.g. --server http://127.0.0.1:7070 (or set SHIPGATE_SERVER)' });
}

function unreachable(server: string, error: unknown, timeoutMs: number): ShipgateError {
  const cause = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  const why =
    cause.name === 'TimeoutError' || cause.name === 'AbortError'
      ? `no answer within ${Math.round(timeoutMs / 1000)} s`
      : (cause.cause?.code ?? cause.cause?.message ?? cause.message ?? String(error));
  return new ShipgateError('EUNREACHABLE', `cannot reach the shipgate server at ${server}: ${why}`, {
    category: 'unavailable',
    hint: 'check that `shipgate serve` is running there and the URL (--server or SHIPGATE_SERVER); to use a local store instead, drop --server and unset SHIPGATE_SERVER',
  });
}

export function notShipgate(server: string, what: string): ShipgateError {
  return new ShipgateError('ESERVER', `${server} does not answer as a shipgate server: ${what}`, { category: 'unavailable', hint: 'check the URL (--server or SHIPGATE_SERVER): it is the address `shipgate serve` listens on' });
}
