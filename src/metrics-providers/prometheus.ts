import type { Sample } from '../analysis/types.js';

/**
 * One instant query (`/api/v1/query` at `at`): one series or a scalar is a value (NaN included, for
 * the core to judge); no series is empty; several are empty too, since which one counts is
 * unknowable (aggregate the query with sum). A server that does not answer, or refuses the query, is
 * an error: never a value.
 */
export async function queryPrometheus(baseUrl: string, query: string, at: Date, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Sample> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  url.searchParams.set('time', (at.getTime() / 1000).toFixed(3));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  let body: unknown;
  let status: number;
  try {
    const response = await fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout, headers: { accept: 'application/json' } });
    status = response.status;
    body = await response.json().catch(() => undefined);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { kind: 'error', why: `Prometheus at ${url.origin} did not answer (${timeout.aborted ? 'timed out' : (cause ?? (error as Error).message)})` };
  }
  const answer = body as { status?: string; error?: string; data?: { resultType?: string; result?: unknown } } | undefined;
  if (answer?.status !== 'success') return { kind: 'error', why: `Prometheus answered ${status}: ${answer?.error ?? 'not a query result'}` };
  const { resultType, result } = answer.data ?? {};
  if (resultType === 'scalar' && Array.isArray(result)) return { kind: 'value', value: Number.parseFloat(String(result[1])) };
  if (resultType !== 'vector' || !Array.isArray(result)) return { kind: 'empty', why: `the query returned a ${resultType ?? 'missing'} result, not one series` };
  if (result.length === 0) return { kind: 'empty', why: 'the query returned no series' };
  if (result.length > 1) return { kind: 'empty', why: `the query returned ${result.length} series; aggregate it to one (sum, max)` };
  const value = (result[0] as { value?: [number, string] }).value?.[1];
  // Prometheus writes NaN and ±Inf as text; parseFloat reads "NaN", "+Inf" and "-Inf".
  return { kind: 'value', value: value === '+Inf' ? Number.POSITIVE_INFINITY : value === '-Inf' ? Number.NEGATIVE_INFINITY : Number.parseFloat(String(value)) };
}
