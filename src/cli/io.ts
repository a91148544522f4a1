import { isatty } from 'node:tty';
import { writePieces, writeText } from './fd-writer.js';
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
    // Straight to the descriptors, never through process.stdout: its EPIPE, when the reader goes away
    // (`| head -1`), is an error event that would crash the process; these end the output quietly.
    out: (text) => writeLine(1, text),
    err: (text) => writeLine(2, text),
    writePieces: (pieces) => writePieces(1, pieces),
    // Asked of the descriptor: creating process.stdout makes a pipe non-blocking, which writePieces avoids.
    isTty: isatty(1),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
  };
}

// Written as given, then a newline if it lacks one: no copy of a large report just to end it.
function writeLine(fd: number, text: string): void {
  writeText(fd, text);
  if (!text.endsWith('\n')) writeText(fd, '\n');
}

/** Writes output made in pieces: through one reused buffer for the process, joined for a test's io. */
export function writeChunks(io: CliIo, pieces: Iterable<string>): void {
  if (io.writePieces === undefined) io.out([...pieces].join(''));
  else io.writePieces(pieces);
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
