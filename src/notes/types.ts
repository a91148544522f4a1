/** One line of Features, Fixes or Performance: a commit's description, its body and PR. */
export interface NoteItem {
  readonly title: string;
  readonly body: string | null;
  readonly pr: number | null;
  readonly prUrl: string | null;
  readonly sha: string;
}

export interface Deprecation {
  readonly what: string;
  readonly replacement: string | null;
  /** The version that removes it ("3.0.0"), when the footer names one. */
  readonly removal: string | null;
  readonly removalDate: string | null;
  /** The release that first carried the deprecation. */
  readonly since: string;
}

export interface BillOfMaterialsEntry {
  readonly name: string;
  readonly kind: string;
  readonly version: string | null;
}

export interface ReleaseNotes {
  readonly component: string;
  readonly kind: string;
  readonly version: string;
  readonly previousVersion: string | null;
  readonly date: string;
  readonly highlights: readonly string[];
  readonly features: readonly NoteItem[];
  readonly fixes: readonly NoteItem[];
  readonly performance: readonly NoteItem[];
  readonly breaking: readonly string[];
  readonly removed: readonly Deprecation[];
  readonly deprecations: readonly Deprecation[];
  readonly migration: string | null;
  readonly dependencies: readonly string[];
  readonly knownIssues: string | null;
  /** Bundles: each member's own notes, and what the bundle carries. */
  readonly members: readonly ReleaseNotes[];
  readonly billOfMaterials: readonly BillOfMaterialsEntry[];
}
