// esbuild escapes every non-ASCII character of a bundle's code but leaves those in the comments it keeps.
// Escaped there too, a bundle is ASCII only, so src/runtime/load-script.ts reads it as Latin-1 (a copy)
// rather than decoding UTF-8, and the text V8 checks its code cache against is the file's exact text.
import { readFileSync, writeFileSync } from 'node:fs';

/** Rewrites the file with its non-ASCII characters escaped, and returns its text as it now is. */
export function escapeNonAscii(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
  return ascii;
}
