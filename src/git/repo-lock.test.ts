import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRepoLock, LOCK_NAME, withRepoLock } from './repo-lock.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const gitDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-lock-'));
  dirs.push(dir);
  return dir;
};

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** Many holders at once in one process: each sees the others' lock as held by a live pid, so they queue. */
async function contend(dir: string, count: number): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: count }, () =>
      withRepoLock(dir, { command: 'version', waitMs: 20_000 }, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await sleep(5);
        inside -= 1;
      }),
    ),
  );
  return most;
}

describe('the repository lock', () => {
  it('lets one holder in at a time, and leaves nothing behind', async () => {
    const dir = gitDir();
    expect(await contend(dir, 8)).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a stale lock (dead pid) raced by many is taken over by exactly one', async () => {
    const dead = deadPid();
    for (let round = 0; round < 100; round += 1) {
      const dir = gitDir();
      writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: dead, host: hostname(), command: 'version', since: 'then', nonce: 'dead' }));
      // No waiting: whoever does not win the lock is refused while the winner still holds it.
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => acquireRepoLock(dir, { command: 'version', waitMs: 0 })));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
      expect([won.length, new Set(refused)]).toEqual([1, new Set(['ELOCKED'])]);
      await won[0]!.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('a lock file nobody can read is being written while young, and stale once old', async () => {
    const dir = gitDir();
    const file = path.join(dir, LOCK_NAME);
    writeFileSync(file, '');
    await expect(acquireRepoLock(dir, { command: 'version', waitMs: 0 })).rejects.toMatchObject({ code: 'ELOCKED', message: `another shipgate is writing this repository (${file} is being created)` });
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const lock = await acquireRepoLock(dir, { command: 'version', waitMs: 0 });
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('release leaves a lock that is not its own', async () => {
    const dir = gitDir();
    const lock = await acquireRepoLock(dir, { command: 'version', waitMs: 0 });
    writeFileSync(lock.file, JSON.stringify({ ...lock.holder, nonce: 'beef' }));
    await lock.release();
    expect(existsSync(lock.file)).toBe(true);
  });
});
