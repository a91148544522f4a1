/** Where a command writes. Tests pass their own; the bin passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal: colors and progress only then. */
  readonly isTty: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The current time; the only place the CLI reads the clock. */
  now(): Date;
}

export function processIo(): CliIo {
  return {
    // Written as given, then a newline if it lacks one: no copy of a large report just to end it.
    out: (text) => writeLine(process.stdout, text),
    err: (text) => writeLine(process.stderr, text),
    isTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
  };
}

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
  if (!text.endsWith('\n')) stream.write('\n');
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
