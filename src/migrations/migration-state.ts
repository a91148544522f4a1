import type { Node } from 'libpg-query';
import { columnKey, kindOf, names, nodeOf, tableName, transactionEdge } from './ast.js';

export interface DeprecationMark {
  readonly table: string;
  readonly column: string;
  readonly note: string;
  readonly migration: string;
  readonly file: string;
  readonly line: number;
}

/** What earlier statements established, which decides whether a later statement is safe. */
export interface MigrationState {
  /** Across all migrations, in order. */
  readonly deprecated: Map<string, DeprecationMark>;
  /** `table.column`s proven NOT NULL by a validated CHECK (col IS NOT NULL). */
  readonly provenNotNull: Set<string>;
  /** CHECK (col IS NOT NULL) constraints by `table.constraint`, waiting for VALIDATE CONSTRAINT. */
  readonly notNullChecks: Map<string, string>;
  /** Within the current migration part. */
  part: PartState;
}

export interface PartState {
  createdTables: Set<string>;
  inTransaction: boolean;
  /** Whether the migration tool's own transaction (dbmate, goose, sql-migrate) is the one open. */
  toolTransaction: boolean;
  lockTimeout: boolean;
  lockTimeoutReported: boolean;
}

export function newState(): MigrationState {
  return {
    deprecated: new Map(),
    provenNotNull: new Set(),
    notNullChecks: new Map(),
    part: newPart(false),
  };
}

export function startPart(state: MigrationState, inTransaction: boolean): void {
  state.part = newPart(inTransaction);
}

/** A part starts with nothing created, and inside a transaction only when the migration tool opens one. */
function newPart(inTransaction: boolean): PartState {
  return { createdTables: new Set(), inTransaction, toolTransaction: inTransaction, lockTimeout: false, lockTimeoutReported: false };
}

export interface Where {
  readonly migration: string;
  readonly file: string;
  /** Computed only for the statements that need it (deprecation comments). */
  readonly line: () => number;
  readonly deprecationMarker: string;
}

/** Records what a statement changes in the state; returns a deprecation it declares, if any. */
export function track(state: MigrationState, ast: Node, where: Where): DeprecationMark | undefined {
  switch (kindOf(ast)) {
    case 'VariableSetStmt': {
      const set = nodeOf(ast, 'VariableSetStmt');
      if (set?.name === 'lock_timeout') state.part.lockTimeout = set.kind === 'VAR_SET_VALUE' && !isZero(set.args?.[0]);
      return undefined;
    }
    case 'TransactionStmt': {
      const edge = transactionEdge(ast);
      if (edge === 'BEGIN') state.part.inTransaction = true;
      if (edge === 'COMMIT' || edge === 'ROLLBACK') {
        state.part.inTransaction = false;
        state.part.toolTransaction = false;
      }
      return undefined;
    }
    case 'CreateStmt':
      state.part.createdTables.add(tableName(nodeOf(ast, 'CreateStmt')?.relation));
      return undefined;
    case 'CreateTableAsStmt':
      state.part.createdTables.add(tableName(nodeOf(ast, 'CreateTableAsStmt')?.into?.rel));
      return undefined;
    case 'AlterTableStmt':
      trackConstraints(state, ast);
      return undefined;
    case 'CommentStmt':
      return trackComment(state, ast, where);
    default:
      return undefined;
  }
}

function isZero(arg: Node | undefined): boolean {
  const value = nodeOf(arg, 'A_Const');
  return value?.sval?.sval === '0' || (value?.ival !== undefined && !value.ival.ival);
}

function trackConstraints(state: MigrationState, ast: Node): void {
  const alter = nodeOf(ast, 'AlterTableStmt');
  const table = tableName(alter?.relation);
  for (const cmdNode of alter?.cmds ?? []) {
    const cmd = nodeOf(cmdNode, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_ValidateConstraint') {
      const column = state.notNullChecks.get(columnKey(table, cmd.name ?? ''));
      if (column !== undefined) state.provenNotNull.add(columnKey(table, column));
    }
    const constraint = nodeOf(cmd?.def, 'Constraint');
    if (cmd?.subtype !== 'AT_AddConstraint' || constraint?.contype !== 'CONSTR_CHECK') continue;
    const test = nodeOf(constraint.raw_expr, 'NullTest');
    const column = names(nodeOf(test?.arg, 'ColumnRef')?.fields).at(-1);
    if (test?.nulltesttype !== 'IS_NOT_NULL' || column === undefined) continue;
    if (constraint.skip_validation) state.notNullChecks.set(columnKey(table, constraint.conname ?? ''), column);
    else state.provenNotNull.add(columnKey(table, column));
  }
}

function trackComment(state: MigrationState, ast: Node, where: Where): DeprecationMark | undefined {
  const comment = nodeOf(ast, 'CommentStmt');
  if (comment?.objtype !== 'OBJECT_COLUMN') return undefined;
  const parts = names(nodeOf(comment.object, 'List')?.items);
  const column = parts.at(-1) ?? '';
  const table = parts.at(-2) ?? '';
  const key = columnKey(table, column);
  const text = comment.comment ?? '';
  const marker = where.deprecationMarker.toLowerCase();
  // "deprecated", "deprecated: use x", "DEPRECATED - ..." all count; "deprecated_at" (a word) does not.
  if (!text.toLowerCase().startsWith(marker) || /\w/.test(text[marker.length] ?? '')) {
    state.deprecated.delete(key);
    return undefined;
  }
  const note = text.slice(marker.length).replace(/^[\s:\-–—]+/, '').trim();
  const mark = { table, column, note, migration: where.migration, file: where.file, line: where.line() };
  state.deprecated.set(key, mark);
  return mark;
}

