import { globSource } from '../policy/glob.js';

/**
 * CODEOWNERS as GitHub reads it: one `pattern owner…` per line, gitignore-style patterns, and the
 * LAST matching line wins (a later line with no owners makes the path unowned). Pure: the caller
 * reads the file.
 */
export interface CodeownersRule {
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly line: number;
  readonly regex: RegExp;
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
    const [pattern = '', ...owners] = content.split(/\s+/).map((part) => part.replace(/\\#/g, '#'));
    if (pattern.startsWith('!') || /\[.*\]/.test(pattern)) {
      problems.push({ line, message: `"${pattern}": CODEOWNERS does not support negation or character ranges` });
      return;
    }
    const directoryOnly = pattern.endsWith('/');
    const filesOnly = pattern !== '*' && /(^|\/)\*$/.test(pattern);
    rules.push({ pattern, owners, line, regex: patternToRegExp(pattern), directoryOnly, filesOnly });
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
      (candidate.directory ? !rule.filesOnly : !rule.directoryOnly) && rule.regex.test(candidate.path);
    if (candidates.some(applies)) return rule.owners;
  }
  return [];
}

function stripComment(line: string): string {
  // `#` starts a comment unless escaped as `\#`.
  const match = /(^|[^\\])#/.exec(line);
  return match ? line.slice(0, match.index + match[1]!.length) : line;
}

function patternToRegExp(pattern: string): RegExp {
  let body = pattern.replace(/\/+$/, '');
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches at any depth.
  const anchored = body.includes('/');
  body = body.replace(/^\/+/, '');
  if (body === '' || body === '*' || body === '**') return /^.*$/;
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${globSource(body)}$`);
}
