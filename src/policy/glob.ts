import { anyChar, anyDirectories, compileNodes, literal, notSlash, type CharTest, type GlobNode, type PathMatcher } from './glob-nfa.js';

/**
 * Globs for policy paths, with picomatch's meaning (dot files included, as `{ dot: true }`): `*` and
 * `?` within one path segment, `**` as a whole segment for any number of directories, `[a-z]` and
 * `[!a]` classes, `{a,b}` alternatives (nested) and `{1..9}` ranges, `\` escapes. They run on a
 * linear-time automaton (glob-nfa.ts), never on a backtracking RegExp; a test compares them with
 * picomatch on generated patterns.
 */
export interface GlobSyntax {
  /** `{a,b}` alternatives and `{1..3}` ranges (policy globs); literal braces otherwise (gitignore, CODEOWNERS). */
  readonly braces: boolean;
}

const POLICY: GlobSyntax = { braces: true };
const cache = new Map<string, PathMatcher>();

export function compileGlob(glob: string): PathMatcher {
  let matcher = cache.get(glob);
  if (matcher === undefined) {
    matcher = compileNodes(parseGlob(glob, POLICY));
    if (cache.size > 10_000) cache.clear();
    cache.set(glob, matcher);
  }
  return matcher;
}

export function matchesGlob(path: string, glob: string): boolean {
  return compileGlob(glob).test(path);
}

/** Whether `path` is the directory a component glob names, or inside it. */
export function isUnderGlob(path: string, glob: string): boolean {
  const segments = glob.split('/').length;
  return matchesGlob(path.split('/').slice(0, segments).join('/'), glob);
}

