import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export type PolicyPath = readonly PropertyKey[];

export interface Position {
  line: number;
  col: number;
}

/**
 * Finds where a path of the merged policy sits in the user's YAML file: the key itself when `at` is
 * 'key' (unknown keys), else its value. A path the file does not contain (a default the user did not
 * write) resolves to its deepest ancestor the file does contain.
 *
 * Each mapping's keys are indexed the first time a path goes through it, so locating every one of
 * tens of thousands of problems in a large map costs a lookup each, not a scan of the map.
 */
export function yamlLocator(document: Document, lineCounter: LineCounter): (path: PolicyPath, at?: 'key' | 'value') => Position {
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        // The first of equal keys, as a scan would find it (duplicates are refused before this is asked).
        if (isPair(item) && isScalar(item.key) && !index.has(String(item.key.value))) index.set(String(item.key.value), item);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  return (path, at = 'value') => {
    let node: Node | null | undefined = document.contents as Node | null;
    let offset = node?.range?.[0] ?? 0;
    for (const [index, segment] of path.entries()) {
      const isLast = index === path.length - 1;
      if (isMap(node)) {
        const pair = pairOf(node, String(segment));
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
  };
}
