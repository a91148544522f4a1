import { ManifestProblem } from './manifest-problem.js';

export type TomlValueKind = 'string' | 'multiline-string' | 'inline-table' | 'array' | 'other';

/** One value as written: its full key path (headers, dotted keys and inline tables resolved) and its span. */
export interface TomlValue {
  readonly path: readonly string[];
  /** Where its key starts (the line a user would look at). */
  readonly keyStart: number;
  readonly start: number;
  readonly end: number;
  readonly kind: TomlValueKind;
}

export interface TomlHeader {
  readonly path: readonly string[];
  readonly start: number;
}

export interface ScannedToml {
  readonly values: readonly TomlValue[];
  readonly headers: readonly TomlHeader[];
}

/**
 * Where each value of a TOML text is, in every form TOML allows for one key: `[package]` then
 * `version = …`, `["package"]`, `package.version = …` at the top, `package = { version = … }`. smol-toml
 * gives values but not positions; this gives positions, so an edit can splice one value and keep the
 * rest of the file byte for byte. Call it on text smol-toml has parsed: it trusts the grammar.
 * Elements of an array of tables (`[[bin]]`) get their index as a path segment, `[0]`, `[1]`…
 */
export function scanToml(text: string): ScannedToml {
  const values: TomlValue[] = [];
  const headers: TomlHeader[] = [];
  const arrayTables = new Map<string, number>();
  let table: string[] = [];
  let i = 0;

  const fail = (message: string): never => {
    throw ManifestProblem.at(text, i, message);
  };
  const skipSpaces = () => {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
  };
  // Inside arrays and inline tables: spaces, line breaks and comments.
  const skipBlank = () => {
    for (;;) {
      skipSpaces();
      if (text[i] === '#') while (i < text.length && text[i] !== '\n') i += 1;
      else if (text[i] === '\n' || text[i] === '\r') i += 1;
      else return;
    }
  };

  const simpleKey = (): string => {
    const char = text[i];
    if (char === '"') {
      const end = basicStringEnd(text, i);
      const key = decodeBasic(text.slice(i + 1, end - 1));
      i = end;
      return key;
    }
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail('unterminated key');
      const key = text.slice(i + 1, end);
      i = end + 1;
      return key;
    }
    const start = i;
    while (i < text.length && /[A-Za-z0-9_-]/.test(text[i] as string)) i += 1;
    if (i === start) fail('expected a key');
    return text.slice(start, i);
  };
  const dottedKey = (): string[] => {
    const segments: string[] = [];
    for (;;) {
      skipSpaces();
      segments.push(simpleKey());
      skipSpaces();
      if (text[i] !== '.') return segments;
      i += 1;
    }
  };
  const keyValue = (prefix: readonly string[], depth: number) => {
    const keyStart = i;
    const path = [...prefix, ...dottedKey()];
    if (text[i] !== '=') fail('expected "=" after a key');
    i += 1;
    skipSpaces();
    value(path, keyStart, depth);
  };

  const value = (path: readonly string[], keyStart: number, depth: number): void => {
    if (depth > 1000) fail('values are nested too deeply');
    const start = i;
    const char = text[i];
    if (char === '"' || char === "'") {
      const multiline = text.startsWith(char.repeat(3), i);
      i = multiline ? multilineStringEnd(text, i, char) : char === '"' ? basicStringEnd(text, i) : text.indexOf("'", i + 1) + 1;
      if (i <= start) fail('unterminated string');
      values.push({ path, keyStart, start, end: i, kind: multiline ? 'multiline-string' : 'string' });
      return;
    }
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      i += 1;
      let index = 0;
      for (;;) {
        skipBlank();
        if (i >= text.length) fail(`unterminated ${char === '{' ? 'inline table' : 'array'}`);
        if (text[i] === close) break;
        if (text[i] === ',') {
          i += 1;
          index += 1;
          continue;
        }
        if (char === '{') keyValue(path, depth + 1);
        else value([...path, String(index)], i, depth + 1);
      }
      i += 1;
      values.push({ path, keyStart, start, end: i, kind: char === '{' ? 'inline-table' : 'array' });
      return;
    }
    // A number, boolean or date: up to what ends a value (a date may hold a space: "1979-05-27 07:32:00").
    while (i < text.length && !',]}#\n\r'.includes(text[i] as string)) i += 1;
    let end = i;
    while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end -= 1;
    if (end === start) fail('expected a value');
    values.push({ path, keyStart, start, end, kind: 'other' });
  };

  while (i < text.length) {
    skipSpaces();
    const char = text[i];
    if (char === undefined) break;
    if (char === '\n' || char === '\r' || char === '\uFEFF') i += 1;
    else if (char === '#') while (i < text.length && text[i] !== '\n') i += 1;
    else if (char === '[') {
      const start = i;
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      table = dottedKey();
      if (text[i] !== ']') fail('expected "]" after a table name');
      i += array ? 2 : 1;
      if (array) {
        const name = JSON.stringify(table);
        const index = arrayTables.get(name) ?? 0;
        arrayTables.set(name, index + 1);
        table = [...table, `[${index}]`];
      }
      headers.push({ path: table, start });
    } else keyValue(table, 0);
  }
  return { values, headers };
}

function basicStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** After `"""…"""` or `'''…'''`; up to two quotes just before the closing three belong to the string. */
function multilineStringEnd(text: string, start: number, quote: string): number {
  for (let i = start + 3; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text.startsWith(quote.repeat(3), i)) {
      let end = i + 3;
      while (end < i + 5 && text[end] === quote) end += 1;
      return end;
    }
  }
  return -1;
}

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };

function decodeBasic(body: string): string {
  return body.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(.))/g, (_all, u4?: string, u8?: string, x2?: string, other?: string) => {
    const hex = u4 ?? u8 ?? x2;
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
    return ESCAPES[other as string] ?? (other as string);
  });
}
