import { jsonSyntaxError } from '../errors/json-syntax.js';
import { ManifestProblem } from './manifest-problem.js';

export type JsonPath = readonly (string | number)[];

export interface ScannedJson {
  readonly data: unknown;
  /** Where the value at a key path starts in the text, if it is there. */
  offsetOf(path: JsonPath): number | undefined;
}

/**
 * JSON.parse plus where each value is, and no duplicate keys: JSON.parse keeps the last of two equal
 * keys while a text edit finds the first, so with duplicates shipgate and npm would read different
 * files. A loop with its own stack, not recursion, so a deeply nested file cannot overflow it.
 */
export function scanJson(text: string, fileName: string): ScannedJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { message, line, column } = jsonSyntaxError(text, (error as Error).message);
    throw new ManifestProblem(`cannot parse ${fileName}: ${message}`, { line, column });
  }
  const offsets = new Map<string, number>();
  const stack: { path: JsonPath; object: boolean; keys: Set<string>; key: string | undefined; index: number }[] = [];
  const valueStarts = (start: number): JsonPath => {
    const top = stack[stack.length - 1];
    const path = top === undefined ? [] : [...top.path, top.object ? (top.key as string) : top.index];
    offsets.set(JSON.stringify(path), start);
    return path;
  };
  // The text is valid JSON (JSON.parse took it), so every token below is where the grammar allows it.
  for (let i = 0; i < text.length; ) {
    const char = text[i] as string;
    const top = stack[stack.length - 1];
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === ':') {
      i += 1;
    } else if (char === '"') {
      const end = stringEnd(text, i);
      if (top?.object && top.key === undefined) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) throw ManifestProblem.at(text, i, `duplicate key "${key}"${top.path.length > 0 ? ` in "${top.path.join('.')}"` : ''}: JSON readers disagree on which one counts, so remove one`);
        top.keys.add(key);
        top.key = key;
      } else valueStarts(i);
      i = end;
    } else if (char === ',') {
      if (top?.object) top.key = undefined;
      else if (top) top.index += 1;
      i += 1;
    } else if (char === '{' || char === '[') {
      stack.push({ path: valueStarts(i), object: char === '{', keys: new Set(), key: undefined, index: 0 });
      i += 1;
    } else if (char === '}' || char === ']') {
      stack.pop();
      i += 1;
    } else {
      valueStarts(i);
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i += 1;
    }
  }
  return { data, offsetOf: (path) => offsets.get(JSON.stringify(path)) };
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
