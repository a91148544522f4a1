import semver from '../versioning/semver.js';
import { parseCommitMessage } from '../versioning/parse-commit.js';
import type { Deprecation } from './types.js';

/**
 * `Deprecated:` footers, as people write them after the policy's example:
 *   Deprecated: `GET /api/v1/invoices` - Use `GET /api/v2/invoices` instead. Will be removed in v3.0.0 (June 2026)
 */
export function parseDeprecation(text: string, since: string): Deprecation {
  const removal = /\b(?:removed|removal)\s+in\s+v?(\d+\.\d+\.\d+)(?:\s*\(([^)]+)\))?/i.exec(text);
  const replacement = /\buse\s+(.+?)\s+instead\b/i.exec(text);
  const what = (text.split(/\s+-\s+|;\s+|\.\s+(?=[A-Z])/)[0] ?? text).trim().replace(/\.$/, '');
  return {
    what,
    replacement: replacement?.[1]?.trim() ?? null,
    removal: removal?.[1] ?? null,
    removalDate: removal?.[2]?.trim() ?? null,
    since,
  };
}

/** The commits of a component's history, newest first, with the release each first shipped in. */
export interface HistoryEntry {
  readonly body: string;
  /** The version of the release that carries this commit (the nearest tag above it), or the upcoming one. */
  readonly release: string;
}

export function collectDeprecations(history: readonly HistoryEntry[]): Deprecation[] {
  const found: Deprecation[] = [];
  for (const entry of history) {
    // A `Deprecated:` footer needs the word: the rest of a long history is not parsed at all.
    if (!/deprecated/i.test(entry.body)) continue;
    for (const change of parseCommitMessage(entry.body).changes) {
      for (const footer of change.footers) if (/^deprecated$/i.test(footer.key)) found.push(parseDeprecation(footer.value, entry.release));
    }
  }
  return found.reverse();
}

/** The version a deprecation goes away in: the one it names, else the next MAJOR after it was deprecated. */
function removedIn(deprecation: Deprecation): string {
  return deprecation.removal ?? `${(semver.major(semver.coerce(deprecation.since) ?? '0.0.0') + 1)}.0.0`;
}

/**
 * Splits deprecations for a release: still listed (removal still ahead), removed by this release (a MAJOR
 * passing its removal version), or gone already (removed by an earlier release, not listed).
 */
export function deprecationsFor(all: readonly Deprecation[], version: string, previous: string | null): { listed: Deprecation[]; removed: Deprecation[] } {
  const listed: Deprecation[] = [];
  const removed: Deprecation[] = [];
  for (const deprecation of all) {
    const at = removedIn(deprecation);
    if (semver.lt(version, at)) listed.push(deprecation);
    else if (previous === null || semver.lt(previous, at)) removed.push(deprecation);
  }
  return { listed, removed };
}
