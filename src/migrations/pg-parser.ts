import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { ParseResult } from 'libpg-query';
import { findTooDeep, MAX_ESTIMATED_DEPTH } from './estimate-depth.js';

/** The PostgreSQL parser as the lint core sees it: sync, and errors as data rather than exceptions. */
export interface SqlParser {
  parse(sql: string): ParseOutcome;
  /** No more parsing: a parser on another thread stops it. */
  close?(): void;
}

export type ParseOutcome = { readonly ok: true; readonly result: ParseResult } | ParseFailure;

/** `cursor` counts code points from the start of the parsed text (0-based), as PostgreSQL reports it. */
export interface ParseFailure {
  readonly ok: false;
  readonly message: string;
  readonly cursor: number;
}

/** The parse tree as the JSON text the parser writes: what crosses from a parser thread to the lint. */
export type JsonParseOutcome = { readonly ok: true; readonly json: string } | ParseFailure;

/** The parser that leaves its trees as JSON text. */
export interface JsonSqlParser {
  parse(sql: string): JsonParseOutcome;
}

const TOO_DEEP = `nested too deeply to check: shipgate does not hand the parser statements that could nest more than about ${MAX_ESTIMATED_DEPTH} levels (operators in one chain, or brackets); split the expression`;
const BROKEN = 'not checked: the parser ran out of stack on an earlier statement and cannot be trusted for the rest of this run';

let loading: Promise<JsonSqlParser> | undefined;
let instances = 0;

/**
 * Loads libpg-query (PostgreSQL 18's parser compiled to WASM) once per process. Imported lazily: the
 * module instantiates its WASM on import, which every other CLI command would otherwise pay for.
 */
export async function loadPgParser(): Promise<SqlParser> {
  const parser = await loadPgJsonParser();
  return { parse: (sql) => fromJson(parser.parse(sql)) };
}

/** An outcome with its tree made from the parser's JSON text. */
export function fromJson(outcome: JsonParseOutcome): ParseOutcome {
  if (!outcome.ok) return { ok: false, message: outcome.message, cursor: outcome.cursor };
  return { ok: true, result: JSON.parse(outcome.json) as ParseResult };
}

/** The same parser, its trees left as JSON text (for a parser thread, which hands them on as they are). */
export function loadPgJsonParser(): Promise<JsonSqlParser> {
  loading ??= load();
  return loading;
}

async function load(): Promise<JsonSqlParser> {
  // A lint run is short: V8's optimizing tier for WASM costs more to compile than it saves, doubling the
  // time of a typical run (measured with bench/migrations). The baseline tier alone is as fast after warm-up.
  setFlagsFromString('--liftoff-only');
  instances += 1;
  // The first instance is the package itself; a later one (after one broke) a fresh copy of its module.
  const pg = instances === 1 ? await import('libpg-query') : ((await import(freshModuleUrl(instances))) as typeof import('libpg-query'));
  await pg.loadModule();
  const parseToJson = keepingJson(pg.parseSync);
  let broken = false;
  return {
    parse: (sql: string) => {
      if (broken) return { ok: false, message: BROKEN, cursor: 0 };
      const outcome = parseSql(parseToJson, sql);
      if (outcome === 'stack exhausted') {
        // The WASM heap may be half-updated: never use this instance again; the next load makes a new one.
        broken = true;
        loading = undefined;
        return { ok: false, message: TOO_DEEP, cursor: 0 };
      }
      return outcome;
    },
  };
}

/**
 * libpg-query's `parseSync` without its last step, `JSON.parse` of the tree's text: a parser thread hands
 * the text on, and the lint parses it where it uses it. Should a later version not end that way, the tree
 * is written back to text, slower but the same.
 */
function keepingJson(parseSync: (sql: string) => ParseResult): (sql: string) => string {
  const parseJson = JSON.parse;
  const keepText = ((text: string) => text) as typeof JSON.parse;
  return (sql) => {
    let tree: unknown;
    JSON.parse = keepText;
    try {
      tree = parseSync(sql);
    } finally {
      JSON.parse = parseJson;
    }
    return typeof tree === 'string' ? tree : JSON.stringify(tree);
  };
}

function parseSql(parseToJson: (sql: string) => string, sql: string): JsonParseOutcome | 'stack exhausted' {
  // libpg-query throws on an empty string; for a migration section that is simply "no statements".
  if (sql === '') return { ok: true, json: '{"stmts":[]}' };
  const tooDeep = findTooDeep(sql);
  if (tooDeep !== -1) return { ok: false, message: TOO_DEEP, cursor: codePoints(sql, tooDeep) };
  try {
    return { ok: true, json: parseToJson(sql) };
  } catch (error) {
    // findTooDeep should have kept such a statement away; if one gets through, it is still a finding.
    if (error instanceof RangeError) return 'stack exhausted';
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    if (details === undefined) throw error;
    return { ok: false, message: details.message ?? String(error), cursor: details.cursorPosition ?? 0 };
  }
}

/** The package's ES module under a new URL: Node evaluates it again, and it instantiates a new WASM module. */
function freshModuleUrl(instance: number): string {
  const main = createRequire(import.meta.url).resolve('libpg-query');
  return `${pathToFileURL(path.join(path.dirname(main), 'index.js')).href}?instance=${instance}`;
}

function codePoints(text: string, index: number): number {
  let count = 0;
  for (let at = 0; at < index; at += 1) {
    const code = text.charCodeAt(at);
    if (code < 0xdc00 || code > 0xdfff) count += 1;
  }
  return count;
}
