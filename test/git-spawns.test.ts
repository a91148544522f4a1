import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupAfterEach, createRepo } from './helpers/git-repo.js';
import { runCli, tempDir } from './helpers/run-cli.js';

/*
 * Each git process costs a few milliseconds of CPU on both sides (Node's spawn and git's start-up), on
 * commands that take a tenth of a second: `status` and `notes`, the commands a CI job runs every time,
 * must not spawn more than they need. Counted from git's own trace.
 */
const track = cleanupAfterEach();
const temp = tempDir('shipgate-git-spawns-');
afterAll(() => temp.cleanup());

function gitProcesses(args: string[], cwd: string): string[] {
  const trace = path.join(temp.dir, `trace-${Math.random().toString(36).slice(2)}`);
  const run = runCli(args, { cwd, env: { GIT_TRACE: trace } });
  expect(run.code, run.stderr).toBe(0);
  return readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes('trace: built-in: git ')).map((line) => line.slice(line.indexOf('built-in: ') + 10));
}

describe('git processes per command', () => {
  it('status, notes and notes in a fresh clone of a package at the root', () => {
    const repo = track(createRepo());
    repo.write('shipgate.yaml', "components:\n  module:\n    paths: ['.']\n    tag: 'v{version}'\n");
    repo.commit('chore: app', { 'package.json': `${JSON.stringify({ name: 'app', version: '1.0.0' })}\n` });
    repo.tag('v1.0.0', 'Release v1.0.0');
    repo.commit('feat: search\n\nDeprecated: `find()` - Use `search()` instead.', { 'search.ts': '' });
    repo.commit('chore(release): v1.1.0', { 'package.json': `${JSON.stringify({ name: 'app', version: '1.1.0' })}\n` });
    repo.tag('v1.1.0', 'Release v1.1.0');
    repo.commit('feat: filters', { 'filters.ts': '' });
    repo.commit('fix: empty query', { 'search.ts': '// fixed\n' });

    const fresh = gitProcesses(['notes', 'app', '--json'], repo.dir);
    // rev-parse, show-ref, the range (with the lower bound's tree) and, once, the history below it.
    expect(fresh).toHaveLength(4);
    expect(gitProcesses(['status'], repo.dir)).toHaveLength(3);
    // No commit names a pull request: origin's URL is not asked for.
    expect(gitProcesses(['notes', 'app'], repo.dir)).toHaveLength(3);

    const notes = JSON.parse(runCli(['notes', 'app', '--json'], { cwd: repo.dir }).stdout) as { version: string; deprecations: { what: string }[] };
    expect(notes.version).toBe('1.2.0');
    expect(notes.deprecations.map((d) => d.what)).toEqual(['`find()`']);
    rmSync(path.join(repo.dir, '.git/shipgate'), { recursive: true, force: true });
    expect(JSON.parse(runCli(['notes', 'app', '--json'], { cwd: repo.dir }).stdout)).toEqual(notes);
  });
});
