import type { Backoff } from './job-types.js';

/** The wait before the next attempt after attempt number `attempt` (from 1) failed. */
export function retryDelay(attempt: number, backoff: Backoff): number {
  // Past 2^40 the product is already far beyond any sensible cap; stop before it becomes Infinity.
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** exponent);
}

export type FailureOutcome = { readonly state: 'due'; readonly runAt: string } | { readonly state: 'dead' };

/** A failed attempt: another one after the backoff while attempts remain, else the job is dead. */
export function afterFailure(attempt: number, maxAttempts: number, now: Date, backoff: Backoff): FailureOutcome {
  if (attempt >= maxAttempts) return { state: 'dead' };
  return { state: 'due', runAt: new Date(now.getTime() + retryDelay(attempt, backoff)).toISOString() };
}

/**
 * A running job whose lease expired: its worker died or hung without a word. That attempt counts
 * (a job that kills its worker every time must not be retried forever), so the last one makes it dead.
 */
export function afterLostLease(attempts: number, maxAttempts: number): 'claim' | 'dead' {
  return attempts >= maxAttempts ? 'dead' : 'claim';
}

export function lostLeaseMessage(owner: string | null, attempt: number): string {
  return `attempt ${attempt}: the lease of worker ${owner ?? '(unknown)'} expired before it finished (the worker stopped or hung)`;
}

/** What a thrown value says, bounded, for the job's last_error. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : safeJson(error);
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