/** What a glob uses that shipgate does not support (negation, extglobs), so it is refused rather than matching nothing. */
export function unsupportedGlob(glob: string): string | undefined {
  if (glob.startsWith('!')) return 'a leading "!" (negation) is not supported; list what to include instead';
  if (/(^|[^\\])[@!+*?]\(/.test(glob)) return 'extended globs such as @(a|b) are not supported; use {a,b}';
  return undefined;
}

/** The automaton's tree for a glob; `**` is a globstar only as a whole segment, as in picomatch and gitignore. */
export function parseGlob(glob: string, syntax: GlobSyntax): GlobNode {
  return new GlobParser(GlobParser.collapse(glob), syntax).parse();
}

class GlobParser {
  private index = 0;
  /** Braces nest; `**` inside them is an ordinary star. */
  private depth = 0;

  constructor(
    private readonly glob: string,
    private readonly syntax: GlobSyntax,
  ) {}

  parse(): GlobNode {
    return this.sequence(false);
  }

  /** `a/**\/**` is `a/**` and `./docs` is `docs`, as picomatch reads them. */
  static collapse(glob: string): string {
    return glob.replace(/^(?:\.\/)+/, '').replace(/(^|\/)\*\*(?:\/\*\*)+(?=\/|$)/g, '$1**');
  }

  private sequence(inBraces: boolean): GlobNode {
    const items: GlobNode[] = [];
    const glob = this.glob;
    while (this.index < glob.length) {
      const char = glob[this.index] as string;
      if (inBraces && (char === ',' || char === '}')) break;
      if (char === '\\' && this.index + 1 < glob.length) {
        items.push({ kind: 'char', test: literal(glob[this.index + 1] as string) });
        this.index += 2;
      } else if (char === '*') {
        items.push(...this.stars());
      } else if (char === '/' && this.depth === 0 && glob.startsWith('**', this.index + 1) && this.index + 3 === glob.length && this.index > 0 && !this.endsWithStar()) {
        // A trailing "/**" also matches the directory itself ("a/**" matches "a"), except after a star,
        // where picomatch keeps it ("*\/**" does not match every top-level name).
        items.push({ kind: 'optional', node: { kind: 'seq', items: [{ kind: 'char', test: literal('/') }, { kind: 'repeat', test: anyChar }] } });
        this.index = glob.length;
      } else if (char === '?') {
        items.push({ kind: 'char', test: notSlash });
        this.index += 1;
      } else if (char === '[') {
        items.push(this.characterClass() ?? this.literalChar());
      } else if (char === '{' && this.syntax.braces) {
        items.push(this.braces() ?? this.literalChar());
      } else {
        items.push(this.literalChar());
      }
    }
    return items.length === 1 ? (items[0] as GlobNode) : { kind: 'seq', items };
  }

  /**
   * picomatch keeps a star after a leading "." (or any "." inside braces) from completing the segment as
   * "." or "..": ".*" names dot files, not the directory entries "." and "..".
   */
  private afterDotSegment(star: number): boolean {
    if (this.glob[star - 1] !== '.' || this.glob[star - 2] === '\\') return false;
    return this.depth > 0 || star === 1 || this.glob[star - 2] === '/';
  }

  private endsWithStar(): boolean {
    return this.glob[this.index - 1] === '*' && this.glob[this.index - 2] !== '\\';
  }

  private literalChar(): GlobNode {
    const char = this.glob[this.index] as string;
    this.index += 1;
    return { kind: 'char', test: literal(char) };
  }

  private stars(): GlobNode[] {
    const glob = this.glob;
    const start = this.index;
    while (glob[this.index] === '*') this.index += 1;
    const whole = this.index - start === 2 && (start === 0 || glob[start - 1] === '/') && (this.index === glob.length || glob[this.index] === '/');
    if (!whole || this.depth > 0) return this.afterDotSegment(start) ? [noDotSegment, { kind: 'repeat', test: notSlash }] : [{ kind: 'repeat', test: notSlash }];
    if (this.index === glob.length) return [{ kind: 'repeat', test: anyChar }];
    // "**/" : any number of whole directories, none included.
    this.index += 1;
    return [anyDirectories];
  }

  /** `[abc]`, `[a-z]`, `[!a]` / `[^a]`, `[[:alpha:]]`; never matches "/". Undefined when unclosed (then "[" is literal). */
  private characterClass(): GlobNode | undefined {
    const glob = this.glob;
    let at = this.index + 1;
    const negated = glob[at] === '!' || glob[at] === '^';
    if (negated) at += 1;
    const tests: CharTest[] = [];
    let first = true;
    while (at < glob.length && (glob[at] !== ']' || first)) {
      first = false;
      const posix = /^\[:([a-z]+):\]/.exec(glob.slice(at, at + 12));
      if (posix && POSIX_CLASSES[posix[1] as string]) {
        tests.push(POSIX_CLASSES[posix[1] as string] as CharTest);
        at += posix[0].length;
        continue;
      }
      let low = glob[at] as string;
      if (low === '\\' && at + 1 < glob.length) low = glob[++at] as string;
      if (glob[at + 1] === '-' && at + 2 < glob.length && glob[at + 2] !== ']') {
        let high = glob[at + 2] as string;
        at += 2;
        if (high === '\\' && at + 1 < glob.length) high = glob[++at] as string;
        const from = low.charCodeAt(0);
        const to = high.charCodeAt(0);
        tests.push((code) => code >= from && code <= to);
      } else {
        tests.push(literal(low));
      }
      at += 1;
    }
    if (at >= glob.length) return undefined;
    this.index = at + 1;
    const inClass = (code: number) => tests.some((test) => test(code));
    return { kind: 'char', test: negated ? (code) => code !== 0x2f && !inClass(code) : (code) => code !== 0x2f && inClass(code) };
  }

  /** `{a,b}` (nested) or `{1..5}` / `{a..e}`; undefined when it is not one (then "{" is literal). */
  private braces(): GlobNode | undefined {
    const range = /^\{(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])\}/.exec(this.glob.slice(this.index, this.index + 40));
    if (range) {
      const node = rangeNode(range[1] as string, range[2] as string);
      if (node) {
        this.index += range[0].length;
        return node;
      }
    }
    const start = this.index;
    this.index += 1;
    this.depth += 1;
    const options: GlobNode[] = [this.sequence(true)];
    while (this.glob[this.index] === ',') {
      this.index += 1;
      options.push(this.sequence(true));
    }
    this.depth -= 1;
    if (this.glob[this.index] !== '}' || options.length < 2) {
      this.index = start;
      return undefined;
    }
    this.index += 1;
    return { kind: 'alt', options };
  }
}

function rangeNode(from: string, to: string): GlobNode | undefined {
  const numeric = /\d/.test(from) && /\d/.test(to);
  if (!numeric && (/\d/.test(from) || /\d/.test(to))) return undefined;
  const low = numeric ? Number(from) : from.charCodeAt(0);
  const high = numeric ? Number(to) : to.charCodeAt(0);
  const [a, b] = low <= high ? [low, high] : [high, low];
  // Bounded: a range is written by a person; ten thousand alternatives is a mistake, not a path.
  if (b - a > 10_000) return undefined;
  const options: GlobNode[] = [];
  for (let value = a; value <= b; value += 1) {
    const text = numeric ? String(value) : String.fromCharCode(value);
    options.push({ kind: 'seq', items: [...text].map((char) => ({ kind: 'char', test: literal(char) }) as GlobNode) });
  }
  return { kind: 'alt', options };
}

const noDotSegment: GlobNode = {
  kind: 'guard',
  test: (path, index) => {
    const next = path.charCodeAt(index);
    if (Number.isNaN(next) || next === 0x2f) return false;
    if (next !== 0x2e) return true;
    const after = path.charCodeAt(index + 1);
    return !(Number.isNaN(after) || after === 0x2f);
  },
};

const POSIX_CLASSES: Record<string, CharTest> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};
