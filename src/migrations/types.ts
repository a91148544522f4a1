import type { Node } from 'libpg-query';
import type { Bump } from '../policy/release-kinds.js';

export type Level = 'error' | 'warning';
export type LevelSetting = Level | 'off';
export type { Bump };

/** What the linter needs from the policy's `migrations` section (see config-from-policy.ts). */
export interface MigrationLintConfig {
  /** Level overrides per rule id; rules not listed keep their default level. */
  readonly rules: Readonly<Record<string, LevelSetting>>;
  /** Where migrations live when no path is given on the command line. */
  readonly paths: readonly string[];
  /** The bump of the release being checked: dropping a deprecated column is allowed only in a MAJOR. */
  readonly releaseBump?: Bump | undefined;
  /** The word a column comment starts with to mark the column deprecated. */
  readonly deprecationMarker?: string | undefined;
}

export interface SourceFile {
  /** As shown to the user (relative to the working directory, forward slashes). */
  readonly path: string;
  readonly text: string;
}

export interface Position {
  readonly line: number;
  /** 1-based, in UTF-16 code units (SARIF's default column kind). */
  readonly column: number;
}

export interface Finding {
  readonly rule: string;
  readonly level: Level;
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
  readonly message: string;
  /** The statement as written (trimmed), empty for findings about a whole migration. */
  readonly statement: string;
  /** What to do instead. */
  readonly hint: string;
  /** The migration the finding belongs to. */
  readonly migration: string;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

export interface Deprecation {
  readonly table: string;
  readonly column: string;
  readonly note: string;
  readonly file: string;
  readonly line: number;
  readonly migration: string;
}

/** A statement that breaks the previous release, so rolling the application back is unsafe. */
export interface StatementSummary {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  /** Why, e.g. "drops column invoices.total". */
  readonly why: string;
}

export interface MigrationSummary {
  readonly id: string;
  readonly layout: MigrationLayout;
  readonly files: readonly string[];
  readonly hasDown: boolean;
  /** Statements in the up part. */
  readonly statementCount: number;
  /** The up part's statements that are not additive; empty means the migration is rollback-safe. */
  readonly breaking: readonly StatementSummary[];
  readonly syntaxErrors: number;
}

export type MigrationLayout = 'up-down-files' | 'directory' | 'dbmate' | 'goose' | 'sql-migrate' | 'flyway' | 'single-file';

export interface LintReport {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly deprecations: readonly Deprecation[];
  readonly migrations: readonly MigrationSummary[];
  readonly statementCount: number;
}

/** One migration's share of a lint run, handed out as soon as that migration is linted. */
export interface MigrationLint {
  readonly summary: MigrationSummary;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly deprecations: readonly Deprecation[];
  /** Statements parsed in all its parts (the summary counts the up part only). */
  readonly statementCount: number;
}

/** What a lint run found in all. */
export interface LintTotals {
  errors: number;
  warnings: number;
  suppressed: number;
  migrations: number;
  statements: number;
}

/**
 * A lint run as a stream, so that a report over a large tree is written while it is made rather than held
 * whole. Each migration is linted when it is taken from `migrations`; a loop that stops early (a reader that
 * went away) leaves the rest to the next loop or to `finish`.
 */
export interface LintStream {
  readonly migrations: Iterable<MigrationLint>;
  /** Lints the migrations not taken yet, without handing them out, and returns what the whole run found. */
  finish(): Readonly<LintTotals>;
}

/** A parsed statement with its place in the file. */
export interface Statement {
  readonly ast: Node;
  /** JS string indices into the file text: the first token, and the end before the `;`. */
  readonly start: number;
  readonly end: number;
  /** Where the whitespace and comments before the statement begin (after the previous `;`). */
  readonly gapStart: number;
  /** Byte offset of `start` in the parsed text, and a converter for AST locations. */
  readonly toIndex: (byteLocation: number) => number;
}
