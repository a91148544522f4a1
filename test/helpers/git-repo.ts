import { afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Real temporary git repositories for tests: fixed branch, identity and dates, no signing, no user or
 * system config, removed by cleanup(). Every git test goes through this one helper.
 */
export interface TestRepo {
  readonly dir: string;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  /** Writes files (if any) and commits everything; returns the new commit's sha. */
  commit(message: string, files?: Record<string, string>): string;
  tag(name: string, message?: string): void;
  cleanup(): void;
}

let clock = Date.parse('2026-01-05T12:00:00Z') / 1000;

export function gitEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    LC_ALL: 'C',
  };
}

export function createRepo(options: { bare?: boolean; prefix?: string } = {}): TestRepo {
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix ?? 'shipgate-repo-'));
  const run = (...args: string[]) => {
    clock += 60;
    const date = `${clock} +0000`;
    return execFileSync('git', args, { cwd: dir, env: { ...gitEnvironment(), GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  };
  run('init', '--quiet', '--initial-branch=main', ...(options.bare ? ['--bare'] : []));
  run('config', 'commit.gpgsign', 'false');
  run('config', 'tag.gpgsign', 'false');
  run('config', 'user.name', 'Test Author');
  run('config', 'user.email', 'author@example.com');
  const write = (file: string, content: string) => {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  };
  return {
    dir,
    git: run,
    write,
    commit(message, files = {}) {
      for (const [file, content] of Object.entries(files)) write(file, content);
      run('add', '--all');
      run('commit', '--quiet', '--allow-empty', '-m', message);
      return run('rev-parse', 'HEAD');
    },
    tag(name, message) {
      if (message === undefined) run('tag', name);
      else run('tag', '-a', name, '-m', message);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Removes every repository it is given after each test of the calling file. */
export function cleanupAfterEach(): <T extends TestRepo>(repo: T) => T {
  const repos: TestRepo[] = [];
  afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));
  return (repo) => {
    repos.push(repo);
    return repo;
  };
}
