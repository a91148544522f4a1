import { parseGlob } from '../policy/glob.js';
import { anyDirectories, anyChar, compileNodes, type PathMatcher } from '../policy/glob-nfa.js';

/**
 * CODEOWNERS as GitHub reads it: one `pattern owner…` per line, gitignore-style patterns, and the
 * LAST matching line wins (a later line with no owners makes the path unowned). Pure: the caller
 * reads the file.
 */
export interface CodeownersRule {
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly line: number;
  readonly matcher: PathMatcher;
  /** A pattern ending in "/" only matches directories (and so everything inside them). */
  readonly directoryOnly: boolean;
  /** GitHub: `docs/*` owns the files directly in docs/, not those in its subdirectories. */
  readonly filesOnly: boolean;
}

export interface ParsedCodeowners {
  readonly rules: readonly CodeownersRule[];
  /** Lines GitHub would also reject (e.g. `!negation`, `[ranges]`), reported rather than guessed at. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = stripComment(raw).trim();
    if (content === '') return;
    const [pattern = '', ...owners] = splitUnescaped(content);
    // GitHub documents these gitignore forms as not working in CODEOWNERS: negation, character ranges
    // and a "\#" escape for a pattern that starts with "#".
    if (pattern.startsWith('!') || pattern.startsWith('\\#') || /(^|[^\\])\[/.test(pattern)) {
      problems.push({ line, message: `"${pattern}": CODEOWNERS does not support negation, character ranges or an escaped leading #` });
      return;
    }
    const directoryOnly = pattern.endsWith('/');
    const filesOnly = pattern !== '*' && /(^|\/)\*$/.test(pattern);
    rules.push({ pattern, owners, line, matcher: patternMatcher(pattern), directoryOnly, filesOnly });
  });
  return { rules, problems };
}

/** Owners of a file or directory (repository-relative, '/' separated); [] when unowned. */
export function ownersOf(codeowners: ParsedCodeowners, path: string, isDirectory = false): readonly string[] {
  const clean = path.replace(/^\/+|\/+$/g, '');
  // A pattern matches a path when it matches the path itself or any directory containing it.
  const candidates: { path: string; directory: boolean }[] = [{ path: clean, directory: isDirectory }];
  const segments = clean.split('/');
  for (let length = segments.length - 1; length > 0; length -= 1) candidates.push({ path: segments.slice(0, length).join('/'), directory: true });
  for (let index = codeowners.rules.length - 1; index >= 0; index -= 1) {
    const rule = codeowners.rules[index] as CodeownersRule;
    const applies = (candidate: { path: string; directory: boolean }) =>
      (candidate.directory ? !rule.filesOnly : !rule.directoryOnly) && rule.matcher.test(candidate.path);
    if (candidates.some(applies)) return rule.owners;
  }
  return [];
}

function stripComment(line: string): string {
  // `#` starts a comment unless escaped as `\#`.
  const match = /(^|[^\\])#/.exec(line);
  return match ? line.slice(0, match.index + match[1]!.length) : line;
}

/** Words split at whitespace that is not escaped (`path\ with\ spaces/`); the pattern keeps its escapes for the glob parser. */
function splitUnescaped(content: string): string[] {
  return (content.match(/(?:\\.|\S)+/g) ?? []).map((word, index) => (index === 0 ? word : word.replace(/\\(.)/g, '$1')));
}

/** gitignore's rules as GitHub applies them: `*` and `?` within a segment, `**` across, `\` escapes, no braces. */
function patternMatcher(pattern: string): PathMatcher {
  let body = pattern.replace(/\/+$/, '');
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches at any depth.
  const anchored = body.includes('/');
  body = body.replace(/^\/+/, '');
  if (body === '') return compileNodes({ kind: 'repeat', test: anyChar });
  const glob = parseGlob(body, { braces: false });
  return compileNodes(anchored ? glob : { kind: 'seq', items: [anyDirectories, glob] });
}
