import type { RawStmt } from 'libpg-query';
import type { SqlParser } from './pg-parser.js';
import { splitStatements } from './split-statements.js';
import { byteToIndex, codePointToIndex } from './text-position.js';
import type { Statement } from './types.js';

export interface SyntaxErrorAt {
  readonly message: string;
  /** Where the parser stopped, as a JS index into the file text. */
  readonly at: number;
  readonly gapStart: number;
  readonly start: number;
  readonly end: number;
}

export type ParsedItem = { readonly statement: Statement } | { readonly syntaxError: SyntaxErrorAt };

/**
 * Parses `text[from, to)` into statements with positions in `text`. The whole section goes to the parser
 * in one call (fast); only if that fails is it split and parsed statement by statement, so a syntax error
 * is reported at its own statement and never hides findings in the others.
 */
export function parseSection(parser: SqlParser, text: string, from: number, to: number): ParsedItem[] {
  const section = text.slice(from, to);
  const outcome = parser.parse(section);
  if (outcome.ok) return toStatements(outcome.result.stmts ?? [], section, from, from);
  const items: ParsedItem[] = [];
  let syntaxErrors = 0;
  for (const span of splitStatements(text, from, to)) {
    const piece = text.slice(span.start, span.end);
    const one = parser.parse(piece);
    if (one.ok) {
      items.push(...toStatements(one.result.stmts ?? [], piece, span.start, span.gapStart));
    } else {
      const at = span.start + codePointToIndex(piece, one.cursor);
      items.push({ syntaxError: { message: one.message, at, gapStart: span.gapStart, start: span.start, end: span.end } });
      syntaxErrors += 1;
    }
  }
  // The parser rejected the section, so the section has an error even if the split lost it (the splitter only
  // approximates PostgreSQL's lexer): report the parser's own, where it points.
  if (syntaxErrors === 0) {
    const at = from + codePointToIndex(section, outcome.cursor);
    items.push({ syntaxError: { message: outcome.message, at, gapStart: at, start: at, end: Math.max(at, trimmedLength(text.slice(0, to))) } });
  }
  return items;
}

function toStatements(raw: readonly RawStmt[], parsed: string, base: number, firstGap: number): ParsedItem[] {
  const toLocal = byteToIndex(parsed);
  const toIndex = (byte: number): number => base + toLocal(byte);
  const items: ParsedItem[] = [];
  let gapStart = firstGap;
  for (const stmt of raw) {
    if (stmt.stmt === undefined) continue;
    // protobuf-JSON omits zero values: a missing location is 0, a missing length means "to the end".
    const location = stmt.stmt_location ?? 0;
    const start = toIndex(location);
    const end = stmt.stmt_len ? toIndex(location + stmt.stmt_len) : base + trimmedLength(parsed);
    items.push({ statement: { ast: stmt.stmt, start, end, gapStart, toIndex } });
    gapStart = end;
  }
  return items;
}

function trimmedLength(text: string): number {
  let end = text.length;
  while (end > 0 && /[\s;]/.test(text[end - 1] ?? '')) end -= 1;
  return end;
}
