/**
 * How deep a parse tree the SQL could make, estimated from its tokens, and where the estimate first
 * passes `limit`. The PostgreSQL parser (WASM) writes its tree out recursively: a statement nested a
 * few thousand levels deep (`1+1+...+1`, thousands of nested sub-selects) exhausts the JavaScript
 * stack inside it, and the WASM instance is unusable afterwards (its heap is left half-updated). So a
 * statement that could be that deep is never handed to it.
 *
 * The estimate follows what deepens the tree: a chain of operators (each one a level: `a+b+c` is
 * `(a+b)+c`), NOT, JOIN and UNION chains, and each bracket (a call, a sub-select, an array); commas,
 * AND and OR (whose operands PostgreSQL keeps in one flat list) and the clause keywords start a new
 * chain. It overestimates, never under: measured, the parser survives chains of 5,000 and 1,500 nested
 * sub-selects with half the stack already used, and the limit is far below both.
 */
export const MAX_ESTIMATED_DEPTH = 2_000;

/** A bracket costs more than an operator: a call or sub-select is several tree levels. */
const BRACKET = 5;
const CHAIN_KEYWORDS = new Set(['not', 'join', 'union', 'intersect', 'except', 'is', 'like', 'ilike', 'similar', 'between', 'in', 'collate', 'at', 'overlaps']);
const RESETTING_KEYWORDS = new Set(['and', 'or', 'when', 'then', 'else', 'select', 'from', 'where', 'set', 'values', 'returning', 'group', 'order', 'having', 'limit']);

/** The index in `text` where the estimated depth first passes `limit`, or -1 if it never does. */
export function findTooDeep(text: string, limit = MAX_ESTIMATED_DEPTH): number {
  // Every character adds at most BRACKET to the estimate: a short text cannot pass the limit.
  if (text.length * BRACKET <= limit) return -1;
  // Nor can a text whose every possible step, added up, stays within it: most migrations, in one quick pass.
  if (depthBound(text) <= limit) return -1;
  return scanDepth(text, limit);
}

/** findTooDeep's token scan alone, without its quick answers (exported for the test that they agree). */
export function scanDepth(text: string, limit: number): number {
  const chains: number[] = [0];
  let depth = 0;
  let index = 0;
  const length = text.length;
  const add = (amount: number): boolean => {
    chains[chains.length - 1] = (chains[chains.length - 1] as number) + amount;
    depth += amount;
    return depth > limit;
  };
  const reset = () => {
    depth -= chains[chains.length - 1] as number;
    chains[chains.length - 1] = 0;
  };
  while (index < length) {
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (code === 0x2d && next === 0x2d) {
      // -- comment
      const end = text.indexOf('\n', index);
      index = end === -1 ? length : end + 1;
    } else if (code === 0x2f && next === 0x2a) {
      index = skipComment(text, index);
    } else if (code === 0x27 || code === 0x22) {
      // Backslash escapes only in E'...' strings: read as escapes anywhere else, they would hide SQL.
      const escapes = code === 0x27 && (text.charCodeAt(index - 1) | 0x20) === 0x65 && !isWordCode(text.charCodeAt(index - 2));
      index = skipQuoted(text, index, code, escapes);
    } else if (code === 0x24 && !isWordCode(text.charCodeAt(index - 1))) {
      index = skipDollar(text, index);
    } else if (code === 0x28 || code === 0x5b) {
      // ( [
      chains.push(0);
      depth += BRACKET;
      if (depth > limit) return index;
      index += 1;
    } else if (code === 0x29 || code === 0x5d) {
      if (chains.length > 1) {
        depth -= (chains.pop() as number) + BRACKET;
      }
      index += 1;
    } else if (code === 0x2c) {
      reset();
      index += 1;
    } else if (code === 0x3b) {
      chains.length = 1;
      chains[0] = 0;
      depth = 0;
      index += 1;
    } else if (isOperatorCode(code)) {
      const start = index;
      // As PostgreSQL's lexer does, an operator stops before a comment starts.
      while (index < length && isOperatorCode(text.charCodeAt(index)) && !startsComment(text, index)) index += 1;
      if (index === start) continue;
      if (add(1)) return start;
    } else if (code === 0x3a && next === 0x3a) {
      if (add(1)) return index;
      index += 2;
    } else if (isWordStart(code)) {
      const start = index;
      while (index < length && isWordCode(text.charCodeAt(index))) index += 1;
      const span = index - start;
      if (span >= 2 && span <= 9) {
        const word = text.slice(start, index).toLowerCase();
        if (CHAIN_KEYWORDS.has(word)) {
          if (add(1)) return start;
        } else if (RESETTING_KEYWORDS.has(word)) reset();
      }
    } else index += 1;
  }
  return -1;
}

/** What a character can add to the estimate: see depthBound. */
const STEP = new Uint8Array(128);
const WORD = 255;
for (let code = 0; code < 128; code += 1) {
  if (isWordCode(code)) STEP[code] = WORD;
  else if (code === 0x28 || code === 0x5b) STEP[code] = BRACKET;
  else if (isOperatorCode(code) || code === 0x3a) STEP[code] = 1;
}

/**
 * An upper bound of every depth findTooDeep can reach, without reading tokens: it adds BRACKET for each
 * bracket, 1 for each operator character (a run of them adds 1 there), 1 for each colon (`::` adds 1), and 1
 * for each run of word characters (a chain keyword adds 1, and a word runs to the end of its run). It ignores
 * what lowers the estimate and what comments and strings hide, so it is never below it.
 */
function depthBound(text: string): number {
  let bound = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const step = code < 128 ? (STEP[code] as number) : WORD;
    if (step === WORD) {
      if (!inWord) bound += 1;
      inWord = true;
    } else {
      bound += step;
      inWord = false;
    }
  }
  return bound;
}

function isOperatorCode(code: number): boolean {
  // + - * / < > = ~ ! @ # % ^ & | ` ?
  return code === 0x2b || code === 0x2d || code === 0x2a || code === 0x2f || code === 0x3c || code === 0x3e || code === 0x3d || code === 0x7e || code === 0x21 || code === 0x40 || code === 0x23 || code === 0x25 || code === 0x5e || code === 0x26 || code === 0x7c || code === 0x60 || code === 0x3f;
}

function isWordStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code >= 0x80;
}

function isWordCode(code: number): boolean {
  return isWordStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x24;
}

function skipComment(text: string, index: number): number {
  let depth = 0;
  let at = index;
  while (at < text.length) {
    if (text.charCodeAt(at) === 0x2f && text.charCodeAt(at + 1) === 0x2a) {
      depth += 1;
      at += 2;
    } else if (text.charCodeAt(at) === 0x2a && text.charCodeAt(at + 1) === 0x2f) {
      depth -= 1;
      at += 2;
      if (depth === 0) return at;
    } else at += 1;
  }
  return text.length;
}

function startsComment(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  const next = text.charCodeAt(index + 1);
  return (code === 0x2d && next === 0x2d) || (code === 0x2f && next === 0x2a);
}

function skipQuoted(text: string, index: number, quote: number, escapes: boolean): number {
  let at = index + 1;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 0x5c && escapes) at += 2;
    else if (code === quote) {
      if (text.charCodeAt(at + 1) === quote) at += 2;
      else return at + 1;
    } else at += 1;
  }
  return text.length;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;

function skipDollar(text: string, index: number): number {
  DOLLAR_TAG.lastIndex = index;
  const match = DOLLAR_TAG.exec(text);
  if (match === null) return index + 1;
  const close = text.indexOf(match[0], index + match[0].length);
  return close === -1 ? text.length : close + match[0].length;
}
