import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScript } from '../src/runtime/load-script.js';
import { cleanupAfterEach, createRepo } from './helpers/git-repo.js';
import { BIN, runCli, tempDir, type CliRun } from './helpers/run-cli.js';

/*
 * status, plan, version, notes and freeze run from one-file bundles with V8's code cache (scripts/bundle-cli.mjs):
 * the same commands as the whole CLI's, loaded another way. They must answer exactly as the whole CLI
 * does, which bin runs for every other command (and for these when the bundles were made by another Node).
 */
const bundleDir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
const made = JSON.parse(readFileSync(path.join(bundleDir, 'one-command.json'), 'utf8')) as { node: string; commands: Record<string, string> };
const track = cleanupAfterEach();
const temp = tempDir('shipgate-one-command-');
afterAll(() => temp.cleanup());

/** The whole CLI (dist/bundle/main.js, as bin runs it for any other command), as a process of its own. */
function runWhole(args: readonly string[], cwd: string): CliRun {
  const script = `import(${JSON.stringify(path.join(bundleDir, 'main.js'))}).then((m) => m.main(JSON.parse(process.argv[1]))).then((code) => { process.exitCode = code; })`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args)], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function repository() {
  const repo = track(createRepo());
  repo.write('shipgate.yaml', "components:\n  module:\n    paths: ['.']\n    tag: 'v{version}'\n");
  repo.commit('chore: app', { 'package.json': `${JSON.stringify({ name: 'app', version: '1.0.0' })}\n` });
  repo.tag('v1.0.0', 'Release v1.0.0');
  repo.commit('feat(search): filters (#12)\n\nDeprecated: `find()` - Use `search()` instead.', { 'search.ts': '' });
  repo.commit('fix: empty query', { 'search.ts': '// fixed\n' });
  repo.git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
  return repo;
}

describe('the one-command bundles', () => {
  it('are made by the build for status, plan, version, notes and freeze, with this Node, and V8 takes their caches', () => {
    expect(made.node).toBe(process.version);
    expect(Object.keys(made.commands).sort()).toEqual(['freeze', 'notes', 'plan', 'status', 'version']);
    for (const name of new Set(Object.values(made.commands))) {
      const script = loadScript<{ runCli: unknown }>(path.join(bundleDir, `${name}.cjs`), path.join(bundleDir, `${name}.cache`));
      expect(script.cacheRejected, name).toBe(false);
      expect(typeof script.exports.runCli).toBe('function');
    }
  });

  it('answer byte for byte as the whole CLI does: help, plans, notes, freezes, a version bump and usage errors', () => {
    const repo = repository();
    const runs = [
      ...Object.keys(made.commands).map((word) => [word, '--help']),
      ['status'],
      ['status', '--json'],
      ['plan', '--json'],
      ['notes', 'app'],
      ['notes', 'app', '--json'],
      ['notes', 'app', '--format', 'html'],
      ['notes', 'app', '--version', '1.0.0'],
      ['notes', 'nosuch'],
      ['version', '--dry-run'],
      ['version', '--frobnicate'],
      ['freeze', 'status', '--at', '2026-11-30', '--json'],
      ['freeze', 'check', '--message', 'feat: search', '--at', '2026-11-30T12:00:00Z'],
      ['freeze', 'check', '--message', 'feat: search', '--at', 'yesterday-ish'],
      ['--policy', 'missing.yaml', 'status'],
    ];
    for (const args of runs) {
      const ours = runCli(args, { cwd: repo.dir });
      const whole = runWhole(args, repo.dir);
      expect(ours, args.join(' ')).toEqual(whole);
    }
    // The version bump itself, in two copies of the repository: the same commit and tag.
    const other = repository();
    const bumped = runCli(['version', '--json'], { cwd: repo.dir });
    const wholeBumped = runWhole(['version', '--json'], other.dir);
    expect(bumped.code, bumped.stderr).toBe(0);
    expect(bumped.stdout.replaceAll(repo.dir, '')).toEqual(wholeBumped.stdout.replaceAll(other.dir, ''));
    expect(repo.git('log', '-1', '--format=%s')).toBe(other.git('log', '-1', '--format=%s'));
    expect(repo.git('tag', '--points-at', 'HEAD')).toBe('v1.1.0');
    expect(other.git('tag', '--points-at', 'HEAD')).toBe('v1.1.0');
  });

  it('is what bin runs for notes: a CPU profile names the bundle and no chunk of the split CLI', () => {
    const repo = repository();
    const dir = path.join(temp.dir, 'profile');
    const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, 'notes', 'app'], { cwd: repo.dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const [file] = readdirSync(dir);
    const urls = new Set((JSON.parse(readFileSync(path.join(dir, file as string), 'utf8')) as { nodes: { callFrame: { url: string } }[] }).nodes.map((node) => node.callFrame.url));
    expect([...urls].some((url) => url.endsWith('/dist/bundle/command-notes.cjs'))).toBe(true);
    expect([...urls].filter((url) => /\/dist\/bundle\/chunk-/.test(url))).toEqual([]);
  });

  it('still runs, compiled from its text, when V8 refuses the cache (another Node, other flags)', () => {
    const cache = path.join(temp.dir, 'command-notes.cache');
    writeFileSync(cache, Buffer.from('not a code cache'));
    // In a process of its own: V8 would reuse a script this process already compiled and never read the cache.
    const loader = fileURLToPath(new URL('../dist/runtime/load-script.js', import.meta.url));
    const script = `
      const { loadScript } = await import(${JSON.stringify(loader)});
      const script = loadScript(${JSON.stringify(path.join(bundleDir, 'command-notes.cjs'))}, ${JSON.stringify(cache)});
      let out = '';
      const io = { out: (text) => (out += text), err: () => undefined, isTty: false, cwd: process.cwd(), env: {}, now: () => new Date() };
      const code = await script.exports.runCli(['notes', '--help'], [script.exports.register], io);
      process.stdout.write(JSON.stringify({ rejected: script.cacheRejected, code, out }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: temp.dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { rejected: boolean; code: number; out: string };
    expect(result.rejected).toBe(true);
    expect(result.code).toBe(0);
    expect(result.out).toBe(runWhole(['notes', '--help'], temp.dir).stdout);
  });
});
