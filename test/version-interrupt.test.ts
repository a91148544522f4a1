import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnvironment, type TestRepo } from './helpers/git-repo.js';
import { inPool, killSwitch, REAL_GIT, runAsync, type KillSwitch } from './helpers/kill-switch.js';
import { endState, librariesRepo, type EndState } from './helpers/libraries-repo.js';

// Trials run a few at a time: each is two real shipgate processes, and every git call of a run is a kill point.
const WIDTH = 3;
const WRITES = /^(add|commit|tag|reset|update-ref|cherry-pick|switch|branch) /;

describe('shipgate version killed at any moment (SIGKILL at every git call, before and after it)', () => {
  let base: TestRepo;
  let baseHead: string;
  let kill: KillSwitch;
  let work: string;
  let reference: EndState;
  let untouched: EndState;
  let calls: string[];
  let copies = 0;
  const git = (dir: string, ...args: string[]) => execFileSync(REAL_GIT, args, { cwd: dir, encoding: 'utf8', env: gitEnvironment() }).trim();
  const copy = () => {
    const dir = path.join(work, `repo-${(copies += 1)}`);
    cpSync(base.dir, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    base = librariesRepo();
    baseHead = base.git('rev-parse', 'HEAD');
    kill = killSwitch();
    work = mkdtempSync(path.join(tmpdir(), 'shipgate-kill-work-'));
    untouched = endState(base.dir, baseHead);
    // The uninterrupted run: the end state every interrupted one must reach, and the git calls to kill at.
    const dir = copy();
    const counted = await kill.run(['version'], dir, 0, 'after');
    expect(counted.run.code, counted.run.stderr).toBe(0);
    calls = counted.calls;
    reference = endState(dir, baseHead);
  }, 60_000);
  afterAll(() => {
    base?.cleanup();
    kill?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the uninterrupted run makes two release commits, their tags and the bundle tag', () => {
    expect(reference.commits.match(/^commit .*/gm)).toEqual(['commit Release a v1.1.0', 'commit Release b v1.0.1']);
    expect(reference.tags).toContain('suite/v1.1.0 tag on "Release b v1.0.1"\nRelease suite v1.1.0\n\nBill of materials:\n- lib a 1.1.0\n- lib b 1.0.1');
    expect(reference.tags).toContain('a/v1.1.0 tag on "Release a v1.1.0"');
    expect([reference.status, reference.tagsOffBranch, reference.leftovers]).toEqual(['', '', []]);
    // Every kind of write is among the kill points.
    for (const command of ['add', 'commit', 'tag']) expect(calls.some((c) => c.startsWith(`${command} `))).toBe(true);
  });

  it('the next run finishes the release exactly as an uninterrupted one would have made it', async () => {
    // Before every call, and after every call that writes: after a call that only reads, the repository
    // is as it was before that call, so that kill point is the one before it.
    const points = calls.flatMap((call, index) => [{ at: index + 1, when: 'before' as const }, ...(WRITES.test(call) ? [{ at: index + 1, when: 'after' as const }] : [])]);
    const results = await inPool(points.length, WIDTH, async (index) => {
      const { at, when } = points[index]!;
      const dir = copy();
      const killed = await kill.run(['version'], dir, at, when);
      const label = `killed ${when} git call ${at} (${calls[at - 1]?.split('\n')[0]})`;
      if (killed.run.signal !== 'SIGKILL') return `${label}: the run was not killed (exit ${killed.run.code}: ${killed.run.stderr})`;
      const journaled = existsSync(path.join(dir, '.git', 'shipgate-journal.json'));
      // A write cut short between its temporary file and the rename leaves that file beside the target.
      if (journaled) writeFileSync(path.join(dir, 'libs/a/.package.json.0123456789ab.tmp'), '{"half":');
      const again = await runAsync(['version'], dir);
      if (again.code !== 0) return `${label}: the next run failed (exit ${again.code}): ${again.stderr}`;
      if (journaled && !/^finished the `shipgate version` interrupted on main/.test(again.stdout)) return `${label}: the next run did not say it finished the interrupted one: ${again.stdout}`;
      try {
        expect(endState(dir, baseHead)).toEqual(reference);
      } catch (error) {
        return `${label}: ${(error as Error).message}`;
      }
      rmSync(dir, { recursive: true, force: true });
      return undefined;
    });
    expect(results.filter((r) => r !== undefined)).toEqual([]);
    expect(points.length).toBeGreaterThan(calls.length);
  }, 300_000);

  it('--abort undoes an interrupted run completely, and the next run releases afresh', async () => {
    // Kill after the first release commit, and after its tag: the worst places to be left.
    const at = [calls.findIndex((c) => c.startsWith('commit ')) + 1, calls.findIndex((c) => c.startsWith('tag ')) + 1];
    await Promise.all(at.map(async (point) => {
      const dir = copy();
      const killed = await kill.run(['version'], dir, point, 'after');
      expect(killed.run.signal).toBe('SIGKILL');
      const abort = await runAsync(['version', '--abort'], dir);
      expect(abort.code, abort.stderr).toBe(0);
      expect(abort.stdout).toMatch(/^undid the `shipgate version` interrupted on main \(started \S+\); tags removed: /);
      expect(endState(dir, baseHead)).toEqual(untouched);
      const nothing = await runAsync(['version', '--abort'], dir);
      expect(nothing.code).toBe(2);
      expect(nothing.stderr.trim()).toBe('shipgate: no interrupted `shipgate version` to abort (run `shipgate version` to release)');
      expect((await runAsync(['version'], dir)).code).toBe(0);
      expect(endState(dir, baseHead)).toEqual(reference);
    }));
  }, 120_000);

  it('--dry-run over an interrupted run says to finish it first; --continue finishes it and plans nothing new', async () => {
    const dir = copy();
    const killed = await kill.run(['version'], dir, calls.findIndex((c) => c.startsWith('commit ')) + 1, 'before');
    expect(killed.run.signal).toBe('SIGKILL');
    const dry = await runAsync(['version', '--dry-run'], dir);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/^shipgate: a `shipgate version` started \S+ was interrupted \(run `shipgate version` to finish it \(or `shipgate version --abort` to undo it\) first\)\n$/);
    const resumed = await runAsync(['version', '--continue', '--json'], dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ recovered: { command: 'version', action: 'finished', branch: 'main', tags: ['a/v1.1.0', 'b/v1.0.1', 'suite/v1.1.0'] }, applied: false, releases: [] });
    expect(endState(dir, baseHead)).toEqual(reference);
  }, 60_000);

  it('branch, like every command that writes the repository, finishes the interrupted release first', async () => {
    const dir = copy();
    const killed = await kill.run(['version'], dir, calls.findIndex((c) => c.startsWith('tag ')) + 1, 'before');
    expect(killed.run.signal).toBe('SIGKILL');
    const branch = await runAsync(['branch', 'release', 'a', '1.1.0', '--no-switch'], dir);
    expect(branch.code, branch.stderr).toBe(0);
    expect(branch.stdout).toMatch(/^finished the `shipgate version` interrupted on main \(started \S+\); tags made: a\/v1.1.0, b\/v1.0.1, suite\/v1.1.0\ncreated release\/v1.1.0 from main/);
    expect(git(dir, 'rev-parse', 'release/v1.1.0')).toBe(git(dir, 'rev-parse', 'HEAD'));
    expect(endState(dir, baseHead)).toEqual(reference);
  }, 60_000);

  it('refuses to finish over a manifest edited after the interruption, and says how to go on', async () => {
    const dir = copy();
    const killed = await kill.run(['version'], dir, calls.findIndex((c) => c.startsWith('add ')) + 1, 'after');
    expect(killed.run.signal).toBe('SIGKILL');
    writeFileSync(path.join(dir, 'libs/a/package.json'), '{ "name": "a", "version": "7.0.0" }\n');
    const run = await runAsync(['version'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^shipgate: libs\/a\/package.json: changed after a `shipgate version` \(started \S+\) was interrupted \(undo that change/);
    git(dir, 'checkout', '--', 'libs/a/package.json');
    expect((await runAsync(['version'], dir)).code).toBe(0);
    expect(endState(dir, baseHead)).toEqual(reference);
  }, 60_000);
});

