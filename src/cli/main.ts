import { commandsFor } from './commands/index.js';
import { processIo, type CliIo } from './io.js';
import { runCli } from './run-cli.js';

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 a gate or rule failed, 2 bad usage or input. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runCli(argv, await commandsFor(argv), io);
}
