import { didYouMean } from '../policy/did-you-mean.js';
import type { Level, LevelSetting } from './types.js';

export interface RuleInfo {
  readonly id: string;
  readonly level: Level;
  /** One line, shown in SARIF rule metadata and `--help`. */
  readonly summary: string;
  /** What to write instead. */
  readonly hint: string;
}

/**
 * Every rule shipgate reports. Ids are stable (the policy and suppressions refer to them) and reuse
 * squawk's names where squawk has the same rule, so users can carry their knowledge and configs over.
 */
export const RULES = {
  'ban-drop-column': {
    summary: 'Dropping a column breaks the previous release, so the release cannot be rolled back',
    hint: "mark the column deprecated (COMMENT ON COLUMN t.c IS 'deprecated: ...') and drop it in a later MAJOR release",
  },
  'adding-required-field': {
    summary: 'Adding a NOT NULL column without a default fails on a populated table and breaks old inserts',
    hint: 'add the column as nullable first, backfill, then enforce NOT NULL with a validated CHECK constraint',
  },
  'adding-not-nullable-field': {
    summary: 'SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock unless a validated CHECK proves it',
    hint: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (PostgreSQL 12+ skips the scan)',
  },
  'ban-drop-table': {
    summary: 'Dropping a table breaks the previous release and loses its data',
    hint: 'stop using the table in this release and drop it in a later MAJOR release',
  },
  'renaming-column': {
    summary: 'Renaming a column breaks the previous release, which still uses the old name',
    hint: 'add a new column, write to both, backfill, move readers, and drop the old one in a later MAJOR release',
  },
  'renaming-table': {
    summary: 'Renaming a table breaks the previous release, which still uses the old name',
    hint: 'create the new table (or a view with the new name), move readers and writers, drop the old one later',
  },
  'changing-column-type': {
    summary: 'Changing a column type can rewrite the table under an ACCESS EXCLUSIVE lock and breaks old readers',
    hint: 'add a new column with the new type, backfill it in batches, switch the application, drop the old column later',
  },
  'require-concurrent-index-creation': {
    summary: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
    hint: 'use CREATE INDEX CONCURRENTLY, outside a transaction',
  },
  'require-concurrent-index-deletion': {
    summary: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table',
    hint: 'use DROP INDEX CONCURRENTLY, outside a transaction',
  },
  'constraint-missing-not-valid': {
    summary: 'Adding a CHECK or FOREIGN KEY constraint validates every row while holding a blocking lock',
    hint: 'add it with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a separate transaction',
  },
  'disallowed-unique-constraint': {
    summary: 'A UNIQUE or PRIMARY KEY constraint added to an existing table builds its index under an ACCESS EXCLUSIVE lock',
    hint: 'CREATE UNIQUE INDEX CONCURRENTLY i ON t (cols); then ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX i (or PRIMARY KEY USING INDEX i)',
  },
  'adding-field-with-default': {
    summary: 'A column with a volatile default (random(), gen_random_uuid(), serial ...) rewrites the whole table',
    hint: 'add the column without a default, SET DEFAULT in a second statement, then backfill existing rows in batches',
  },
  'require-lock-timeout': {
    summary: 'DDL without a lock_timeout can queue behind a long query and block all traffic to the table',
    hint: "start the migration with SET lock_timeout = '2s'; (and retry on timeout)",
  },
  'ban-concurrent-index-creation-in-transaction': {
    summary: 'CONCURRENTLY cannot run inside a transaction: the migration fails',
    hint: "move the statement to its own migration that runs outside a transaction (dbmate: '-- migrate:up transaction:false')",
  },
  'transaction-nesting': {
    summary: 'BEGIN or COMMIT in a migration part the migration tool already runs in a transaction',
    hint: "remove BEGIN/COMMIT (dbmate, goose and sql-migrate wrap each part), or turn the tool's transaction off for this part ('-- migrate:up transaction:false', '-- +goose NO TRANSACTION')",
  },
  'require-down-migration': {
    summary: 'A migration without its down part cannot be reversed',
    hint: 'add the down part (a .down.sql file, a down.sql beside up.sql, or a "-- migrate:down" section)',
  },
  'syntax-error': {
    summary: 'PostgreSQL cannot parse this statement',
    hint: 'fix the SQL at the reported position (checked with the PostgreSQL 18 parser)',
  },
  'invalid-suppression': {
    summary: 'A shipgate-ignore comment without a reason or with an unknown rule id suppresses nothing',
    hint: 'write it as: -- shipgate-ignore <rule-id>: <why this is safe>',
  },
  'unused-suppression': {
    summary: 'A shipgate-ignore comment that matches no finding on the next statement',
    hint: 'remove the comment, or move it right above the statement it is meant for',
  },
} as const satisfies Record<string, Omit<RuleInfo, 'id' | 'level'>>;

export type RuleId = keyof typeof RULES;

const DEFAULT_LEVELS: Readonly<Record<RuleId, Level>> = {
  'ban-drop-column': 'error',
  'adding-required-field': 'error',
  'adding-not-nullable-field': 'error',
  'ban-drop-table': 'error',
  'renaming-column': 'error',
  'renaming-table': 'error',
  'changing-column-type': 'error',
  'require-concurrent-index-creation': 'error',
  'require-concurrent-index-deletion': 'error',
  'constraint-missing-not-valid': 'error',
  'disallowed-unique-constraint': 'error',
  'adding-field-with-default': 'error',
  // Many teams set lock_timeout on the migration role instead; a warning keeps them from being blocked.
  'require-lock-timeout': 'warning',
  'ban-concurrent-index-creation-in-transaction': 'error',
  'transaction-nesting': 'error',
  'require-down-migration': 'error',
  'syntax-error': 'error',
  'invalid-suppression': 'error',
  'unused-suppression': 'warning',
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function ruleInfo(id: RuleId): RuleInfo {
  return { id, level: DEFAULT_LEVELS[id], ...RULES[id] };
}

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

/** The level a rule reports at under the given overrides. */
export function effectiveLevel(id: RuleId, overrides: Readonly<Record<string, LevelSetting>>): LevelSetting {
  return overrides[id] ?? DEFAULT_LEVELS[id];
}

/** Rule ids in a policy's `migrations.rules` that shipgate does not know, for the policy's semantic checks. */
export function checkRuleIds(rules: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(rules).filter((id) => !isRuleId(id));
}

/** The message for an unknown rule id, with the likely intended one. */
export function unknownRuleMessage(id: string): string {
  const suggestion = didYouMean(id, RULE_IDS);
  return `unknown migration rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}
