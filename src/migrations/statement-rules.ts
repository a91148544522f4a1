import type { AlterTableCmd, Constraint, Node } from 'libpg-query';
import { columnKey, kindOf, nodeOf, objectNames, tableName, transactionEdge } from './ast.js';
import type { MigrationState } from './migration-state.js';
import type { RuleId } from './rule-catalog.js';
import { unfilledNotNull } from './statement-effect.js';
import type { Bump } from './types.js';
import { rewriteReason } from './volatile-default.js';

export interface RuleHit {
  readonly rule: RuleId;
  readonly message: string;
  /** Byte location of the offending part in the parsed text, when the parser gives one. */
  readonly at?: number | undefined;
}

export interface RuleContext {
  readonly state: MigrationState;
  readonly migration: string;
  readonly releaseBump: Bump | undefined;
}

/** The rules about one statement of a migration's up part. */
export function checkStatement(ast: Node, context: RuleContext): RuleHit[] {
  const hits: RuleHit[] = [];
  const part = context.state.part;
  switch (kindOf(ast)) {
    case 'AlterTableStmt': {
      const alter = nodeOf(ast, 'AlterTableStmt');
      if (alter?.objtype !== 'OBJECT_TABLE') break;
      const table = tableName(alter.relation);
      // A table created earlier in the same migration is empty and unused: nothing to lock or break.
      if (part.createdTables.has(table)) break;
      for (const cmd of alter.cmds ?? []) {
        const command = nodeOf(cmd, 'AlterTableCmd');
        if (command !== undefined) hits.push(...checkAlter(command, table, context));
      }
      break;
    }
    case 'IndexStmt': {
      const index = nodeOf(ast, 'IndexStmt');
      const table = tableName(index?.relation);
      if (index?.concurrent) hits.push(...concurrentInTransaction(context, 'CREATE INDEX CONCURRENTLY'));
      else if (!part.createdTables.has(table)) {
        hits.push({ rule: 'require-concurrent-index-creation', message: `creating index ${index?.idxname ?? ''} on ${table} without CONCURRENTLY blocks writes while it builds`.replace('  ', ' ') });
      }
      break;
    }
    case 'DropStmt': {
      const drop = nodeOf(ast, 'DropStmt');
      const objects = objectNames(drop?.objects);
      if (drop?.removeType === 'OBJECT_TABLE') {
        const existing = objects.filter((name) => !part.createdTables.has(name.split('.').at(-1) ?? ''));
        if (existing.length > 0) hits.push({ rule: 'ban-drop-table', message: `dropping table ${existing.join(', ')} breaks the previous release and loses its data` });
      } else if (drop?.removeType === 'OBJECT_INDEX') {
        if (drop.concurrent) hits.push(...concurrentInTransaction(context, 'DROP INDEX CONCURRENTLY'));
        else hits.push({ rule: 'require-concurrent-index-deletion', message: `dropping index ${objects.join(', ')} without CONCURRENTLY locks the table against reads and writes` });
      }
      break;
    }
    case 'RenameStmt': {
      const rename = nodeOf(ast, 'RenameStmt');
      const table = tableName(rename?.relation);
      if (part.createdTables.has(table)) break;
      if (rename?.renameType === 'OBJECT_COLUMN') {
        hits.push({ rule: 'renaming-column', message: `renaming column ${table}.${rename.subname ?? ''} to ${rename.newname ?? ''} breaks the previous release, which still uses the old name` });
      } else if (rename?.renameType === 'OBJECT_TABLE') {
        hits.push({ rule: 'renaming-table', message: `renaming table ${table} to ${rename.newname ?? ''} breaks the previous release, which still uses the old name` });
      }
      break;
    }
    case 'TransactionStmt': {
      const edge = transactionEdge(ast);
      if (edge === 'BEGIN' && part.inTransaction) {
        const why = part.toolTransaction ? 'the migration tool already runs this part in a transaction' : 'an earlier BEGIN is still open';
        hits.push({ rule: 'transaction-nesting', message: `BEGIN inside a transaction: ${why}, so PostgreSQL ignores it and the first COMMIT ends the outer transaction` });
      } else if ((edge === 'COMMIT' || edge === 'ROLLBACK') && part.toolTransaction) {
        hits.push({ rule: 'transaction-nesting', message: `${edge} ends the transaction the migration tool runs this part in: the statements after it run outside it, and a failure leaves the migration half applied` });
      }
      break;
    }
    case 'ReindexStmt': {
      const params = nodeOf(ast, 'ReindexStmt')?.params ?? [];
      if (params.some((param) => nodeOf(param, 'DefElem')?.defname === 'concurrently')) {
        hits.push(...concurrentInTransaction(context, 'REINDEX CONCURRENTLY'));
      }
      break;
    }
    default:
      break;
  }
  return hits;
}

