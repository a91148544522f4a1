import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, gitEnvironment, type TestRepo } from './helpers/git-repo.js';
import { inPool, killSwitch, REAL_GIT, runAsync, type KillSwitch } from './helpers/kill-switch.js';

// Trials run a few at a time: each is two real shipgate processes, and every git call of a run is a kill point.
const WIDTH = 3;
const WRITES = /^(add|commit|tag|reset|update-ref|cherry-pick|switch|branch) /;

/**
 * Two libraries that share the workspace's package-lock.json (so one file is edited by both release
 * commits), a first CHANGELOG.md for each (files the run creates), and a bundle of both.
 */
function fixture(): TestRepo {
  const repo = createRepo({ prefix: 'shipgate-kill-repo-' });
  const pkg = (name: string) => `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`;
  repo.commit('chore: init', {
    'package.json': `${JSON.stringify({ name: 'root', private: true, workspaces: ['libs/*'] }, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify({ name: 'root', lockfileVersion: 3, requires: true, packages: { '': { name: 'root', workspaces: ['libs/*'] }, 'libs/a': { name: 'a', version: '1.0.0' }, 'libs/b': { name: 'b', version: '1.0.0' } } }, null, 2)}\n`,
    'libs/a/package.json': pkg('a'),
    'libs/b/package.json': pkg('b'),
    'shipgate.yaml': [
      'components:',
      '  lib: { description: libraries, paths: ["libs/*"], manifest: package.json, tag: "{name}/v{version}", commitMessage: "Release {name} v{version}", train: module }',
      'bundles:',
      '  suite: { description: every library, tag: "suite/v{version}", members: [lib], train: module }',
      '',
    ].join('\n'),
  });
  for (const tag of ['a/v1.0.0', 'b/v1.0.0', 'suite/v1.0.0']) repo.tag(tag, `Release ${tag}`);
  repo.commit('feat(a): spin', { 'libs/a/spin.js': 'export const spin = 1;\n' });
  repo.commit('fix(b): stop', { 'libs/b/stop.js': 'export const stop = 1;\n' });
  return repo;
}

/** What a user would compare: commits and what they changed, tags and where they point, a clean tree, no leftovers. */
function endState(dir: string, base: string) {
  const git = (...args: string[]) => execFileSync(REAL_GIT, args, { cwd: dir, encoding: 'utf8', env: gitEnvironment() });
  const normalize = (text: string) => text.replace(/^index [0-9a-f]+\.\.[0-9a-f]+.*$/gm, 'index').replace(/\*\*Release Date:\*\* \S+/g, '**Release Date:** DATE');
  return {
    branch: git('symbolic-ref', '--short', 'HEAD').trim(),
    commits: normalize(git('log', '--reverse', '--first-parent', '-p', '--format=commit %s%n%b', `${base}..HEAD`)),
    merges: git('rev-list', '--merges', `${base}..HEAD`),
    tags: git('for-each-ref', '--format=%(refname:strip=2) %(objecttype) on "%(*subject)"%0a%(contents)', 'refs/tags'),
    tagsOffBranch: git('tag', '--no-merged', 'HEAD'),
    status: git('status', '--porcelain', '--untracked-files=all', '--ignored'),
    leftovers: readdirSync(path.join(dir, '.git')).filter((name) => name.includes('shipgate')),
  };
}

describe('shipgate version killed at any moment (SIGKILL at every git call, before and after it)', () => {
  let base: TestRepo;
  let baseHead: string;
  let kill: KillSwitch;
  let work: string;
  let reference: ReturnType<typeof endState>;
  let untouched: ReturnType<typeof endState>;
  let calls: string[];
  let copies = 0;
  const copy = () => {
    const dir = path.join(work, `repo-${(copies += 1)}`);
    cpSync(base.dir, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    base = fixture();
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

  it('refuses to finish over a manifest edited after the interruption, and says how to go on', async () => {
    const dir = copy();
    const killed = await kill.run(['version'], dir, calls.findIndex((c) => c.startsWith('add ')) + 1, 'after');
    expect(killed.run.signal).toBe('SIGKILL');
    writeFileSync(path.join(dir, 'libs/a/package.json'), '{ "name": "a", "version": "7.0.0" }\n');
    const run = await runAsync(['version'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^shipgate: libs\/a\/package.json: changed after a `shipgate version` \(started \S+\) was interrupted \(undo that change/);
    execFileSync(REAL_GIT, ['checkout', '--', 'libs/a/package.json'], { cwd: dir, env: gitEnvironment() });
    expect((await runAsync(['version'], dir)).code).toBe(0);
    expect(endState(dir, baseHead)).toEqual(reference);
  }, 60_000);
});
