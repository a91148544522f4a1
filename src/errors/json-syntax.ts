import { locateJsonError } from './locate-json-error.js';

/** Where in `text` a JSON.parse error points (1-based), and its message on one line without the position. */
export interface JsonSyntaxError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Reads JSON.parse's message: V8 says "... in JSON at position N" (Node 20), newer ones add "(line L
 * column C)", and "Unexpected token" names no position at all but quotes the text around it, newlines
 * and all. The position is taken out of the message (or found by scanning the text), and the quoted text
 * is cut, so the error is one line that says where.
 */
export function jsonSyntaxError(text: string, message: string): JsonSyntaxError {
  const bare = oneLine(message.replace(/ in JSON at position \d+.*$/s, ''));
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { message: bare, line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /position (\d+)/.exec(message)?.[1];
  return { message: bare, ...positionAt(text, offset === undefined ? (locateJsonError(text) ?? text.length) : Number(offset)) };
}

/** The 1-based line and column of a string index. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** "Unexpected token '}', "}\n  \"ver"... is not valid JSON": the quoted text is dropped and the token escaped. */
function oneLine(message: string): string {
  const token = /^Unexpected token '([\s\S])', [\s\S]* is not valid JSON$/.exec(message)?.[1];
  return token === undefined ? message.replace(/\r?\n/g, '\\n') : `Unexpected token ${JSON.stringify(token)}`;
}
