import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export interface YamlProblem {
  /** Offset in the text, as the yaml library counts it. */
  readonly offset: number;
  readonly message: string;
}

/** Far deeper than any policy goes (about 7 levels), far shallower than a stack overflow. */
export const MAX_YAML_DEPTH = 64;
/** Nodes the document may stand for once its aliases are expanded: a policy is a few hundred. */
export const MAX_YAML_NODES = 100_000;

/**
 * What the yaml library leaves for later or checks too slowly, checked in one pass over the parsed
 * tree before it becomes data: a duplicate key (the library's own check compares every key with every
 * other, minutes on a large file), a `__proto__` key (it would become the object's prototype, not a
 * key), a list or mapping used as a key, an alias with no anchor before it or inside the node it names (toJS throws on the first and
 * loops on the second), nesting deeper than any policy needs, and aliases that expand to more nodes
 * than any policy has (a "billion laughs": toJS shares the anchored value, but everything that walks
 * the data afterwards walks every copy). Iterative, so depth cannot overflow the stack.
 */
export function checkYamlTree(document: Document): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const anchors = new Map<string, Node>();
  /** The anchored nodes being walked (an alias inside them must not name them), with `expanded` on entry. */
  const open = new Map<Node, number>();
  /** How many nodes an anchored node stands for, its aliases expanded. */
  const sizes = new Map<Node, number>();
  let expanded = 0;
  const stack: { node: unknown; depth: number; leave?: Node }[] = [{ node: document.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth, leave } = stack.pop() as (typeof stack)[number];
    if (leave !== undefined) {
      sizes.set(leave, expanded - (open.get(leave) ?? 0));
      open.delete(leave);
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) problems.push({ offset: start(node), message: `unresolved alias *${node.source}: no anchor &${node.source} is set before it` });
      else if (open.has(target)) problems.push({ offset: start(node), message: `alias *${node.source} is inside the node it names, which would make it infinite` });
      else expanded += sizes.get(target) ?? 1;
      if (expanded > MAX_YAML_NODES) {
        problems.push({ offset: start(node), message: `aliases expand the document to more than ${MAX_YAML_NODES} nodes (an alias bomb?)` });
        return problems;
      }
      continue;
    }
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) continue;
    expanded += 1;
    if (node.anchor) {
      anchors.set(node.anchor, node);
      if (isScalar(node)) sizes.set(node, 1);
      else {
        open.set(node, expanded - 1);
        stack.push({ node: undefined, depth, leave: node });
      }
    }
    if (isScalar(node)) continue;
    if (depth > MAX_YAML_DEPTH) {
      problems.push({ offset: start(node), message: `nested more than ${MAX_YAML_DEPTH} levels deep; a policy needs far fewer` });
      continue;
    }
    const children: unknown[] = [];
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        // `? [a, b]: c`: JavaScript objects have no such keys (the library would stringify it, and warn).
        if (isMap(key) || isSeq(key)) problems.push({ offset: start(key), message: 'a key must be a plain value, not a list or mapping' });
        if (isScalar(key)) {
          const name = String(key.value);
          if (name === '__proto__') problems.push({ offset: start(key), message: 'the key "__proto__" is not allowed (it would replace the object\'s prototype instead of naming an entry)' });
          else if (seen.has(name)) problems.push({ offset: start(key), message: `Map keys must be unique: "${name}" appears twice` });
          seen.add(name);
        }
        children.push(key, pair.value);
      }
    } else {
      for (const item of node.items) children.push(item);
    }
    // Pushed in reverse so they come off the stack in document order, which alias resolution follows.
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push({ node: children[index], depth: depth + 1 });
  }
  return problems;
}

function start(node: Node): number {
  return node.range?.[0] ?? 0;
}
