/** One statement's extent in a text, found by a lexer that knows PostgreSQL's quoting rules. */
export interface StatementSpan {
  /** After the previous `;` (the comments and whitespace before the statement start here). */
  readonly gapStart: number;
  /** The first character that is not whitespace or a comment. */
  readonly start: number;
  /** Just before the terminating `;` (or the end of the text), trailing whitespace trimmed. */
  readonly end: number;
}

/**
 * Splits SQL at top-level semicolons. Only used when the parser rejects a whole section, so that one bad
 * statement is reported alone and the statements around it are still linted.
 */
export function splitStatements(text: string, from = 0, to = text.length): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let gapStart = from;
  let start = -1;
  let lastCode = -1;
  let index = from;
  const open = (at: number): void => {
    if (start === -1) start = at;
  };
  while (index < to) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '-' && next === '-') {
      const newline = text.indexOf('\n', index);
      index = newline === -1 || newline > to ? to : newline + 1;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = skipBlockComment(text, index, to);
      // An unterminated comment is not a gap but an error: it becomes a statement the parser rejects at `/*`.
      if (end === -1) {
        open(index);
        index = to;
        lastCode = to - 1;
      } else index = end;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f') {
      index += 1;
      continue;
    }
    if (char === ';') {
      if (start !== -1) spans.push({ gapStart, start, end: lastCode + 1 });
      start = -1;
      gapStart = index + 1;
      index += 1;
      continue;
    }
    open(index);
    if (char === "'") index = skipQuoted(text, index, to, "'", isEscapeString(text, index));
    else if (char === '"') index = skipQuoted(text, index, to, '"', false);
    else if (char === '$') index = skipDollarQuoted(text, index, to);
    else index += 1;
    lastCode = index - 1;
  }
  if (start !== -1) spans.push({ gapStart, start, end: lastCode + 1 });
  return spans;
}

/** Just past the end of the comment (comments nest in PostgreSQL), or -1 when it never closes. */
function skipBlockComment(text: string, index: number, to: number): number {
  let depth = 0;
  let at = index;
  while (at < to) {
    if (text[at] === '/' && text[at + 1] === '*') {
      depth += 1;
      at += 2;
    } else if (text[at] === '*' && text[at + 1] === '/') {
      depth -= 1;
      at += 2;
      if (depth === 0) return at;
    } else at += 1;
  }
  return -1;
}

function isEscapeString(text: string, quote: number): boolean {
  const before = text[quote - 1];
  return (before === 'E' || before === 'e') && !/[\w$]/.test(text[quote - 2] ?? '');
}

function skipQuoted(text: string, index: number, to: number, quote: string, backslashEscapes: boolean): number {
  let at = index + 1;
  while (at < to) {
    const char = text[at];
    if (backslashEscapes && char === '\\') at += 2;
    else if (char === quote) {
      if (text[at + 1] === quote) at += 2;
      else return at + 1;
    } else at += 1;
  }
  return to;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;

function skipDollarQuoted(text: string, index: number, to: number): number {
  // `$1` parameters and identifiers containing `$` are not quotes.
  if (/[\w$]/.test(text[index - 1] ?? '')) return index + 1;
  DOLLAR_TAG.lastIndex = index;
  const match = DOLLAR_TAG.exec(text);
  if (match === null) return index + 1;
  const close = text.indexOf(match[0], index + match[0].length);
  return close === -1 || close >= to ? to : close + match[0].length;
}
