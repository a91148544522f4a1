/**
 * The peers the benchmarks compare shipgate with, installed from the npm registry into bench/.work/tools
 * (not devDependencies: npm 11 writes a lock without the other platforms' optional packages, and then
 * `npm ci` refuses the lock). Versions are pinned to the newest that run on Node 20: the next majors of
 * conventional-recommended-bump, conventional-changelog and the conventionalcommits preset need Node 22.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOLS: Readonly<Record<string, string>> = {
  'conventional-recommended-bump': '11.2.0',
  'conventional-changelog': '7.2.1',
  'conventional-changelog-conventionalcommits': '9.3.1',
  'git-cliff': '2.14.2',
  'squawk-cli': '2.66.0',
};

export const toolsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '.work/tools');

/** Installs the pinned tools once (again when a pin changes); returns where their binaries are. */
export function installTools(): void {
  const manifest = path.join(toolsDir, 'package.json');
  const wanted = `${JSON.stringify({ private: true, dependencies: TOOLS }, null, 2)}\n`;
  const installed = existsSync(manifest) && readFileSync(manifest, 'utf8') === wanted && existsSync(path.join(toolsDir, 'node_modules/.package-lock.json'));
  if (installed) return;
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(manifest, wanted);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: toolsDir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cannot install the benchmark's peers from the npm registry: ${result.stderr.trim().split('\n').at(-1)}`);
}

/**
 * A tool's command line: its npm bin, or for a native tool the platform package's binary, as a user who
 * installs it with cargo or a package manager runs it (without the npm wrapper's Node start-up).
 */
export function toolCommand(name: 'conventional-recommended-bump' | 'conventional-changelog' | 'git-cliff' | 'squawk'): string[] {
  const require = createRequire(path.join(toolsDir, 'package.json'));
  const platform = { 'git-cliff': `git-cliff-${process.platform}-${process.arch}`, squawk: `@squawk-cli/${process.platform}-${process.arch}` } as const;
  if (name === 'git-cliff' || name === 'squawk') {
    try {
      return [path.join(path.dirname(require.resolve(`${platform[name]}/package.json`)), 'bin', name)];
    } catch {
      // No prebuilt binary for this platform: the wrapper finds whatever the package offers.
      return [path.join(toolsDir, 'node_modules/.bin', name)];
    }
  }
  return [path.join(toolsDir, 'node_modules/.bin', name)];
}
