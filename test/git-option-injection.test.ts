import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAfterEach, createRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, type CliRun } from './helpers/run-cli.js';

const track = cleanupAfterEach();
const outsides: string[] = [];
afterEach(() => outsides.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A directory outside the repository that a git option smuggled in a name would write into. */
function outsideDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipgate-outside-'));
  outsides.push(dir);
  return dir;
}

const pkg = (name: string, version: string) => `{ "name": "${name}", "version": "${version}" }\n`;

/** A command may work or refuse, but with one line and no stack; never exit 70. */
function answered(run: CliRun): CliRun {
  expect([0, 1, 2], run.stderr).toContain(run.code);
  if (run.code === 2) expectOneLineError(run);
  return run;
}

describe('names from tags, branches and templates never reach git as options', () => {
  it('a release tag named --output=<dir>/… is a name: check, notes, hotfix and version write nothing outside', () => {
    const outside = outsideDir();
    const repo = track(createRepo());
    // git tag refuses such names, but a fetched ref or `git update-ref` makes them; the policy's template matches them.
    const template = `--output=${outside}/pwned-{name}-v{version}`;
    repo.commit('chore: init', {
      'libs/a/package.json': pkg('a', '1.0.0'),
      'shipgate.yaml': `components:\n  lib: { description: libraries, paths: ["libs/*"], manifest: package.json, tag: "${template}", commitMessage: "Release {name} v{version}", train: module }\n`,
      '.gitignore': '.shipgate/\n',
    });
    repo.git('update-ref', `refs/tags/--output=${outside}/pwned-a-v1.0.0`, 'HEAD');
    repo.commit('fix(a): one', { 'libs/a/one.js': '\n', 'libs/a/package.json': pkg('a', '1.1.0') });
    repo.git('update-ref', `refs/tags/--output=${outside}/pwned-a-v1.1.0`, 'HEAD');
    repo.commit('feat(a): two', { 'libs/a/two.js': '\n' });
    const cli = (...args: string[]) => answered(runCli(args, { cwd: repo.dir }));

    expect(cli('status').code).toBe(0);
    expect(JSON.parse(cli('plan', '--json').stdout).components[0]).toMatchObject({ name: 'a', nextVersion: '1.2.0' });
    expect(cli('release', 'create', 'a').code).toBe(0);
    // check diffs the candidate against the last tag: `git diff --output=<dir>/…` would write a file there.
    cli('check', 'a');
    expect(readdirSync(outside)).toEqual([]);
    // The notes of a past release read the commits since the release before it (the tag named like an option).
    const notes = cli('notes', 'a@1.1.0');
    expect(notes.code).toBe(0);
    expect(notes.stdout).toContain('One');
    const hotfix = cli('branch', 'hotfix', 'a', '--no-switch');
    expect(hotfix.code).toBe(0);
    expect(repo.git('rev-parse', 'hotfix/v1.1.1')).toBe(repo.git('rev-parse', 'HEAD~1'));
    // A tag shipgate would make from that template is refused before anything changes.
    const head = repo.git('rev-parse', 'HEAD');
    const version = cli('version');
    expect(version.code).toBe(2);
    expect(expectOneLineError(version)).toMatch(/not a usable git tag name/);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a branch named like an option and a component directory named -n: plan, version and branch work, nothing is written outside', () => {
    const outside = outsideDir();
    const repo = track(createRepo());
    repo.commit('chore: init', {
      'libs/-n/package.json': pkg('dash', '1.0.0'),
      'libs/other/package.json': pkg('other', '1.0.0'),
      'shipgate.yaml': 'components:\n  lib: { description: libraries, paths: ["libs/*"], manifest: package.json, tag: "lib-{name}-v{version}", commitMessage: "Release {name} v{version}", train: module }\n',
    });
    repo.tag('lib--n-v1.0.0', 'released');
    repo.tag('lib-other-v1.0.0', 'released');
    // HEAD on a branch whose name is an option.
    repo.git('update-ref', `refs/heads/--output=${outside}/branch`, 'HEAD');
    repo.git('symbolic-ref', 'HEAD', `refs/heads/--output=${outside}/branch`);
    repo.commit('fix: other', { 'libs/other/fix.js': '\n' });
    repo.commit('fix: dash', { 'libs/-n/fix.js': '\n' });
    const cli = (...args: string[]) => answered(runCli(args, { cwd: repo.dir }));

    const plan = JSON.parse(cli('plan', '--json').stdout) as { components: { name: string; commits: { subject: string }[] }[] };
    expect(plan.components.map((c) => [c.name, c.commits.map((commit) => commit.subject)])).toEqual([['-n', ['fix: dash']], ['other', ['fix: other']]]);
    expect(cli('version').code).toBe(0);
    expect(repo.git('tag', '-l', '--sort=refname', 'lib-*-v1.0.1').split('\n')).toEqual(['lib--n-v1.0.1', 'lib-other-v1.0.1']);
    expect(repo.git('symbolic-ref', 'HEAD')).toBe(`refs/heads/--output=${outside}/branch`);
    expect(cli('notes', '--', '-n@1.0.1').stdout).toContain('Dash');
    expect(cli('branch', 'release', 'other', '1.1.0', '--no-switch').code).toBe(0);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a directory named like a git wildcard is that one directory: its notes hold only its own history', () => {
    const repo = track(createRepo());
    repo.commit('chore: init', {
      'libs/a/package.json': pkg('a', '1.0.0'),
      'libs/a*/package.json': pkg('astar', '1.0.0'),
      'shipgate.yaml': 'components:\n  lib: { description: libraries, paths: ["libs/*"], manifest: package.json, tag: "lib-{name}-v{version}", commitMessage: "Release {name} v{version}", train: module }\n',
    });
    repo.commit('feat(a): new api\n\nDeprecated: `oldApi` - Use `newApi` instead.', { 'libs/a/api.js': '\n' });
    repo.commit('fix: astar', { 'libs/a*/fix.js': '\n' });
    const notes = runCli(['notes', 'a*', '--json'], { cwd: repo.dir });
    expect(notes.code).toBe(0);
    expect(JSON.parse(notes.stdout).deprecations).toEqual([]);
  });

  it('refuses a release or hotfix branch name that git would not take, before creating anything', () => {
    const repo = track(createRepo());
    repo.commit('chore: init', {
      'libs/a/package.json': pkg('a', '1.0.0'),
      'shipgate.yaml': 'branches: { release: "-release-{name}..v{version}" }\ncomponents:\n  lib: { description: libraries, paths: ["libs/*"], manifest: package.json, tag: "{name}/v{version}", commitMessage: "Release {name} v{version}", train: module }\n',
    });
    const run = runCli(['branch', 'release', 'a', '1.1.0'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/"-release-a..v1.1.0" \(from the template "-release-\{name\}..v\{version\}"\) is not a usable git branch name/);
    expect(repo.git('branch', '--format=%(refname:short)')).toBe('main');
  });
});
