import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './migrations.js';

/**
 * Many rows read as one string (a row object each cost Node several times what the database spent):
 * fields between UNIT, records between RECORD, control characters no name, version or word has.
 */
export const UNIT = '\u001f';
export const RECORD = '\u001e';

/** The two separators as SQL, for `||` and `string_agg`. */
export function separators(dialect: Dialect): { readonly unit: RawBuilder<string>; readonly record: RawBuilder<string> } {
  return dialect === 'sqlite' ? { unit: sql`char(31)`, record: sql`char(30)` } : { unit: sql`chr(31)`, record: sql`chr(30)` };
}

/** The whole number written in text[from, to), digit by digit (exact below 2^53): no string per number. */
export function integerAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index += 1) value = value * 10 + (text.charCodeAt(index) - 48);
  return value;
}
