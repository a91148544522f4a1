import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach } from 'vitest';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A node script run as a real process (a job worker), what it prints kept. */
export interface ScriptProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<Exit>;
}

export function startScript(script: string, args: readonly string[], env: Record<string, string> = {}): ScriptProcess {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env } });
  const started: ScriptProcess = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))) };
  child.stdout.on('data', (chunk: Buffer) => (started.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (started.stderr += chunk.toString()));
  return started;
}

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
}

/**
 * What each test of the calling file starts, undone after it whether it passed or not: the processes
 * in `processes` still running are killed with SIGKILL and waited for first (so nothing writes any
 * more), then `cleanups` run, the last added first (a store opened after the repository is closed
 * before it is removed).
 */
export function tearDownAfterEach<P extends Started>(): { processes: P[]; cleanups: (() => unknown)[] } {
  const processes: P[] = [];
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const started of processes) if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
    await Promise.all(processes.splice(0).map((started) => started.exited));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return { processes, cleanups };
}
