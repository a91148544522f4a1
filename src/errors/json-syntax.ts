/** Where in `text` a JSON.parse error points, and its message without the position. */
export interface JsonSyntaxError {
  readonly message: string;
  /** 1-based; undefined when the message gives no position. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * Reads JSON.parse's message: V8 says "... in JSON at position N" (Node 20), newer ones add "(line L
 * column C)". The position is turned into line and column and taken out of the message.
 */
export function jsonSyntaxError(text: string, message: string): JsonSyntaxError {
  const bare = message.replace(/ in JSON at position \d+.*$/, '');
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { message: bare, line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /position (\d+)/.exec(message)?.[1];
  return offset === undefined ? { message: bare } : { message: bare, ...positionAt(text, Number(offset)) };
}

/** The 1-based line and column of a string index. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
