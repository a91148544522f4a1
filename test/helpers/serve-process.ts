import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN } from './run-cli.js';

/** A real `shipgate serve` process on a free port, its log lines kept. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[];
  stderr: string;
  url: string;
  worker: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(cwd: string, db: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { cwd, env: { ...process.env, NO_COLOR: '1', SHIPGATE_JOB_POLL_MS: '50', ...env } });
  const served: ServeProcess = {
    child,
    lines: [],
    stderr: '',
    url: '',
    worker: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') served.lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => (served.stderr += chunk.toString('utf8')));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listening = served.lines.find((line) => line.msg === 'listening');
    if (listening) {
      served.url = String(listening.url);
      served.worker = String(listening.worker);
      return served;
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`shipgate serve did not start: ${served.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
