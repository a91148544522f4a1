import { describe, expect, it } from 'vitest';
import { findTooDeep, MAX_ESTIMATED_DEPTH, scanDepth } from './estimate-depth.js';

const chain = (n: number, operator = '+') => `SELECT ${Array(n + 1).fill('1').join(operator)}`;

describe('findTooDeep', () => {
  it('finds long operator chains and deep brackets, at the token that passes the limit', () => {
    expect(findTooDeep(chain(MAX_ESTIMATED_DEPTH))).toBe(-1);
    expect(findTooDeep(chain(MAX_ESTIMATED_DEPTH + 1))).toBe(7 + 2 * MAX_ESTIMATED_DEPTH + 1);
    expect(findTooDeep(chain(5_000, ' || '))).toBeGreaterThan(0);
    expect(findTooDeep(`SELECT 1${'::int'.repeat(3_000)}`)).toBeGreaterThan(0);
    expect(findTooDeep(`SELECT ${'(SELECT '.repeat(500)}1${')'.repeat(500)}`)).toBeGreaterThan(0);
    expect(findTooDeep(`SELECT ${'NOT '.repeat(3_000)}true`)).toBeGreaterThan(0);
    expect(findTooDeep(`SELECT * FROM a${' JOIN a ON true'.repeat(3_000)}`)).toBeGreaterThan(0);
  });

  it('lets flat lists through however long: VALUES rows, IN lists, AND/OR conditions, CASE branches', () => {
    expect(findTooDeep(`INSERT INTO t VALUES ${Array(50_000).fill("(1, 'a+b', now() - interval '1 day')").join(', ')}`)).toBe(-1);
    expect(findTooDeep(`SELECT 1 IN (${Array(50_000).fill('1').join(', ')})`)).toBe(-1);
    expect(findTooDeep(`SELECT * FROM t WHERE ${Array(20_000).fill('a + 1 = b').join(' AND ')} OR c = 1`)).toBe(-1);
    expect(findTooDeep(`SELECT CASE ${Array(20_000).fill('WHEN a = 1 THEN b + 1').join(' ')} END`)).toBe(-1);
    expect(findTooDeep(`${chain(1_500)}; ${chain(1_500)}`)).toBe(-1);
  });

  it('does not count what strings, quoted names, dollar quotes and comments hold, and is never fooled into skipping SQL', () => {
    expect(findTooDeep(`SELECT '${'+'.repeat(50_000)}', "${'('.repeat(50_000)}", $q$${'-'.repeat(50_000)}$q$ -- ${'+'.repeat(50_000)}\n`)).toBe(-1);
    // A backslash ends nothing outside E'' strings, and an operator stops before a comment: the chain after each still counts.
    expect(findTooDeep(`SELECT 'a\\', ${chain(3_000).slice(7)}`)).toBeGreaterThan(0);
    expect(findTooDeep(`SELECT 1 +-- it's\n${chain(3_000).slice(7)}`)).toBeGreaterThan(0);
    expect(findTooDeep(`SELECT E'a\\'', ${chain(3_000).slice(7)}`)).toBeGreaterThan(0);
  });
});

describe('the quick bound', () => {
  // Random SQL-like text from the pieces the scan treats differently; small limits so that the bound is
  // sometimes just above the depth and sometimes just below.
  const pieces = ['(', ')', '[', ']', '+', '-', '||', '::', ',', ';', ' ', 'not ', 'join ', 'and ', 'select ', 'a1', '$1', "'(+'", '"x+"', '$q$((($q$', '-- ((\n', '/* (( */', "E'\\'('", 'é', '1not '];
  it('never answers otherwise than the token scan: a text it lets through cannot pass the limit', () => {
    let state = 7;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let round = 0; round < 3_000; round += 1) {
      // A few kinds of piece per text: each step the bound counts must matter on its own somewhere.
      const kinds = Array.from({ length: 1 + random(3) }, () => pieces[random(pieces.length)]);
      const text = Array.from({ length: 5 + random(60) }, () => kinds[random(kinds.length)]).join('');
      const limit = 3 + random(40);
      expect(findTooDeep(text, limit), JSON.stringify({ text, limit })).toBe(scanDepth(text, limit));
    }
  });
});
