import type { ColumnDef, Constraint, Node } from 'libpg-query';
import { kindOf, nodeOf, objectNames, tableName } from './ast.js';

/**
 * Why a statement breaks the previous release (so rolling the application back is unsafe), or
 * undefined when it only adds: new tables, nullable columns, indexes, constraints, views, comments, data.
 */
export function breakingReason(ast: Node): string | undefined {
  switch (kindOf(ast)) {
    case 'DropStmt': {
      const drop = nodeOf(ast, 'DropStmt');
      const what = (drop?.removeType ?? 'OBJECT').replace('OBJECT_', '').toLowerCase();
      return `drops ${what} ${objectNames(drop?.objects).join(', ')}`.trim();
    }
    case 'RenameStmt': {
      const rename = nodeOf(ast, 'RenameStmt');
      return `renames ${(rename?.renameType ?? '').replace('OBJECT_', '').toLowerCase()} ${rename?.subname ?? tableName(rename?.relation)}`;
    }
    case 'TruncateStmt':
      return 'truncates a table';
    case 'DeleteStmt':
      return `deletes rows from ${tableName(nodeOf(ast, 'DeleteStmt')?.relation)}`;
    case 'AlterTableStmt': {
      const alter = nodeOf(ast, 'AlterTableStmt');
      const table = tableName(alter?.relation);
      for (const node of alter?.cmds ?? []) {
        const cmd = nodeOf(node, 'AlterTableCmd');
        const column = `${table}.${cmd?.name ?? ''}`;
        if (cmd?.subtype === 'AT_DropColumn') return `drops column ${column}`;
        if (cmd?.subtype === 'AT_AlterColumnType') return `changes the type of ${column}`;
        if (cmd?.subtype === 'AT_SetNotNull') return `makes ${column} NOT NULL`;
        if (cmd?.subtype === 'AT_ColumnDefault' && cmd.def === undefined) return `drops the default of ${column}`;
        const def = cmd?.subtype === 'AT_AddColumn' ? nodeOf(cmd.def, 'ColumnDef') : undefined;
        if (def !== undefined && unfilledNotNull(def) !== undefined) return `adds required column ${table}.${def.colname ?? ''}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The NOT NULL (or PRIMARY KEY) of a new column that nothing fills (no default, identity or generated
 * value): existing rows fail it, and the previous release's inserts, which leave the column out, break.
 */
export function unfilledNotNull(column: ColumnDef): Constraint | undefined {
  const constraints = (column.constraints ?? []).map((node) => nodeOf(node, 'Constraint'));
  const filled = constraints.some((c) => c?.contype === 'CONSTR_DEFAULT' || c?.contype === 'CONSTR_IDENTITY' || c?.contype === 'CONSTR_GENERATED');
  return filled ? undefined : constraints.find((c) => c?.contype === 'CONSTR_NOTNULL' || c?.contype === 'CONSTR_PRIMARY');
}

const LOCKING = new Set(['AlterTableStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'TruncateStmt', 'CreateTrigStmt', 'ReindexStmt']);

/** Whether a statement waits for a table lock, which is what lock_timeout bounds. */
export function takesTableLock(ast: Node, createdTables: ReadonlySet<string>): boolean {
  const kind = kindOf(ast);
  if (!LOCKING.has(kind)) return false;
  const relation = nodeOf(ast, 'AlterTableStmt')?.relation ?? nodeOf(ast, 'IndexStmt')?.relation ?? nodeOf(ast, 'RenameStmt')?.relation;
  return relation === undefined || !createdTables.has(tableName(relation));
}