function checkAlter(cmd: AlterTableCmd, table: string, context: RuleContext): RuleHit[] {
  const { state } = context;
  switch (cmd.subtype) {
    case 'AT_DropColumn':
      return dropColumn(table, cmd.name ?? '', context);
    case 'AT_AddColumn': {
      const column = nodeOf(cmd.def, 'ColumnDef');
      if (column === undefined) return [];
      const hits: RuleHit[] = [];
      const constraints = (column.constraints ?? []).map((node) => nodeOf(node, 'Constraint'));
      const notNull = unfilledNotNull(column);
      if (notNull !== undefined) {
        hits.push({ rule: 'adding-required-field', message: `adding NOT NULL column ${table}.${column.colname ?? ''} without a default fails on existing rows and breaks inserts from the previous release`, at: notNull.location });
      }
      const rewrite = rewriteReason(column);
      if (rewrite !== undefined) {
        hits.push({ rule: 'adding-field-with-default', message: `adding ${table}.${column.colname ?? ''} rewrites the table under an ACCESS EXCLUSIVE lock: ${rewrite.why}`, at: rewrite.at });
      }
      const unique = constraints.map((c) => uniqueIndexBuilt(c, table, column.colname)).find((hit) => hit !== undefined);
      if (unique !== undefined) hits.push(unique);
      const validated = constraints.find((c) => (c?.contype === 'CONSTR_FOREIGN' || c?.contype === 'CONSTR_CHECK') && !c.skip_validation);
      if (validated !== undefined) {
        hits.push({ rule: 'constraint-missing-not-valid', message: `the inline ${validated.contype === 'CONSTR_FOREIGN' ? 'REFERENCES' : 'CHECK'} on new column ${table}.${column.colname ?? ''} is validated against every row while the table is locked`, at: validated.location });
      }
      return hits;
    }
    case 'AT_SetNotNull': {
      const column = cmd.name ?? '';
      if (state.provenNotNull.has(columnKey(table, column))) return [];
      return [{ rule: 'adding-not-nullable-field', message: `SET NOT NULL on ${table}.${column} scans the whole table under an ACCESS EXCLUSIVE lock (no validated CHECK (${column} IS NOT NULL) precedes it)` }];
    }
    case 'AT_AlterColumnType':
      return [{ rule: 'changing-column-type', message: `changing the type of ${table}.${cmd.name ?? ''} can rewrite the table under an ACCESS EXCLUSIVE lock and breaks the previous release`, at: nodeOf(cmd.def, 'ColumnDef')?.location }];
    case 'AT_AddConstraint': {
      const constraint = nodeOf(cmd.def, 'Constraint');
      const indexed = uniqueIndexBuilt(constraint, table);
      if (indexed !== undefined) return [indexed];
      if ((constraint?.contype !== 'CONSTR_CHECK' && constraint?.contype !== 'CONSTR_FOREIGN') || constraint.skip_validation) return [];
      const what = constraint.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
      return [{ rule: 'constraint-missing-not-valid', message: `adding ${what} constraint ${constraint.conname ?? ''} on ${table} without NOT VALID checks every row while holding a lock that blocks writes`.replace('  ', ' '), at: constraint.location }];
    }
    default:
      return [];
  }
}

/** A UNIQUE or PRIMARY KEY constraint that builds its index while the table is locked (no USING INDEX). */
function uniqueIndexBuilt(constraint: Constraint | undefined, table: string, newColumn?: string): RuleHit | undefined {
  if ((constraint?.contype !== 'CONSTR_UNIQUE' && constraint?.contype !== 'CONSTR_PRIMARY') || constraint.indexname !== undefined) return undefined;
  const what = constraint.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
  const on = newColumn === undefined ? `constraint ${constraint.conname ?? ''} on ${table}`.replace('  ', ' ') : `on new column ${table}.${newColumn}`;
  return { rule: 'disallowed-unique-constraint', message: `adding ${what} ${on} builds its index while holding an ACCESS EXCLUSIVE lock, blocking reads and writes`, at: constraint.location };
}

function dropColumn(table: string, column: string, context: RuleContext): RuleHit[] {
  const mark = context.state.deprecated.get(columnKey(table, column));
  const earlier = mark !== undefined && mark.migration !== context.migration;
  // The policy's path for removing a column: deprecate it in one release, drop it in a later MAJOR one.
  if (earlier && context.releaseBump === 'major') return [];
  const base = `dropping column ${table}.${column} breaks the previous release, so this release cannot be rolled back`;
  if (!earlier) return [{ rule: 'ban-drop-column', message: `${base}; it was never marked deprecated` }];
  const bump = context.releaseBump === undefined ? 'no --release-bump was given' : `this release is a ${context.releaseBump.toUpperCase()}`;
  return [{ rule: 'ban-drop-column', message: `${base}; it is deprecated (${mark.file}:${mark.line}) but may only be dropped in a MAJOR release and ${bump}` }];
}

function concurrentInTransaction(context: RuleContext, what: string): RuleHit[] {
  if (!context.state.part.inTransaction) return [];
  return [{ rule: 'ban-concurrent-index-creation-in-transaction', message: `${what} cannot run inside a transaction block: the migration will fail` }];
}
