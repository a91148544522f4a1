import fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { scanToml } from './scan-toml.js';

type Tree = { [key: string]: string | number | string[] | Tree };
type Style = { table: 'header' | 'dotted' | 'inline'; quote: 'bare' | 'basic' | 'literal'; space: string };

const keyText = (key: string, quote: Style['quote']): string => {
  if (quote === 'literal' && !/['\u0000-\u001f\u007f]/.test(key)) return `'${key}'`;
  if (quote === 'bare' && /^[A-Za-z0-9_-]+$/.test(key)) return key;
  return basic(key);
};
const basic = (value: string): string => `"${[...value].map((c) => (c === '"' ? '\\"' : c === '\\' ? '\\\\' : c < ' ' || c === '\u007f' ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"`;
const valueText = (value: string | number | string[], quote: Style['quote']): string => {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[ ${value.map((v) => valueText(v, quote)).join(', ')}${value.length > 0 ? ',' : ''} ]`;
  return quote === 'literal' && !/['\u0000-\u001f\u007f]/.test(value) ? `'${value}'` : basic(value);
};

/**
 * Writes a tree as TOML in a mix of the forms a person writes: `[headers]`, dotted keys, inline
 * tables (over lines, with trailing commas), quoted keys, comments. `styles` picks each choice.
 */
function writeToml(tree: Tree, styles: readonly Style[]): string {
  let n = 0;
  const style = () => styles[n++ % styles.length] as Style;
  const headers: string[] = [];
  const inline = (t: Tree): string => `{\n${Object.entries(t).map(([k, v]) => `  ${keyText(k, style().quote)} = ${isTree(v) ? inline(v) : valueText(v, style().quote)}, # c\n`).join('')}}`;
  const dotted = (prefix: string, t: Tree): string[] => Object.entries(t).flatMap(([k, v]) => {
    const key = `${prefix}${style().space}.${style().space}${keyText(k, style().quote)}`;
    return isTree(v) ? (Object.keys(v).length === 0 ? [`${key} = {}`] : dotted(key, v)) : [`${key} = ${valueText(v, style().quote)}`];
  });
  const body = (header: string, t: Tree): string[] => {
    const lines: string[] = [];
    const later: [string, Tree][] = [];
    for (const [k, v] of Object.entries(t)) {
      const key = keyText(k, style().quote);
      if (!isTree(v)) lines.push(`${key}${style().space}=${style().space}${valueText(v, style().quote)} # note`);
      else {
        const how = style().table;
        if (how === 'inline') lines.push(`${key} = ${inline(v)}`);
        else if (how === 'dotted' && Object.keys(v).length > 0) lines.push(...dotted(key, v));
        else later.push([header === '' ? key : `${header}.${key}`, v]);
      }
    }
    for (const [name, sub] of later) headers.push(`\n[${style().space}${name}${style().space}]\n${body(name, sub).join('\n')}`);
    return lines;
  };
  const top = body('', tree).join('\n');
  return `# generated\n${top}\n${headers.join('\n')}\n`;
}

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null && !Array.isArray(value);

function leaves(tree: Tree, path: string[] = []): [string[], string][] {
  return Object.entries(tree).flatMap(([k, v]) => (isTree(v) ? leaves(v, [...path, k]) : typeof v === 'string' ? [[[...path, k], v] as [string[], string]] : []));
}

// Printable ASCII, any Unicode, and the characters that need escapes or end things in TOML.
const text = (maxLength: number, minLength = 0) =>
  fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'grapheme', minLength, maxLength }), fc.string({ unit: fc.constantFrom('"', "'", '\\', '\n', '\r', '\t', '\u0001', '#', '=', '.', '[', ']', '{', '}', ',', 'a'), minLength, maxLength }));
const key = fc.oneof(fc.constantFrom('package', 'version', 'dependencies', 'core', 'a b', 'x.y', "it's", 'ünï', '"q"', 'path'), text(6, 1));
const scalar = fc.oneof(text(12), fc.integer({ min: -1000, max: 1000 }), fc.array(text(4), { maxLength: 3 }));
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.dictionary(key, fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('tree')), { maxKeys: 4 }) as fc.Arbitrary<Tree>,
})).tree;
const styles = fc.array(fc.record({ table: fc.constantFrom('header', 'dotted', 'inline'), quote: fc.constantFrom('bare', 'basic', 'literal'), space: fc.constantFrom('', ' ', '\t') }), { minLength: 1, maxLength: 8 });

describe('scanToml', () => {
  it('finds every string value with its key path, however the table holding it is written', () => {
    fc.assert(
      fc.property(tree, styles, (data, chosen) => {
        const text = writeToml(data, chosen);
        const parsed = parseToml(text);
        // The generator writes what it means (a check of the test itself).
        expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(JSON.stringify(data)));
        const { values } = scanToml(text);
        for (const [path, value] of leaves(data)) {
          const found = values.filter((v) => v.path.length === path.length && v.path.every((segment, i) => segment === path[i]));
          expect(found, `${JSON.stringify(path)} in\n${text}`).toHaveLength(1);
          expect(parseToml(`v = ${text.slice(found[0]!.start, found[0]!.end)}`)['v']).toBe(value);
        }
      }),
      { numRuns: Number(process.env.SHIPGATE_FUZZ_RUNS ?? 300) },
    );
  });
});
