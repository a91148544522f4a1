import { durationMs } from '../policy/duration.js';
import type { Policy } from '../policy/schema.js';
import { runArgv } from './run-argv.js';
import { versionFromText, type DeployTarget, type PlaceholdersFor } from './types.js';

type CommandSpec = Extract<NonNullable<Policy['environments'][string]['target']>, { type: 'command' }>;

/** A target driven by the policy's own commands: `deploy`, `current` and `rollback` (default: `deploy` with the older version). */
export function commandTarget(spec: CommandSpec, placeholders: PlaceholdersFor, options: { cwd: string; env?: NodeJS.ProcessEnv }): DeployTarget {
  const timeoutMs = durationMs(spec.timeout);
  const run = (argv: readonly string[], version: string, signal?: AbortSignal) => runArgv(argv, { ...placeholders(version) }, { cwd: options.cwd, timeoutMs, signal, ...(options.env ? { env: options.env } : {}) });
  const last = (text: string) => text.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
  return {
    description: `command ${spec.deploy[0] ?? ''}`,
    async current(signal) {
      // The version is not known yet: {version} and {image} are empty here.
      const { stdout } = await run(spec.current, '', signal);
      return versionFromText(stdout);
    },
    async deploy(version, signal) {
      const { stdout } = await run(spec.deploy, version, signal);
      return last(stdout) || `${spec.deploy[0] ?? 'deploy'} exited 0`;
    },
    async rollback(version, signal) {
      const { stdout } = await run(spec.rollback ?? spec.deploy, version, signal);
      return last(stdout) || `${(spec.rollback ?? spec.deploy)[0] ?? 'rollback'} exited 0`;
    },
  };
}
