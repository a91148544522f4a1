import type { ColumnDef, Node } from 'libpg-query';
import { kindOf, names, nodeOf } from './ast.js';

// Functions known not to be VOLATILE, so a default using them is stored once in the catalog (PostgreSQL
// 11+) instead of being evaluated for every existing row. Like squawk, anything not listed is assumed
// volatile: a false alarm costs a suppression comment, a miss costs a table rewrite in production.
const NON_VOLATILE = new Set([
  'now', 'current_timestamp', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'localtimestamp',
  'lower', 'upper', 'btrim', 'trim', 'concat', 'length', 'abs', 'round', 'coalesce', 'date_trunc', 'timezone',
  'make_interval', 'make_date', 'make_timestamp', 'make_timestamptz', 'to_timestamp', 'to_date', 'to_char',
  'jsonb_build_object', 'json_build_object', 'jsonb_build_array', 'json_build_array', 'to_jsonb', 'to_json',
  'array_fill', 'int4', 'int8', 'text', 'numeric', 'md5', 'current_user', 'current_setting',
]);

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** Why adding this column rewrites the table, or undefined when it does not. */
export function rewriteReason(column: ColumnDef): { why: string; at?: number } | undefined {
  const typeName = names(column.typeName?.names).at(-1) ?? '';
  if (SERIAL_TYPES.has(typeName)) return { why: `a ${typeName} column fills every row from a sequence`, at: column.location };
  for (const node of column.constraints ?? []) {
    const constraint = nodeOf(node, 'Constraint');
    if (constraint?.contype === 'CONSTR_IDENTITY') return { why: 'an identity column fills every row from a sequence', at: constraint.location };
    if (constraint?.contype === 'CONSTR_GENERATED') return { why: 'a stored generated column is computed for every row', at: constraint.location };
    if (constraint?.contype !== 'CONSTR_DEFAULT') continue;
    const volatile = volatileCall(constraint.raw_expr);
    if (volatile !== undefined) return { why: `the default uses ${volatile}, which may be volatile and is then evaluated for every existing row`, at: constraint.location };
  }
  return undefined;
}

/**
 * The first part of an expression that may be volatile, as shown to the user, searched left to right.
 * With a stack rather than recursion: a default can nest as deep as the parser lets it.
 */
function volatileCall(root: Node | undefined): string | undefined {
  const stack: (Node | undefined)[] = [root];
  const later = (nodes: readonly (Node | undefined)[]) => {
    for (let index = nodes.length - 1; index >= 0; index -= 1) stack.push(nodes[index]);
  };
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === undefined) continue;
    const call = nodeOf(node, 'FuncCall');
    if (call !== undefined) {
      const name = names(call.funcname).at(-1) ?? '';
      if (!NON_VOLATILE.has(name)) return `${name}()`;
      later(call.args ?? []);
      continue;
    }
    switch (kindOf(node)) {
      case 'TypeCast':
        later([nodeOf(node, 'TypeCast')?.arg]);
        break;
      case 'A_Expr': {
        const expr = nodeOf(node, 'A_Expr');
        later([expr?.lexpr, expr?.rexpr]);
        break;
      }
      case 'CoalesceExpr':
        later(nodeOf(node, 'CoalesceExpr')?.args ?? []);
        break;
      case 'A_ArrayExpr':
        later(nodeOf(node, 'A_ArrayExpr')?.elements ?? []);
        break;
      case 'SubLink':
        return 'a subquery';
      default:
        break;
    }
  }
  return undefined;
}
