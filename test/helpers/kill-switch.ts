import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from './run-cli.js';

export const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

// Put first on PATH for one shipgate run. Each git call claims the next number (mkdir is atomic: shipgate
// runs some git calls in parallel) and records its arguments; call KILL_AT kills shipgate, its parent, with
// SIGKILL, before running git (git never ran) or after (git finished, shipgate never learned it).
const SCRIPT = `#!/bin/sh
i=1
while ! mkdir "$KILL_SLOTS/$i" 2>/dev/null; do i=$((i + 1)); done
printf '%s\\n' "$*" > "$KILL_SLOTS/$i/args"
if [ "$i" = "$KILL_AT" ] && [ "$KILL_WHEN" = before ]; then kill -9 "$PPID"; exit 137; fi
"$REAL_GIT" "$@"
status=$?
if [ "$i" = "$KILL_AT" ] && [ "$KILL_WHEN" = after ]; then kill -9 "$PPID"; fi
exit $status
`;

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built shipgate as a separate process, so that several can run at once and be killed. */
export function runAsync(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface KillSwitch {
  /** Runs shipgate with the wrapper; `at` 0 kills nothing and only counts. Returns the run and the git calls it made. */
  run(args: readonly string[], cwd: string, at: number, when: 'before' | 'after'): Promise<{ run: Run; calls: string[] }>;
  cleanup(): void;
}

export function killSwitch(): KillSwitch {
  const home = mkdtempSync(path.join(tmpdir(), 'shipgate-kill-'));
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'git'), SCRIPT);
  chmodSync(path.join(bin, 'git'), 0o755);
  let runs = 0;
  return {
    async run(args, cwd, at, when) {
      const slots = path.join(home, `slots-${(runs += 1)}`);
      mkdirSync(slots);
      const run = await runAsync(args, cwd, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, REAL_GIT, KILL_SLOTS: slots, KILL_AT: String(at), KILL_WHEN: when });
      const calls = readdirSync(slots)
        .map(Number)
        .sort((a, b) => a - b)
        // A git call started beside the killed one (shipgate runs some in parallel) may not have written its arguments yet.
        .map((n) => (existsSync(path.join(slots, String(n), 'args')) ? readFileSync(path.join(slots, String(n), 'args'), 'utf8').trim() : ''));
      return { run, calls };
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** Runs `count` jobs, at most `width` at a time. */
export async function inPool<T>(count: number, width: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await job(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}
