import type { Position } from './types.js';

/** Line starts of a text, for turning string indices into 1-based line:column quickly. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      this.starts.push(index + 1);
    }
  }

  position(index: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: index - (this.starts[low] ?? 0) + 1 };
  }
}

// The parser reports AST locations in UTF-8 bytes and error cursors in code points, while JS strings are
// indexed in UTF-16 units. Pure-ASCII text (nearly all SQL) needs no table, which keeps linting fast.
const NON_ASCII = /[^\x00-\x7f]/;

/** Maps a UTF-8 byte offset in `text` to a JS string index. */
export function byteToIndex(text: string): (byte: number) => number {
  if (!NON_ASCII.test(text)) return (byte) => byte;
  const table: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const code = text.codePointAt(index) ?? 0;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < bytes; b += 1) table.push(index);
    if (code >= 0x10000) index += 1;
  }
  table.push(text.length);
  return (byte) => table[Math.min(Math.max(byte, 0), table.length - 1)] ?? text.length;
}

/** Maps a code point offset in `text` to a JS string index. */
export function codePointToIndex(text: string, codePoints: number): number {
  if (!NON_ASCII.test(text)) return Math.min(codePoints, text.length);
  let index = 0;
  for (let count = 0; count < codePoints && index < text.length; count += 1) {
    index += (text.codePointAt(index) ?? 0) >= 0x10000 ? 2 : 1;
  }
  return index;
}
