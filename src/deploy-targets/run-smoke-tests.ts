import type { Environment } from '../policy/schema.js';
import { fillPlaceholders, type DeployPlaceholders } from '../policy/placeholders.js';
import { httpStatus } from './http-check.js';
import { runArgv, splitCommandLine } from './run-argv.js';

export interface SmokeResult {
  readonly passed: boolean;
  readonly detail: string;
}

/** The environment's smoke tests: its command line (exit 0 passes) or its HTTP checks (each answers as expected). Null when it has none. */
export async function runSmokeTests(environment: Environment, values: DeployPlaceholders, options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<SmokeResult | null> {
  const smoke = environment.smokeTests;
  if (smoke === null) return null;
  if (typeof smoke === 'string') {
    const argv = splitCommandLine(smoke);
    if (argv.length === 0) return null;
    try {
      const { stdout } = await runArgv(argv, { ...values }, { cwd: options.cwd, timeoutMs: options.timeoutMs, signal: options.signal, ...(options.env ? { env: options.env } : {}) });
      return { passed: true, detail: `${argv.join(' ')} passed${lastLine(stdout)}` };
    } catch (error) {
      return { passed: false, detail: (error as Error).message };
    }
  }
  const lines: string[] = [];
  let passed = true;
  for (const check of smoke.http) {
    const url = fillPlaceholders(check.url, { ...values });
    const answer = await httpStatus(url, Math.min(options.timeoutMs, 30_000), options.signal);
    const ok = 'status' in answer && answer.status === check.expect;
    passed &&= ok;
    lines.push('status' in answer ? `${url} ${answer.status}${ok ? '' : ` (expected ${check.expect})`}` : `${url}: ${answer.error}`);
  }
  return { passed, detail: lines.join('; ') };
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').at(-1)?.trim() ?? '';
  return line === '' ? '' : `: ${line.slice(0, 200)}`;
}
