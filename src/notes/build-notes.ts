import type { Policy } from '../policy/schema.js';
import type { ParsedChange, PlannedCommit } from '../versioning/types.js';
import { deprecationsFor } from './deprecations.js';
import type { Deprecation, NoteItem, ReleaseNotes } from './types.js';

export interface NotesInput {
  readonly component: string;
  readonly kind: string;
  readonly version: string;
  readonly previousVersion: string | null;
  /** YYYY-MM-DD, in the policy's time zone. */
  readonly date: string;
  /** The release's commits, newest first (as the planner reads them). */
  readonly commits: readonly PlannedCommit[];
  /** Every deprecation in the component's history up to this release. */
  readonly deprecations: readonly Deprecation[];
  /** The component's migration guide file text, when it has one. */
  readonly migrationGuide: string | null;
  readonly knownIssues: string | null;
  readonly dependencies: readonly string[];
  /** `https://…/pull/{number}`, or null for plain "#123". */
  readonly prLink: string | null;
}

/** The release notes of one component, in the policy's sections. Pure. */
export function buildNotes(policy: Policy, input: NotesInput): ReleaseNotes {
  const changes = input.commits
    .slice()
    .reverse()
    .flatMap((commit) => commit.changes.map((change) => ({ change, commit })));
  const item = ({ change, commit }: { change: ParsedChange; commit: PlannedCommit }): NoteItem => {
    const body = change.body.split(/\n\s*\n/)[0]?.replace(/\s*\n\s*/g, ' ').trim() || null;
    return { title: capitalize(change.description), body, pr: change.pr, prUrl: change.pr === null || input.prLink === null ? null : input.prLink.replaceAll('{number}', String(change.pr)), sha: commit.sha };
  };
  const of = (type: string) => changes.filter(({ change }) => change.type === type).map(item);
  const features = of('feat');
  const breaking = changes.filter(({ change }) => change.breaking).flatMap(({ change }) => change.breakingNotes.map(capitalize));
  const marked = changes.flatMap(({ change }) => {
    const footer = change.footers.find((f) => /^highlight$/i.test(f.key));
    if (!footer) return [];
    return [/^(yes|true)$/i.test(footer.value.trim()) ? capitalize(change.description) : capitalize(footer.value.trim())];
  });
  const highlights = [...breaking.map((text) => `Breaking: ${text}`), ...(marked.length > 0 ? marked : features.slice(0, policy.notes.highlights).map((f) => f.title))];
  const { listed, removed } = deprecationsFor(input.deprecations, input.version, input.previousVersion);
  const migration = breaking.length === 0 ? null : (input.migrationGuide?.trim() || breaking.join('\n\n'));
  return {
    component: input.component,
    kind: input.kind,
    version: input.version,
    previousVersion: input.previousVersion,
    date: input.date,
    highlights,
    features,
    // The policy's format has no section for reverts: a revert of a shipped change fixes what it broke.
    fixes: [...of('fix'), ...changes.filter(({ change }) => change.type === 'revert').map((entry) => ({ ...item(entry), title: `Revert "${entry.change.description}"` }))],
    performance: of('perf'),
    breaking,
    removed,
    deprecations: listed,
    migration,
    dependencies: input.dependencies,
    knownIssues: input.knownIssues?.trim() || null,
    members: [],
    billOfMaterials: [],
  };
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}
