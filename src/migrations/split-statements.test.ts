import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitStatements } from './split-statements.js';

const texts = (sql: string) => splitStatements(sql).map((span) => sql.slice(span.start, span.end));

describe('splitStatements', () => {
  it('ignores semicolons inside strings, quoted identifiers, dollar quotes and comments', () => {
    const sql = `SELECT 'a;b', E'it\\'s;', "x;y" FROM t; -- c;d\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;/* e; /* nested; */ */SELECT $1;`;
    expect(texts(sql)).toEqual([
      `SELECT 'a;b', E'it\\'s;', "x;y" FROM t`,
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      'SELECT $1',
    ]);
  });

  it('keeps the comments before a statement in its gap (where suppressions live)', () => {
    const sql = 'SELECT 1;\n-- shipgate-ignore x: y\nSELECT 2';
    const second = splitStatements(sql)[1];
    expect(sql.slice(second?.gapStart, second?.start)).toBe('\n-- shipgate-ignore x: y\n');
  });

  it('finds every statement of simple SQL joined with semicolons, whatever the whitespace', () => {
    const statement = fc.constantFrom('SELECT 1', "INSERT INTO t VALUES ('x;y')", 'DROP TABLE t', 'SELECT "a;b" FROM t');
    const space = fc.constantFrom('', ' ', '\n', '\n-- note;\n', ' /* c; */ ');
    fc.assert(
      fc.property(fc.array(fc.tuple(space, statement)), (parts) => {
        const sql = parts.map(([before, stmt]) => `${before}${stmt};`).join('');
        expect(texts(sql)).toEqual(parts.map(([, stmt]) => stmt));
      }),
    );
  });

  it('makes an unterminated block comment a statement of its own, for the parser to reject at its start', () => {
    const sql = 'SELECT 1;\n/* never closed; SELECT 2;';
    expect(texts(sql)).toEqual(['SELECT 1', '/* never closed; SELECT 2;']);
    expect(texts('SELECT 1 /* open')).toEqual(['SELECT 1 /* open']);
  });
});
