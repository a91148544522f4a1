import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, expectOneLineError, runCli, tempDir } from './helpers/run-cli.js';

/*
 * `shipgate demo` as a newcomer runs it (`npm start`): a real process on a fresh directory and a free
 * port, whose pages list the demo's releases to the tokens it prints; run again, it reuses the
 * workspace and the same tokens; SIGTERM stops it cleanly.
 */
const temp = tempDir('shipgate-cli-demo-');
afterAll(() => temp.cleanup());

interface RunningDemo {
  readonly stdout: string;
  readonly url: string;
  readonly tokens: Record<string, string>;
  stop(): Promise<number | null>;
}

async function startDemo(dir: string): Promise<RunningDemo> {
  const child = spawn(process.execPath, [BIN, 'demo', '--dir', dir, '--port', '0'], { cwd: temp.dir, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/Stop with Ctrl-C/.test(stdout)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`shipgate demo did not start:\n${stdout}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const tokens = Object.fromEntries([...stdout.matchAll(/^(tech lead|module owner|engineer)\s+\S+\s+(sgt_\S+)$/gm)].map((m) => [m[1], m[2]]));
  const url = /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1] ?? '';
  return {
    stdout,
    url,
    tokens,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function signedInPage(url: string, token: string, page: string): Promise<{ status: number; text: string }> {
  const signIn = await fetch(`${url}/sign-in`, { method: 'POST', redirect: 'manual', headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, next: page }) });
  expect(signIn.status).toBe(303);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const response = await fetch(`${url}${page}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

describe('shipgate demo', { timeout: 120_000 }, () => {
  const dir = path.join(temp.dir, 'workspace');
  const RELEASES = ['billing@2.6.0', 'identity@1.6.0', 'inventory@1.7.2', 'customer@3.2.1'];
  let firstTokens: Record<string, string> = {};

  it('creates the workspace, prints the URL and three tokens whose pages list the demo\'s releases, and stops on SIGTERM', async () => {
    const demo = await startDemo(dir);
    try {
      expect(demo.stdout).toMatch(/shipgate demo: created .* \(4 releases\) in \d+\.\d s/);
      expect(Object.keys(demo.tokens).sort()).toEqual(['engineer', 'module owner', 'tech lead']);
      firstTokens = demo.tokens;
      const board = await signedInPage(demo.url, demo.tokens['tech lead'] ?? '', '/releases?state=all');
      expect(board.status).toBe(200);
      for (const id of RELEASES) expect(board.text).toContain(id);
      const components = await signedInPage(demo.url, demo.tokens.engineer ?? '', '/components');
      for (const name of ['billing', 'inventory', 'customer', 'identity', 'crypto', 'messaging', 'fireproof-erp']) expect(components.text).toContain(`${name}<br>`);
      // The pages' stylesheet and script come from the package's assets/, wherever the CLI's code was built to.
      for (const asset of ['dashboard.css', 'dashboard.js']) expect((await fetch(`${demo.url}/assets/${asset}`)).status).toBe(200);
      // The tokens are kept for the next run, readable by their owner only.
      expect(statSync(path.join(dir, '.shipgate/demo.json')).mode & 0o077).toBe(0);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  });

  it('reuses the workspace on a second run, with the same working tokens and releases', async () => {
    const demo = await startDemo(dir);
    try {
      expect(demo.stdout).toMatch(/shipgate demo: reused /);
      expect(demo.tokens).toEqual(firstTokens);
      const board = await signedInPage(demo.url, demo.tokens['module owner'] ?? '', '/releases?state=all');
      expect(board.status).toBe(200);
      for (const id of RELEASES) expect(board.text).toContain(id);
      const list = JSON.parse(runCli(['token', 'list', '--json'], { cwd: dir }).stdout) as unknown[];
      expect(list).toHaveLength(3);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  });

  it('refuses a directory that holds something else', () => {
    writeFileSync(path.join(temp.dir, 'notes.txt'), 'mine\n');
    const run = runCli(['demo', '--dir', temp.dir, '--port', '0'], { cwd: temp.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain('is not empty and is not a shipgate demo workspace');
  });
});
