import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRepo, type TestRepo } from './helpers/git-repo.js';
import { expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';

/** A repository in a directory of its own, so what lands beside it ("outside") can be seen. */
function repoWithNeighbours(): { repo: TestRepo; outside: string } {
  const parent = tempDir('shipgate-store-path-');
  cleanups.push(parent.cleanup);
  const repo = createRepo({ prefix: `${path.relative(tmpdir(), parent.dir)}/repo-` });
  cleanups.push(repo.cleanup);
  return { repo, outside: parent.dir };
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('the SQLite file the policy names stays inside the repository', () => {
  it('refuses store.sqlite: ../outside.db with one line, exit 2, and creates nothing outside', () => {
    const { repo, outside } = repoWithNeighbours();
    writeFileSync(path.join(repo.dir, 'shipgate.yaml'), 'version: 1\nstore:\n  sqlite: ../outside.db\n');
    const run = runCli(['release', 'list'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toMatch(/^shipgate: the store file \(store.sqlite in the policy\) "\.\.\/outside\.db" is outside the repository \(/);
    expect(readdirSync(outside)).toEqual([path.basename(repo.dir)]);
  });

  it('refuses a .shipgate/ that is a symlink out of the repository, and writes nothing where it points', () => {
    const { repo, outside } = repoWithNeighbours();
    const elsewhere = path.join(outside, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(repo.dir, '.shipgate'));
    const run = runCli(['release', 'list'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain(`the store file (store.sqlite in the policy) ".shipgate/shipgate.db" is outside the repository (it resolves to ${path.join(elsewhere, 'shipgate.db')})`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('refuses a store file that is itself a symlink out of the repository', () => {
    const { repo, outside } = repoWithNeighbours();
    mkdirSync(path.join(repo.dir, '.shipgate'));
    symlinkSync(path.join(outside, 'stolen.db'), path.join(repo.dir, '.shipgate', 'shipgate.db'));
    const run = runCli(['release', 'list'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain('is outside the repository');
    expect(existsSync(path.join(outside, 'stolen.db'))).toBe(false);
  });

  it('keeps the default store under .shipgate/, and a symlink that stays inside the repository', () => {
    const { repo } = repoWithNeighbours();
    expect(runCli(['release', 'list'], { cwd: repo.dir }).code).toBe(0);
    expect(existsSync(path.join(repo.dir, '.shipgate', 'shipgate.db'))).toBe(true);
    mkdirSync(path.join(repo.dir, 'state'));
    writeFileSync(path.join(repo.dir, 'shipgate.yaml'), 'version: 1\nstore:\n  sqlite: linked/releases.db\n');
    symlinkSync('state', path.join(repo.dir, 'linked'));
    expect(runCli(['release', 'list'], { cwd: repo.dir }).code).toBe(0);
    expect(existsSync(path.join(repo.dir, 'state', 'releases.db'))).toBe(true);
  });

  it('lets --db and SHIPGATE_DATABASE_URL, the user\'s own choice, name a file anywhere', () => {
    const { repo, outside } = repoWithNeighbours();
    writeFileSync(path.join(repo.dir, 'shipgate.yaml'), 'version: 1\nstore:\n  sqlite: ../outside.db\n');
    expect(runCli(['release', 'list', '--db', '../chosen.db'], { cwd: repo.dir }).code).toBe(0);
    expect(runCli(['release', 'list'], { cwd: repo.dir, env: { SHIPGATE_DATABASE_URL: path.join(outside, 'from-env.db') } }).code).toBe(0);
    expect(readdirSync(outside).sort()).toEqual(['chosen.db', 'from-env.db', path.basename(repo.dir)].sort());
  });
});
