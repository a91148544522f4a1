import { Command, CommanderError } from 'commander';
import { formatUserError, isShipgateError } from '../errors/shipgate-error.js';
import type { CliContext, RegisterCommand } from './context.js';
import { processIo, type CliIo } from './io.js';
import { packageVersion } from './package-version.js';

function buildProgram(commands: readonly RegisterCommand[], io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('shipgate')
    .description('Release control plane: your release policy, run as code.')
    .option('--policy <file>', 'policy file (default: shipgate.yaml in the working directory, else the built-in policy)')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option('--server <url>', 'go through the shipgate server at <url> (default: SHIPGATE_SERVER; token from SHIPGATE_TOKEN) for release, check, approve, waive, notice and postmortem')
    .version(packageVersion(), '-V, --version', 'print the shipgate version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  const context: CliContext = {
    io,
    exit: setExit,
    globals: () => {
      const options = program.opts<{ policy?: string; cwd?: string; server?: string }>();
      return { policyFile: options.policy, cwd: options.cwd ?? io.cwd, server: options.server };
    },
  };
  for (const register of commands) register(program, context);
  // Every subcommand inherits the exit override and output routing, so usage errors exit 2 everywhere.
  const configure = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
      sub.showHelpAfterError('(run with --help for usage)');
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/**
 * Runs one CLI invocation with the given commands registered and returns its exit code: 0 ok, 1 a gate
 * or rule failed, 2 bad usage or input.
 */
export async function runCli(argv: readonly string[], commands: readonly RegisterCommand[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(commands, io, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander reports --help and --version as "errors"; everything else it throws is a usage mistake.
      if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) return 0;
      return 2;
    }
    if (isShipgateError(error)) {
      io.err(formatUserError(error));
      return error.exitCode;
    }
    io.err(
      `shipgate: internal error, please report it with the command you ran:\n${error instanceof Error ? error.stack : String(error)}`,
    );
    return 70;
  }
}
