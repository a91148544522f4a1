import type { Command } from 'commander';
import type { CliIo } from './io.js';

export interface CliContext {
  readonly io: CliIo;
  /** Raise the process exit code (the highest one set wins): 1 for a failed gate or rule. */
  exit(code: number): void;
  /** The global options, read when a command runs. */
  globals(): { policyFile: string | undefined; cwd: string; server: string | undefined };
}

/** Each command file exports one of these; cli/commands/index.ts lists them. */
export type RegisterCommand = (program: Command, context: CliContext) => void;
