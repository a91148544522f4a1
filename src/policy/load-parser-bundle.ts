import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { parsePolicyText } from './parse-policy.js';

export interface ParserBundle {
  readonly parsePolicyText: typeof parsePolicyText;
  /** V8's compiled code of the bundle as it stands now (after some parses: their functions too). */
  readonly codeCache: () => Buffer;
  /** Whether V8 refused the cache it was given (another Node version or other flags): it compiled instead. */
  readonly cacheRejected: boolean;
}

/**
 * Loads the policy parser's one-file CommonJS bundle (scripts/bundle-policy-parser.mjs) as a script
 * with the code cache the build wrote beside it. Node 20 keeps no compiled code between runs, and
 * compiling zod and yaml is half the parser's start-up; an ES module cannot take a cache on Node 20,
 * a vm.Script can. The wrapper text is part of what V8 checks the cache against: keep it fixed.
 */
export function loadParserBundle(file: string, cacheFile?: string): ParserBundle {
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile === undefined ? undefined : readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as { parsePolicyText?: typeof parsePolicyText } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  const parse = module.exports.parsePolicyText;
  if (typeof parse !== 'function') throw new Error(`${file} does not export parsePolicyText`);
  return { parsePolicyText: parse, codeCache: () => script.createCachedData(), cacheRejected: cachedData !== undefined && script.cachedDataRejected === true };
}
