import path from 'node:path';
import { positionAt } from '../errors/json-syntax.js';
import { ShipgateError } from '../errors/shipgate-error.js';
import { toml } from './toml.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A manifest shipgate cannot read, or cannot edit safely, and where in its text. Readers and updaters
 * see only the text; the caller, which knows the file, turns it into the user's `file:line:col` error.
 */
export class ManifestProblem extends Error {
  readonly position: Position | undefined;

  constructor(message: string, position?: Position) {
    super(message);
    this.name = 'ManifestProblem';
    this.position = position;
  }

  static at(text: string, offset: number, message: string): ManifestProblem {
    return new ManifestProblem(message, positionAt(text, Math.max(0, Math.min(offset, text.length))));
  }
}

export function manifestError(file: string, problem: ManifestProblem): ShipgateError {
  const where = problem.position === undefined ? file : `${file}:${problem.position.line}:${problem.position.column}`;
  return new ShipgateError('EMANIFEST', problem.message, { category: 'input', where, hint: 'fix the manifest; nothing was changed' });
}

/**
 * The user's error for what reading or editing `file` threw, or undefined for an error that is not
 * about the manifest's content (a bug, which keeps its stack). smol-toml's syntax errors carry a line and column.
 */
export function asManifestError(file: string, error: unknown): ShipgateError | undefined {
  if (error instanceof ManifestProblem) return manifestError(file, error);
  if (error instanceof Error && error.constructor.name === 'TomlError' && error instanceof toml().TomlError) {
    const message = `cannot parse ${path.posix.basename(file)}: ${error.message.split('\n')[0] ?? ''}`;
    return manifestError(file, new ManifestProblem(message, { line: error.line, column: error.column }));
  }
  return undefined;
}
