/**
 * Prepends a release's entry to a CHANGELOG.md text, idempotently: an entry whose heading is already
 * there is not added again, and everything below (older entries, hand edits) is kept byte for byte.
 */
export function prependChangelog(existing: string | undefined, entry: string): string {
  const heading = entry.split('\n', 1)[0]!.trim();
  const text = existing ?? '';
  if (text.split(/\r?\n/).some((line) => line.trim() === heading)) return text;
  const header = /^# .*\n(?:\n)?/.exec(text);
  const intro = header ? header[0] : '# Changelog\n\n';
  const rest = header ? text.slice(header[0].length) : text;
  return `${intro}${entry.trimEnd()}\n${rest === '' ? '' : `\n${rest}`}`;
}