describe('shipgate cherry-pick killed at any moment', () => {
  let base: TestRepo;
  let kill: KillSwitch;
  let work: string;
  let fixes: string[];
  let start: string;
  let copies = 0;
  const copy = () => {
    const dir = path.join(work, `pick-${(copies += 1)}`);
    cpSync(base.dir, dir, { recursive: true });
    return dir;
  };
  const git = (dir: string, ...args: string[]) => execFileSync(REAL_GIT, args, { cwd: dir, encoding: 'utf8', env: gitEnvironment() }).trim();
  /** The release branch holds each fix once, picked with -x, and nothing is left of the run. */
  const expectPicked = (dir: string, picked: readonly string[]) => {
    expect(git(dir, 'log', '--reverse', '--format=%s', `${start}..HEAD`).split('\n').filter(Boolean)).toEqual(picked.length === 0 ? [] : picked);
    expect(git(dir, 'log', '--format=%b', `${start}..HEAD`).match(/cherry picked from commit/g)?.length ?? 0).toBe(picked.length);
    expect([git(dir, 'symbolic-ref', '--short', 'HEAD'), git(dir, 'status', '--porcelain', '--untracked-files=all')]).toEqual(['release/v1.1.0', '']);
    expect(existsSync(path.join(dir, '.git', 'shipgate-journal.json')) || existsSync(path.join(dir, '.git', 'shipgate.lock'))).toBe(false);
  };

  beforeAll(() => {
    base = librariesRepo();
    start = base.git('rev-parse', 'HEAD');
    fixes = [base.commit('fix(a): one', { 'libs/a/one.js': '1\n' }), base.commit('fix(b): two', { 'libs/b/two.js': '2\n' }), base.commit('fix(a): spin again', { 'libs/a/spin.js': 'export const spin = 2;\n' })];
    base.git('switch', '--quiet', '-c', 'release/v1.1.0', start);
    // A change on the release branch that the third fix conflicts with.
    base.commit('fix(a): spin on the branch', { 'libs/a/spin.js': 'export const spin = 3;\n' });
    start = base.git('rev-parse', 'HEAD');
    kill = killSwitch();
    work = mkdtempSync(path.join(tmpdir(), 'shipgate-pick-work-'));
  });
  afterAll(() => {
    base?.cleanup();
    kill?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the next cherry-pick puts the branch back first, then picks each commit once', async () => {
    const counted = await kill.run(['cherry-pick', fixes[0]!, fixes[1]!], copy(), 0, 'after');
    expect(counted.run.code, counted.run.stderr).toBe(0);
    const points = counted.calls.flatMap((call, index) => [{ at: index + 1, when: 'before' as const }, ...(WRITES.test(call) ? [{ at: index + 1, when: 'after' as const }] : [])]);
    const results = await inPool(points.length, WIDTH, async (index) => {
      const { at, when } = points[index]!;
      const dir = copy();
      const killed = await kill.run(['cherry-pick', fixes[0]!, fixes[1]!], dir, at, when);
      const label = `killed ${when} git call ${at} (${counted.calls[at - 1]})`;
      if (killed.run.signal !== 'SIGKILL') return `${label}: not killed (exit ${killed.run.code})`;
      const journaled = existsSync(path.join(dir, '.git', 'shipgate-journal.json'));
      const again = await runAsync(['cherry-pick', fixes[0]!, fixes[1]!], dir);
      if (again.code !== 0) return `${label}: the next run failed: ${again.stderr}`;
      if (journaled && !again.stdout.startsWith('undid the `shipgate cherry-pick` interrupted on release/v1.1.0')) return `${label}: the next run did not say it put the branch back: ${again.stdout}`;
      try {
        expectPicked(dir, ['fix(a): one', 'fix(b): two']);
      } catch (error) {
        return `${label}: ${(error as Error).message}`;
      }
      return undefined;
    });
    expect(results.filter((r) => r !== undefined)).toEqual([]);
  }, 300_000);

  it('a run killed in the middle of a conflicting pick is undone by the next writing command', async () => {
    const dir = copy();
    const counted = await kill.run(['cherry-pick', fixes[0]!, fixes[2]!], copy(), 0, 'after');
    expect(counted.run.code).toBe(1);
    const conflicting = counted.calls.map((c, index) => ({ c, index })).filter(({ c }) => c.startsWith('cherry-pick -x'))[1]!.index + 1;
    const killed = await kill.run(['cherry-pick', fixes[0]!, fixes[2]!], dir, conflicting, 'after');
    expect(killed.run.signal).toBe('SIGKILL');
    expect(git(dir, 'status', '--porcelain')).toMatch(/^UU libs\/a\/spin.js/m);
    const next = await runAsync(['cherry-pick', fixes[1]!], dir);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^undid the `shipgate cherry-pick` interrupted on release\/v1.1.0 \(started \S+\): the branch is back where it started\npicked 1 commit onto release\/v1.1.0:/);
    expectPicked(dir, ['fix(b): two']);
  }, 60_000);
});
