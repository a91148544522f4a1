import { spawn } from 'node:child_process';
import { fillPlaceholders } from '../policy/placeholders.js';
import { DeployEffectError } from './types.js';

export interface ArgvOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs an argument list from the policy without a shell: each placeholder fills one argument, so a
 * version or name can never split an argument or run a command. Stopped (SIGTERM, then SIGKILL)
 * after the timeout or when `signal` aborts; a non-zero exit is a DeployEffectError with its stderr.
 */
export function runArgv(template: readonly string[], values: Readonly<Record<string, string>>, options: ArgvOptions): Promise<{ stdout: string; stderr: string }> {
  const [command, ...args] = template.map((part) => fillPlaceholders(part, values));
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new DeployEffectError(`${shown}: not started (${String(options.signal.reason)})`));
    const child = spawn(command as string, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let stopped: string | null = null;
    const stop = (why: string) => {
      if (stopped !== null) return;
      stopped = why;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    };
    const timer = setTimeout(() => stop(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => stop('stopped');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => out.length < 1024 && out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.length < 1024 && err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new DeployEffectError(`${shown}: ${error.code === 'ENOENT' ? 'no such command' : error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (stopped !== null) return reject(new DeployEffectError(`${shown}: ${stopped}`));
      if (code === 0) return resolve({ stdout, stderr });
      const last = stderr.trim().split('\n').at(-1) ?? '';
      reject(new DeployEffectError(`${shown}: exit ${code ?? signal ?? '?'}${last ? `: ${last.slice(0, 300)}` : ''}`));
    });
  });
}

/** `tools/ci/smoke-tests.sh staging` as an argument list: split on spaces, with simple quotes kept together. */
export function splitCommandLine(line: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  return parts;
}
