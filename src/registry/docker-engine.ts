import { spawn } from 'node:child_process';

/** Whether a Docker engine answers here: the docker CLI alone is not enough (`docker info` reaches the daemon). */
export function dockerEngineRunning(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('docker', ['info', '--format', '{{.ServerVersion}}'], { env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** `docker <args>` without a shell; resolves with its exit code and the last line it wrote. */
export function docker(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; last: string }> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    const keep = (chunk: Buffer) => {
      const line = chunk.toString('utf8').trim().split('\n').at(-1);
      if (line) last = line;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolve({ code: 127, last: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, last }));
  });
}
