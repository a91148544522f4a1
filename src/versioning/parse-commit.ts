import type { ParsedChange } from './types.js';

/**
 * Conventional Commits 1.0.0: `type(scope)!: description`, a body, and git-trailer footers
 * (`Token: value` or `Token #value`, with `BREAKING CHANGE` as the one token that may hold a space).
 */
const HEADER = /^(?<type>[a-zA-Z][\w-]*)(?:\((?<scope>[^()\r\n]*)\))?(?<bang>!)?: (?<description>\S.*)$/;
const FOOTER = /^(?<key>BREAKING[ -]CHANGE|[A-Za-z][\w-]*)(?:: | #)(?<value>.*)$/;
const PR = /\(#(\d+)\)\s*$/;
const BREAKING = /^BREAKING[ -]CHANGE: /;
/** A commit listed in a squash merge's body: `* feat: x`, `- fix: y`, `1. perf: z`. */
const SQUASHED = /^\s*(?:[*-]|\d+\.)\s+[a-zA-Z][\w-]*(?:\([^()\r\n]*\))?!?: \S/;

export interface ParsedMessage {
  /** The changes the message carries: one, or several for a squash commit that lists them. */
  readonly changes: readonly ParsedChange[];
  readonly conventional: boolean;
  /** `Release-As: 2.0.0` footer. */
  readonly releaseAs: string | null;
  /** The sha a revert commit reverts ("This reverts commit <sha>."). */
  readonly reverts: string | null;
  /** The header a revert names (`revert: feat: x` or `Revert "feat: x"`), to match when no sha is given. */
  readonly revertsHeader: string | null;
}

export function parseCommitMessage(message: string): ParsedMessage {
  const text = message.replace(/\r\n/g, '\n').trim();
  const [subject = '', ...rest] = text.split('\n');
  const revertSha = /This reverts commit ([0-9a-f]{7,40})/.exec(text)?.[1] ?? null;
  const gitRevert = /^Revert "(.+)"$/.exec(subject);
  const header = HEADER.exec(subject);
  if (!header?.groups) {
    // git's own `Revert "…"` is not a Conventional Commit, but it is a change: a revert of what it names.
    const changes = gitRevert ? [buildChange({ type: 'revert', description: gitRevert[1] }, subject, '', [])] : [];
    return { changes, conventional: false, releaseAs: null, reverts: revertSha, revertsHeader: gitRevert?.[1] ?? null };
  }
  const { body, footers } = splitBodyAndFooters(rest.join('\n'));
  const main = buildChange(header.groups, subject, body, footers);
  const releaseAs = footers.find((f) => /^release-as$/i.test(f.key))?.value.trim() ?? null;
  const revertsHeader = main.type === 'revert' ? main.description : null;
  // A squash merge lists its commits in the body; each conventional line there is a change of its own.
  const squashed = body
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[*-]|\d+\.)\s+/, '').trim())
    .map((line) => ({ line, match: HEADER.exec(line) }))
    .filter((entry): entry is { line: string; match: RegExpExecArray & { groups: Record<string, string> } } => entry.match?.groups !== undefined)
    .map(({ line, match }) => buildChange(match.groups, line, '', []));
  const changes = main.type === 'revert' ? [main] : [main, ...squashed];
  return { changes, conventional: true, releaseAs, reverts: revertSha, revertsHeader };
}

function buildChange(groups: Record<string, string | undefined>, subject: string, body: string, footers: ParsedChange['footers']): ParsedChange {
  const breakingNotes = footers.filter((f) => /^BREAKING[ -]CHANGE$/.test(f.key)).map((f) => f.value.trim());
  const description = (groups['description'] ?? '').trim();
  const pr = PR.exec(subject)?.[1];
  return {
    type: (groups['type'] ?? '').toLowerCase(),
    scope: groups['scope']?.trim() || null,
    breaking: groups['bang'] === '!' || breakingNotes.length > 0,
    description: description.replace(PR, '').trim(),
    body,
    footers,
    breakingNotes: groups['bang'] === '!' && breakingNotes.length === 0 ? [description.replace(PR, '').trim()] : breakingNotes,
    pr: pr === undefined ? null : Number(pr),
  };
}

/**
 * Conventional Commits 1.0.0: footers begin, one blank line after the body, at a `token: ` / `token #`
 * line, and a footer's value runs until the next such pair, over lines that are not indented too. A
 * `BREAKING CHANGE:` line begins the footers wherever it stands, as semantic-release reads it. In a squash
 * merge, a listed commit (`* fix: …`) ends the footer before it and goes back to the body's list.
 */
function splitBodyAndFooters(rest: string): { body: string; footers: { key: string; value: string }[] } {
  const lines = rest.trim().split('\n');
  const body: string[] = [];
  const footers: { key: string; value: string }[] = [];
  let inFooters = false;
  lines.forEach((line, index) => {
    const token = FOOTER.exec(line)?.groups;
    if (token && (index === 0 || (lines[index - 1] as string).trim() === '' || inFooters || BREAKING.test(line))) {
      inFooters = true;
      footers.push({ key: token['key'] as string, value: token['value'] as string });
    } else if (inFooters && !SQUASHED.test(line)) {
      (footers.at(-1) as { value: string }).value += `\n${line.trim()}`;
    } else {
      inFooters = false;
      body.push(line);
    }
  });
  for (const footer of footers) footer.value = footer.value.trim();
  return { body: body.join('\n').trim(), footers };
}
