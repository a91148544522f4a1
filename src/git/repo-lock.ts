import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShipgateError } from '../errors/shipgate-error.js';

/** Who holds the lock: enough to tell whether it is still running, and to tell a person who it is. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
  readonly nonce: string;
  /** The kernel's boot id and the process's start time: a reboot or a reused pid makes the lock stale. */
  readonly boot?: string;
  readonly start?: string;
}

export interface LockOptions {
  /** The command taking the lock, e.g. "version", shown to a run that has to wait. */
  readonly command: string;
  /** How long to wait for another run to let go, in milliseconds; 0 refuses at once. */
  readonly waitMs: number;
  /** Called once, when another live run holds the lock and this one starts waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  readonly now?: () => Date;
}

export interface RepoLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export const LOCK_NAME = 'shipgate.lock';
// A lock file that cannot be read as a holder is one being written (it is created, then filled); past
// this age it is what a crash or a power loss left.
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Runs `fn` holding the repository's lock: one file in git's common directory (shared by every work
 * tree), created with O_EXCL so exactly one run holds it. Every command that writes the repository
 * (commits, tags, branches, checkouts) holds it, so two runs never interleave their writes and undo
 * each other's work.
 */
export async function withRepoLock<T>(commonDir: string, options: LockOptions, fn: (lock: RepoLock) => Promise<T>): Promise<T> {
  const lock = await acquireRepoLock(commonDir, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

export async function acquireRepoLock(commonDir: string, options: LockOptions): Promise<RepoLock> {
  const file = path.join(commonDir, LOCK_NAME);
  const now = options.now ?? (() => new Date());
  const holder: LockHolder = { pid: process.pid, host: hostname(), command: options.command, since: now().toISOString(), nonce: randomBytes(8).toString('hex'), ...processIdentity(process.pid) };
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    if (await create(file, holder)) {
      await removeOldClaims(commonDir, holder.nonce);
      return { file, holder, release: () => release(file, holder.nonce) };
    }
    const found = await readHolder(file);
    if (found === undefined) continue;
    if (isStale(found)) {
      await takeOver(file, found);
      continue;
    }
    if (Date.now() >= deadline) throw busy(file, found.holder);
    if (!told && found.holder) {
      options.onWait?.(found.holder);
      told = true;
    }
    // Jitter so two waiters do not retry in step.
    await sleep(Math.min(50 + Math.random() * 100, Math.max(1, deadline - Date.now())));
  }
}

async function create(file: string, holder: LockHolder): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new ShipgateError('ELOCK', `cannot create the lock ${file}: ${(error as Error).message}`, { category: 'unavailable', hint: 'check that the .git directory is writable' });
  }
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

interface Found {
  /** Undefined when the file cannot be read as a holder (being written, or left broken). */
  readonly holder: LockHolder | undefined;
  /** Names this very lock file (its nonce, or its inode and time when unreadable): never reused. */
  readonly identity: string;
  readonly ageMs: number;
}

async function readHolder(file: string): Promise<Found | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const holder = parseHolder(text);
    return { holder, identity: holder?.nonce ?? `inode-${info.ino}-${Math.trunc(info.mtimeMs)}`, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.nonce === 'string' && /^[0-9a-f]+$/.test(value.nonce) ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** A holder is gone when its process is: dead pid, another boot, or the pid now names another process. */
function isStale(found: Found): boolean {
  const { holder } = found;
  if (holder === undefined) return found.ageMs > UNREADABLE_GRACE_MS;
  // A process on another machine (a shared file system) cannot be asked about: it counts as running.
  if (holder.host !== hostname()) return false;
  const current = processIdentity(holder.pid);
  if (holder.boot !== undefined && current.boot !== undefined && holder.boot !== current.boot) return true;
  if (!isRunning(holder.pid)) return true;
  return holder.start !== undefined && current.start !== undefined && holder.start !== current.start;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux's boot id and a process's start time (clock ticks since boot); absent elsewhere. */
function processIdentity(pid: number): { boot?: string; start?: string } {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime), counted after the command name, which may itself hold spaces and parentheses.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start === undefined ? { boot } : { boot, start };
  } catch {
    return {};
  }
}

/**
 * Removes a stale lock so that only one of several racers does it. Unlinking by path is not enough:
 * two racers that both saw the dead holder would each remove it, the second removing the lock the
 * first had just taken. So a racer first claims this particular stale lock (a file named by its
 * identity, created with O_EXCL), then checks the lock is still that one before removing it. The claim
 * is let go after: the stale lock is gone for good, and whoever claims it later finds another lock.
 */
async function takeOver(file: string, stale: Found): Promise<void> {
  const claim = `${file}.takeover-${stale.identity}`;
  let handle;
  try {
    handle = await open(claim, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is taking it over; if that someone died on the spot, a person has to look.
    const claimAge = await stat(claim).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (claimAge > UNREADABLE_GRACE_MS) {
      throw new ShipgateError('ELOCK', `a stale lock ${file} is stuck half taken over`, { category: 'unavailable', hint: `no shipgate is running on it: delete ${file} and ${claim}` });
    }
    await sleep(20);
    return;
  }
  try {
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    const again = await readHolder(file);
    if (again !== undefined && again.identity === stale.identity) await unlink(file).catch(ignoreMissing);
  } finally {
    await unlink(claim).catch(ignoreMissing);
  }
}

/** Claims left by a racer that died while taking over a stale lock: that lock is gone, so they are. */
async function removeOldClaims(commonDir: string, own: string): Promise<void> {
  const prefix = `${LOCK_NAME}.takeover-`;
  const names = await readdir(commonDir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.startsWith(prefix) && name !== `${prefix}${own}`).map((name) => unlink(path.join(commonDir, name)).catch(ignoreMissing)));
}

async function release(file: string, nonce: string): Promise<void> {
  const found = await readHolder(file).catch(() => undefined);
  // Only our own lock: if it was (wrongly) taken over, removing the new holder's would let a third run in.
  if (found?.holder?.nonce === nonce) await unlink(file).catch(ignoreMissing);
}

function busy(file: string, holder: LockHolder | undefined): ShipgateError {
  if (holder === undefined) {
    return new ShipgateError('ELOCKED', `another shipgate is writing this repository (${file} is being created)`, { category: 'unavailable', hint: 'wait for it to finish and run the command again' });
  }
  const who = `another shipgate (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, \`shipgate ${holder.command}\`)`;
  return new ShipgateError('ELOCKED', `${who} is writing this repository since ${holder.since}`, {
    category: 'unavailable',
    hint: `wait for it to finish and run the command again; if that process is gone, delete ${file}`,
  });
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
