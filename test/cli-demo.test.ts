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

/*
 * What the demo's deploy history (src/demo/seed-deploys.ts) gives over the default 90 days, worked out
 * from the story (src/demo/demo-history.ts): 7 components tagged on day 0, then the module train on day
 * 26 (billing, inventory, customer), the platform on day 33 (identity, crypto, messaging), the product
 * on day 40, modules again on day 52 (3), platform on day 61 (3), product on day 63: 21 versions, plus
 * customer's emergency release on day 85 = 22 production deploys. Failed changes: inventory 1.7.0
 * (rolled back 40 min after) and customer 3.2.0 (INC-7 opened while it ran, and the emergency release
 * repairs it) = 2 of 22. Restores: the rollback's 40 min and INC-7's 90 min, median 65 min. Lead time:
 * the emergency release, deployed day 85 at 20:00 UTC, carries customer's commits of day 75 at 15:00
 * (10 d 5 h) and of day 82 at 12:00 (3 d 8 h, the docs that touch its CHANGELOG): median 6 d 18.5 h,
 * p90 3 d 8 h + 0.9 x 6 d 21 h; neither is a feature.
 */
function expectDemoMetrics(dir: string): void {
  const run = runCli(['metrics', '--json'], { cwd: dir });
  expect(run.code).toBe(0);
  const { figures } = JSON.parse(run.stdout) as { figures: Record<string, Record<string, unknown>> };
  const HOUR = 3600;
  const leads = [(10 * 24 + 5) * HOUR, (3 * 24 + 8) * HOUR].sort((a, b) => a - b);
  expect(figures.leadTime).toMatchObject({ commits: 2, medianSeconds: (leads[0]! + leads[1]!) / 2, p90Seconds: leads[0]! + (leads[1]! - leads[0]!) * 0.9, featureToProduction: { commits: 0, medianSeconds: null } });
  expect(figures.deploymentFrequency).toMatchObject({ deploys: 22 });
  expect(figures.changeFailureRate).toMatchObject({ deploys: 22, failed: 2, rate: 2 / 22, failedDeploys: ['inventory@1.7.0', 'customer@3.2.0'] });
  expect(figures.timeToRestore).toMatchObject({ restores: 2, open: 0, medianSeconds: (40 + 90) / 2 * 60 });
  for (const figure of Object.values(figures)) expect(figure.level).not.toBe('no data');
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
    expectDemoMetrics(dir);
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
    // Nothing was recorded twice.
    expectDemoMetrics(dir);
  });

  it('refuses a directory that holds something else', () => {
    writeFileSync(path.join(temp.dir, 'notes.txt'), 'mine\n');
    const run = runCli(['demo', '--dir', temp.dir, '--port', '0'], { cwd: temp.dir });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain('is not empty and is not a shipgate demo workspace');
  });
});
