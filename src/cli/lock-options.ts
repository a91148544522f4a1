import { errors } from '../errors/catalog.js';
import type { LockHolder } from '../git/repo-lock.js';
import type { CliIo } from './io.js';

const DEFAULT_WAIT_SECONDS = 30;

/**
 * How a command that writes the repository waits for another shipgate doing the same: up to
 * SHIPGATE_LOCK_WAIT seconds (0 refuses at once), saying once on stderr whom it waits for.
 */
export function lockOptions(io: CliIo): { waitMs: number; onWait: (holder: LockHolder) => void } {
  const raw = io.env.SHIPGATE_LOCK_WAIT;
  const seconds = raw === undefined || raw.trim() === '' ? DEFAULT_WAIT_SECONDS : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
    throw errors.badOption(`SHIPGATE_LOCK_WAIT="${raw}" is not a number of seconds`, 'use e.g. 30, or 0 to refuse at once when another shipgate is writing');
  }
  return {
    waitMs: Math.round(seconds * 1000),
    onWait: (holder) => io.err(`waiting for another shipgate (pid ${holder.pid}, \`shipgate ${holder.command}\` since ${holder.since}) to finish writing this repository...`),
  };
}
