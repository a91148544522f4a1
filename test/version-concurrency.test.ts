import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, type TestRepo } from './helpers/git-repo.js';
import { REAL_GIT, runAsync } from './helpers/kill-switch.js';
import { endState, librariesRepo } from './helpers/libraries-repo.js';
import { BIN, expectOneLineError, runCli } from './helpers/run-cli.js';

const track = cleanupAfterEach();
const LOCK = (repo: TestRepo) => path.join(repo.dir, '.git', 'shipgate.lock');

/** A `git` first on PATH that blocks at `git commit` until released. */
function heldGit(): { env: Record<string, string>; release(): void; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-held-'));
  const go = path.join(dir, 'go');
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\nif [ "$1" = commit ]; then while [ ! -e "${go}" ]; do sleep 0.05; done; fi\nexec "${REAL_GIT}" "$@"\n`);
  chmodSync(path.join(dir, 'git'), 0o755);
  return {
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    release: () => writeFileSync(go, ''),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The built CLI, with its stderr readable while it runs. */
function spawnCli(args: readonly string[], cwd: string): { stderr: () => string; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { stderr: () => stderr, done };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/** A pid that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(repo: TestRepo, holder: Record<string, unknown>): void {
  writeFileSync(LOCK(repo), `${JSON.stringify({ host: hostname(), command: 'version', since: '2026-01-05T12:00:00.000Z', nonce: 'a1b2c3d4', ...holder })}\n`);
}

/** One release of each library and of the bundle, every tag on the branch, nothing left behind. */
function expectOneRelease(repo: TestRepo, base: string): void {
  const state = endState(repo.dir, base);
  expect(state.commits.match(/^commit .*/gm)).toEqual(['commit Release a v1.1.0', 'commit Release b v1.0.1']);
  expect(repo.git('tag', '-l', '--sort=refname').split('\n')).toEqual(['a/v1.0.0', 'a/v1.1.0', 'b/v1.0.0', 'b/v1.0.1', 'suite/v1.0.0', 'suite/v1.1.0']);
  expect([state.tagsOffBranch, state.status, state.leftovers]).toEqual(['', '', []]);
}

describe('two shipgate version runs at once', () => {
  it('are serialized: one releases, the other finds nothing left to release; no commit or tag is lost', async () => {
    const repo = track(librariesRepo());
    const base = repo.git('rev-parse', 'HEAD');
    const runs = await Promise.all([runAsync(['version'], repo.dir), runAsync(['version'], repo.dir)]);
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const released = runs.filter((r) => r.stdout.startsWith('released:'));
    const waited = runs.filter((r) => r.stdout.startsWith('nothing to release'));
    expect([released.length, waited.length]).toEqual([1, 1]);
    // It waited if it came while the other held the lock (on a slow machine it may only have come after).
    expect(waited[0]!.stderr).toMatch(/^(waiting for another shipgate \(pid \d+, `shipgate version` since \S+\) to finish writing this repository\.\.\.\n)?$/);
    expectOneRelease(repo, base);
  }, 60_000);

  it('a run that comes while another is writing waits for it, says so once, then releases nothing twice', async () => {
    const repo = track(librariesRepo());
    const base = repo.git('rev-parse', 'HEAD');
    const hold = heldGit();
    try {
      // The first run stops at its first commit, holding the lock, until the second has said it waits.
      const first = runAsync(['version'], repo.dir, hold.env);
      await until(() => existsSync(LOCK(repo)));
      const second = spawnCli(['version'], repo.dir);
      await until(() => second.stderr().includes('waiting for another shipgate'));
      hold.release();
      const [a, b] = await Promise.all([first, second.done]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
      expect(a.stdout).toMatch(/^released:/);
      expect(b.stdout).toBe('nothing to release: no component has releasable commits\n');
      expect(b.stderr).toMatch(/^waiting for another shipgate \(pid \d+, `shipgate version` since \S+\) to finish writing this repository\.\.\.\n$/);
      expectOneRelease(repo, base);
    } finally {
      hold.cleanup();
    }
  }, 60_000);

  it('over a lock left by a dead run: exactly one of two racers takes it over', async () => {
    const repo = track(librariesRepo());
    const base = repo.git('rev-parse', 'HEAD');
    writeLock(repo, { pid: deadPid() });
    const runs = await Promise.all([runAsync(['version'], repo.dir), runAsync(['version'], repo.dir)]);
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    expect(runs.filter((r) => r.stdout.startsWith('released:'))).toHaveLength(1);
    expectOneRelease(repo, base);
  }, 60_000);
});

describe('the repository lock', () => {
  it('refuses at once (SHIPGATE_LOCK_WAIT=0) while a live process holds it, naming it and what to do', () => {
    const repo = track(librariesRepo());
    const head = repo.git('rev-parse', 'HEAD');
    writeLock(repo, { pid: process.pid });
    for (const args of [['version'], ['branch', 'release', 'a', '1.1.0'], ['cherry-pick', 'HEAD']]) {
      const run = runCli(args, { cwd: repo.dir, env: { SHIPGATE_LOCK_WAIT: '0' } });
      expect(run.code).toBe(2);
      expect(expectOneLineError(run)).toBe(
        `shipgate: another shipgate (pid ${process.pid}, \`shipgate version\`) is writing this repository since 2026-01-05T12:00:00.000Z (wait for it to finish and run the command again; if that process is gone, delete ${LOCK(repo)})`,
      );
    }
    expect([repo.git('rev-parse', 'HEAD'), repo.git('branch', '--format=%(refname:short)'), repo.git('tag', '-l', 'a/v1.1.0')]).toEqual([head, 'main', '']);
    expect(JSON.parse(readFileSync(LOCK(repo), 'utf8')).pid).toBe(process.pid);
    // A read-only command does not take the lock.
    expect(runCli(['plan'], { cwd: repo.dir, env: { SHIPGATE_LOCK_WAIT: '0' } }).code).toBe(0);
  });

  it('takes over a lock whose pid now names another process (a reused pid), and lets go of it after', () => {
    const repo = track(librariesRepo());
    const boot = existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;
    writeLock(repo, { pid: process.pid, boot, start: '1' });
    const run = runCli(['version', '--no-changelog'], { cwd: repo.dir, env: { SHIPGATE_LOCK_WAIT: '0' } });
    if (boot === undefined) {
      // Without /proc a live pid cannot be told from a reused one: the lock stands.
      expect(run.code).toBe(2);
      return;
    }
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(LOCK(repo))).toBe(false);
  });

  it('says what is wrong with a bad SHIPGATE_LOCK_WAIT', () => {
    const repo = track(librariesRepo());
    const run = runCli(['version'], { cwd: repo.dir, env: { SHIPGATE_LOCK_WAIT: 'soon' } });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: SHIPGATE_LOCK_WAIT="soon" is not a number of seconds/);
  });
});
