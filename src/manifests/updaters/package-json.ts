/**
 * Sets the top-level "version" of a package.json text, leaving every other byte as it was (key
 * order, indentation, a trailing newline, even unusual spacing). Nested "version" keys (in
 * "engines" or "publishConfig") are left alone.
 */
export function updatePackageJsonVersion(text: string, version: string): string {
  const span = topLevelStringValue(text, 'version');
  if (!span) throw new Error('package.json has no top-level "version" string');
  return `${text.slice(0, span.start)}${JSON.stringify(version)}${text.slice(span.end)}`;
}

/** The [start, end) of the JSON string value of a top-level key, found by a small tokenizer. */
export function topLevelStringValue(text: string, key: string): { start: number; end: number } | undefined {
  let depth = 0;
  let expectKey = false;
  let pendingKey: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      const end = stringEnd(text, i);
      const value = JSON.parse(text.slice(i, end)) as string;
      if (depth === 1 && pendingKey === key && !expectKey) return { start: i, end };
      if (depth === 1 && expectKey) {
        pendingKey = value;
        expectKey = false;
      } else if (depth === 1) pendingKey = undefined;
      i = end - 1;
    } else if (char === '{' || char === '[') {
      depth += 1;
      if (depth === 1 && char === '{') expectKey = true;
      if (depth > 1) pendingKey = undefined;
    } else if (char === '}' || char === ']') depth -= 1;
    else if (char === ',' && depth === 1) {
      expectKey = true;
      pendingKey = undefined;
    }
  }
  return undefined;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error('unterminated string in JSON');
}
