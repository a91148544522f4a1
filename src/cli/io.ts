import { isatty } from 'node:tty';
import { writePieces } from './fd-writer.js';
/** Where a command writes. Tests pass their own; the bin passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Writes output made in pieces to stdout, exactly as given (see writeChunks); tests may leave it out. */
  writePieces?(pieces: Iterable<string>): void;
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
    writePieces: (pieces) => writePieces(1, pieces),
    // Asked of the descriptor: creating process.stdout makes a pipe non-blocking, which writePieces avoids.
    isTty: isatty(1),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
  };
}

function writeLine(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
  if (!text.endsWith('\n')) stream.write('\n');
}

/** Writes output made in pieces: through one reused buffer for the process, joined for a test's io. */
export function writeChunks(io: CliIo, pieces: Iterable<string>): void {
  if (io.writePieces === undefined) io.out([...pieces].join(''));
  else io.writePieces(pieces);
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
