/** One GET, its status or why there was none; bounded in time, redirects not followed (a health URL answers itself). */
export async function httpStatus(url: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number } | { error: string }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { redirect: 'manual', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    if (timeout.aborted) return { error: `no answer within ${timeoutMs} ms` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}
