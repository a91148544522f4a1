/**
 * Minimal globs for policy paths: `*` within one path segment, `**` across segments, `?` one
 * character. Enough for "modules/*", "docs/**" and "reports/**\/*.xml" without a dependency.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

/** The regular-expression source of a glob, unanchored, for patterns with rules of their own (CODEOWNERS). */
export function globSource(glob: string): string {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

/** Whether `path` is the directory a component glob names, or inside it. */
export function isUnderGlob(path: string, glob: string): boolean {
  const segments = glob.split('/').length;
  return matchesGlob(path.split('/').slice(0, segments).join('/'), glob);
}
