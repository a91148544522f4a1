import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export type PolicyPath = readonly PropertyKey[];

export interface Position {
  line: number;
  col: number;
}

/**
 * Finds where a path of the merged policy sits in the user's YAML file: the key itself when `at` is
 * 'key' (unknown keys), else its value. A path the file does not contain (a default the user did not
 * write) resolves to its deepest ancestor the file does contain.
 */
export function locatePath(document: Document, lineCounter: LineCounter, path: PolicyPath, at: 'key' | 'value' = 'value'): Position {
  let node: Node | null | undefined = document.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const [index, segment] of path.entries()) {
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      offset = (at === 'key' && isLast ? key.range?.[0] : value?.range?.[0] ?? key.range?.[0]) ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}
