import { setFlagsFromString } from 'node:v8';
import type { ParseResult } from 'libpg-query';

/** The PostgreSQL parser as the lint core sees it: sync, and errors as data rather than exceptions. */
export interface SqlParser {
  parse(sql: string): ParseOutcome;
}

export type ParseOutcome =
  | { readonly ok: true; readonly result: ParseResult }
  /** `cursor` counts code points from the start of the parsed text (0-based), as PostgreSQL reports it. */
  | { readonly ok: false; readonly message: string; readonly cursor: number };

const TOO_DEEP = 'the statement is nested too deeply for the parser (thousands of operators or calls in one expression); split it up';

let loading: Promise<SqlParser> | undefined;

/**
 * Loads libpg-query (PostgreSQL 18's parser compiled to WASM) once per process. Imported lazily: the
 * module instantiates its WASM on import, which every other CLI command would otherwise pay for.
 */
export function loadPgParser(): Promise<SqlParser> {
  loading ??= load();
  return loading;
}

async function load(): Promise<SqlParser> {
  // A lint run is short: V8's optimizing tier for WASM costs more to compile than it saves, doubling the
  // time of a typical run (measured with bench/migrations). The baseline tier alone is as fast after warm-up.
  setFlagsFromString('--liftoff-only');
  const pg = await import('libpg-query');
  await pg.loadModule();
  return { parse: (sql: string) => parseSql(pg.parseSync, sql) };
}

function parseSql(parseSync: (sql: string) => ParseResult, sql: string): ParseOutcome {
  // libpg-query throws on an empty string; for a migration section that is simply "no statements".
  if (sql === '') return { ok: true, result: { stmts: [] } };
  try {
    return { ok: true, result: parseSync(sql) };
  } catch (error) {
    // A statement nested thousands of levels deep (`1+1+...+1`, f(f(f(...)))) exhausts the stack in the WASM
    // parser's recursive tree output. The stack unwinds cleanly, so the parser stays usable: the statement is
    // reported like a syntax error, at its start, and the others are still linted.
    if (error instanceof RangeError) return { ok: false, message: TOO_DEEP, cursor: 0 };
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    if (details === undefined) throw error;
    return { ok: false, message: details.message ?? String(error), cursor: details.cursorPosition ?? 0 };
  }
}
