/**
 * A glob is compiled to a small Thompson automaton and run over the path one character at a time,
 * keeping the set of states it can be in. The time is (path length) x (pattern length) whatever the
 * pattern, so `*a*a*a…` against a long name cannot backtrack for minutes as a RegExp does.
 */
export type CharTest = (code: number) => boolean;

export type GlobNode =
  | { readonly kind: 'char'; readonly test: CharTest }
  /** Zero or more characters that each pass the test. */
  | { readonly kind: 'repeat'; readonly test: CharTest }
  | { readonly kind: 'seq'; readonly items: readonly GlobNode[] }
  | { readonly kind: 'alt'; readonly options: readonly GlobNode[] }
  | { readonly kind: 'optional'; readonly node: GlobNode }
  /** Matches nothing, and passes only where the path from here passes the test (a one-position lookahead). */
  | { readonly kind: 'guard'; readonly test: (path: string, index: number) => boolean };

export interface PathMatcher {
  test(path: string): boolean;
}

const SLASH = 0x2f;
export const anyChar: CharTest = () => true;
export const notSlash: CharTest = (code) => code !== SLASH;
export const literal = (char: string): CharTest => {
  const wanted = char.charCodeAt(0);
  return (code) => code === wanted;
};

/** `(?:.*\/)?`: any number of leading directories, the prefix of an unanchored or `**\/` pattern. */
export const anyDirectories: GlobNode = { kind: 'optional', node: { kind: 'seq', items: [{ kind: 'repeat', test: anyChar }, { kind: 'char', test: literal('/') }] } };

export function compileNodes(root: GlobNode): PathMatcher {
  const automaton = new Automaton();
  const accept = automaton.add(null, -1, []);
  const start = automaton.build(root, accept);
  return { test: (path) => automaton.run(start, accept, path) };
}

class Automaton {
  private readonly tests: (CharTest | null)[] = [];
  private readonly targets: number[] = [];
  private readonly epsilons: number[][] = [];
  private readonly guards = new Map<number, (path: string, index: number) => boolean>();
  private marks = new Uint32Array(0);
  private generation = 0;

  add(test: CharTest | null, target: number, epsilons: number[]): number {
    this.tests.push(test);
    this.targets.push(target);
    this.epsilons.push(epsilons);
    return this.tests.length - 1;
  }

  /** The entry state of `node`, whose exits lead to `next` (built back to front). */
  build(node: GlobNode, next: number): number {
    switch (node.kind) {
      case 'char':
        return this.add(node.test, next, []);
      case 'repeat': {
        const loop = this.add(null, -1, []);
        const step = this.add(node.test, loop, []);
        this.epsilons[loop] = [step, next];
        return loop;
      }
      case 'seq':
        return node.items.reduceRight((after, item) => this.build(item, after), next);
      case 'alt':
        return this.add(null, -1, node.options.map((option) => this.build(option, next)));
      case 'optional':
        return this.add(null, -1, [this.build(node.node, next), next]);
      case 'guard': {
        const state = this.add(null, -1, [next]);
        this.guards.set(state, node.test);
        return state;
      }
    }
  }

  run(start: number, accept: number, path: string): boolean {
    if (this.marks.length < this.tests.length) this.marks = new Uint32Array(this.tests.length);
    let current: number[] = [];
    this.generation += 1;
    this.visit(start, current, path, 0);
    for (let index = 0; index < path.length && current.length > 0; index += 1) {
      const code = path.charCodeAt(index);
      const next: number[] = [];
      this.generation += 1;
      for (const state of current) {
        const test = this.tests[state];
        if (test && test(code)) this.visit(this.targets[state] as number, next, path, index + 1);
      }
      current = next;
    }
    return current.includes(accept);
  }

  /** Adds a state and everything its empty moves reach at `index`, each once per step. */
  private visit(state: number, into: number[], path: string, index: number): void {
    const stack = [state];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (this.marks[at] === this.generation) continue;
      this.marks[at] = this.generation;
      const guard = this.guards.get(at);
      if (guard && !guard(path, index)) continue;
      if (this.tests[at] !== null || this.epsilons[at]!.length === 0) into.push(at);
      for (const epsilon of this.epsilons[at] as number[]) stack.push(epsilon);
    }
  }
}
