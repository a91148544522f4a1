import type { Node } from 'libpg-query';
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
        if (cmd?.subtype === 'AT_AddColumn') {
          const def = nodeOf(cmd.def, 'ColumnDef');
          const kinds = (def?.constraints ?? []).map((c) => nodeOf(c, 'Constraint')?.contype);
          if (kinds.includes('CONSTR_NOTNULL') && !kinds.includes('CONSTR_DEFAULT')) return `adds required column ${table}.${def?.colname ?? ''}`;
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const LOCKING = new Set(['AlterTableStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'TruncateStmt', 'CreateTrigStmt', 'ReindexStmt']);

/** Whether a statement waits for a table lock, which is what lock_timeout bounds. */
export function takesTableLock(ast: Node, createdTables: ReadonlySet<string>): boolean {
  const kind = kindOf(ast);
  if (!LOCKING.has(kind)) return false;
  const relation = nodeOf(ast, 'AlterTableStmt')?.relation ?? nodeOf(ast, 'IndexStmt')?.relation ?? nodeOf(ast, 'RenameStmt')?.relation;
  return relation === undefined || !createdTables.has(tableName(relation));
}
