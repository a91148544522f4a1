import type { Node, RangeVar } from 'libpg-query';

// libpg-query's Node is a union of one-key objects ({ AlterTableStmt: {...} } | ...): these helpers give
// typed access to the one member a rule cares about.
type NodeKind = Node extends infer N ? (N extends unknown ? keyof N : never) : never;
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

export function nodeOf<K extends NodeKind>(node: Node | undefined, kind: K): NodeOf<K> | undefined {
  return node !== undefined && kind in node ? (node as unknown as Record<K, NodeOf<K>>)[kind] : undefined;
}

export function kindOf(node: Node): string {
  for (const key in node) return key;
  return 'Unknown';
}

export function stringValue(node: Node | undefined): string | undefined {
  return nodeOf(node, 'String')?.sval;
}

/** The names in a list node such as `schema.table.column`. */
export function names(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map((node) => stringValue(node) ?? '');
}

/** The qualified names of a DROP's objects, each a list node such as `schema.table`. */
export function objectNames(objects: readonly Node[] | undefined): string[] {
  return (objects ?? []).map((object) => names(nodeOf(object, 'List')?.items).join('.'));
}

/**
 * Tables are tracked by their unqualified name: migrations mix `invoices` and `public.invoices` for the
 * same table far more often than two schemas hold tables with the same name.
 */
export function tableName(relation: RangeVar | undefined): string {
  return relation?.relname ?? '';
}

export function columnKey(table: string, column: string): string {
  return `${table}.${column}`;
}

/** What a transaction statement does: BEGIN and START TRANSACTION open one, COMMIT and ROLLBACK end it. */
export function transactionEdge(node: Node): 'BEGIN' | 'COMMIT' | 'ROLLBACK' | undefined {
  switch (nodeOf(node, 'TransactionStmt')?.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return 'BEGIN';
    case 'TRANS_STMT_COMMIT':
      return 'COMMIT';
    case 'TRANS_STMT_ROLLBACK':
      return 'ROLLBACK';
    default:
      return undefined;
  }
}
