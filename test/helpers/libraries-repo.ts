import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createRepo, gitEnvironment, type TestRepo } from './git-repo.js';
import { REAL_GIT } from './kill-switch.js';

/**
 * Two libraries that share the workspace's package-lock.json (so one file is edited by both release
 * commits), a first CHANGELOG.md for each (files the run creates), and a bundle of both.
 */
export function librariesRepo(): TestRepo {
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
export function endState(dir: string, base: string): EndState {
  const git = (...args: string[]) => execFileSync(REAL_GIT, args, { cwd: dir, encoding: 'utf8', env: gitEnvironment() });
  const normalize = (text: string) => text.replace(/^index [0-9a-f]+\.\.[0-9a-f]+.*$/gm, 'index').replace(/\*\*Release Date:\*\* \S+/g, '**Release Date:** DATE');
  return {
    branch: git('symbolic-ref', '--short', 'HEAD').trim(),
    commits: normalize(git('log', '--reverse', '--first-parent', '-p', '--format=commit %s%n%b', `${base}..HEAD`)),
    merges: git('rev-list', '--merges', `${base}..HEAD`),
    tags: git('for-each-ref', '--format=%(refname:strip=2) %(objecttype) on "%(*subject)"%0a%(contents)', 'refs/tags'),
    tagsOffBranch: git('tag', '--no-merged', 'HEAD'),
    status: git('status', '--porcelain', '--untracked-files=all', '--ignored'),
    // The lock and the journal of an interrupted run; not .git/shipgate, the cache every command may keep
    // (the parsed policy, the deprecations index), which no run has to clean up.
    leftovers: readdirSync(path.join(dir, '.git')).filter((name) => name.includes('shipgate') && name !== 'shipgate'),
  };
}


export interface EndState {
  readonly branch: string;
  readonly commits: string;
  readonly merges: string;
  readonly tags: string;
  readonly tagsOffBranch: string;
  readonly status: string;
  readonly leftovers: readonly string[];
}
